"""The demo province: its unit tree, who heads what, and the demo logins.

Everything here is plain data plus one pure function, `plan_people()`, which turns the tree into
about 300 people with `random.Random(SEED)`: the same names, codes and dates on every run.
`demo/build.py` writes the plan to the database; `seed_demo` is the command.

Demo logins (all share the password `danhgia-demo-2026`; these usernames are stable, the README
and the browser tests rely on them):

    admin              system administrator (Trung tâm Tin học – Công báo, Văn phòng UBND tỉnh)
    nhansu             HR officer over the whole province (Phòng Công chức – Viên chức, Sở Nội vụ)
    giamsat            supervisor over the whole province (Thanh tra Sở Nội vụ)
    chutich.tinh       head of the province (Chủ tịch UBND tỉnh)
    giamdoc.snv        head of Sở Nội vụ
    truongphong.ccvc   manager of Phòng Công chức – Viên chức (Sở Nội vụ)
    chuyenvien.ccvc    staff member of that division, no role
    phutrach.skhdt     ACTING head of Sở Kế hoạch và Đầu tư (the Giám đốc post is vacant)
    phogiamdoc.ltls    deputy of Trung tâm Lưu trữ lịch sử, whose head post is VACANT: its staff
                       are decided by the head of Sở Nội vụ
    chutich.tramy      head of UBND xã Trà My (and, until 30/06/2025, of UBND huyện Nam Trà My)
    chutich.dienban    head of TWO units: UBND phường Điện Bàn and UBND phường Điện Bàn Đông
    hieutruong.tcv     head of Trường THPT Trần Cao Vân
    giaovien.tcv       a teacher (viên chức) of that school

Every other head and manager, and some deputies, have a login too, named `<title>.<unit>`
(giamdoc.stc, phogiamdoc.stc, chanhvanphong.snv, truongphong.ns, truongkhoa.noi,
truongphong.kt.tramy, ...), and each department has a plain staff login (chuyenvien.stc,
chuyenvien.skhdt, chuyenvien.sgddt, chuyenvien.syt, chuyenvien.vpub; bacsi.bvdk at the hospital).
`python manage.py seed_demo --all` lists them all.

History on show: UBND huyện Nam Trà My and UBND thị xã Điện Bàn ended on 30/06/2025 and merged
into the communes/wards that started on 01/07/2025; a few people left (retired at the
reorganisation, or moved away in 2026) and one joined in 2026.
"""

import datetime
import random
from dataclasses import dataclass

from danhgia.core.text import fold
from danhgia.organisations.demo.names import random_full_name, random_gender
from danhgia.organisations.models import Role, StaffCategory, UnitKind

SEED = 2026
PASSWORD = "danhgia-demo-2026"
PROVINCE_CODE = "QNAM"
EMAIL_DOMAIN = "demo.danhgia.vn"

ORG_START = datetime.date(1997, 1, 1)  # Quảng Nam was re-established in 1997.
DISTRICTS_END = datetime.date(2025, 6, 30)  # The district level was abolished...
REFORM_DAY = datetime.date(2025, 7, 1)  # ...and the new communes and wards started.
ROLES_FROM = datetime.date(2025, 1, 1)
JOINED_THIS_YEAR = datetime.date(2026, 3, 2)
MOVED_AWAY = datetime.date(2026, 3, 31)

# (username, label in the login table), in the order the table prints them.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("admin", "Quản trị hệ thống"),
    ("nhansu", "Cán bộ tổ chức – nhân sự (toàn tỉnh)"),
    ("giamsat", "Giám sát (Thanh tra Sở Nội vụ, toàn tỉnh)"),
    ("chutich.tinh", "Người đứng đầu tỉnh (Chủ tịch UBND tỉnh)"),
    ("giamdoc.snv", "Người đứng đầu (Giám đốc Sở Nội vụ)"),
    ("truongphong.ccvc", "Quản lý trực tiếp (Trưởng phòng Công chức – Viên chức)"),
    ("chuyenvien.ccvc", "Công chức (Chuyên viên Phòng Công chức – Viên chức)"),
    ("phutrach.skhdt", "Quyền người đứng đầu (Phó Giám đốc phụ trách Sở KH&ĐT)"),
    ("phogiamdoc.ltls", "Cấp phó, đơn vị khuyết người đứng đầu (Trung tâm Lưu trữ)"),
    ("chutich.tramy", "Người đứng đầu xã (Chủ tịch UBND xã Trà My)"),
    ("chutich.dienban", "Đứng đầu hai đơn vị (Chủ tịch UBND phường Điện Bàn, Điện Bàn Đông)"),
    ("hieutruong.tcv", "Người đứng đầu đơn vị sự nghiệp (Hiệu trưởng THPT Trần Cao Vân)"),
    ("giaovien.tcv", "Viên chức (Giáo viên THPT Trần Cao Vân)"),
)

JOB_POSITIONS: tuple[tuple[str, str], ...] = (
    ("LDQL", "Lãnh đạo, quản lý"),
    ("TCCB", "Chuyên viên tổ chức cán bộ"),
    ("QLNS", "Chuyên viên quản lý ngân sách"),
    ("TCDT", "Chuyên viên quản lý tài chính đầu tư"),
    ("KHDT", "Chuyên viên kế hoạch – đầu tư"),
    ("QLGD", "Chuyên viên quản lý giáo dục"),
    ("QLYT", "Chuyên viên quản lý y tế"),
    ("TH", "Chuyên viên tổng hợp"),
    ("CNTT", "Chuyên viên công nghệ thông tin"),
    ("TTV", "Thanh tra viên"),
    ("VT", "Văn thư"),
    ("KT", "Kế toán"),
    ("LTV", "Lưu trữ viên"),
    ("GV", "Giáo viên THPT"),
    ("BS", "Bác sĩ"),
    ("DD", "Điều dưỡng"),
    ("VPTK", "Công chức văn phòng – thống kê (xã)"),
    ("DCXD", "Công chức địa chính – xây dựng (xã)"),
    ("TCKT", "Công chức tài chính – kế toán (xã)"),
    ("TPHT", "Công chức tư pháp – hộ tịch (xã)"),
    ("VHXH", "Công chức văn hóa – xã hội (xã)"),
    ("HTPV", "Nhân viên hỗ trợ, phục vụ"),
)

CADRE = StaffCategory.CADRE.value
CIVIL_SERVANT = StaffCategory.CIVIL_SERVANT.value
PUBLIC_EMPLOYEE = StaffCategory.PUBLIC_EMPLOYEE.value
CONTRACT_WORKER = StaffCategory.CONTRACT_WORKER.value


@dataclass(frozen=True)
class Grant:
    """A role a post holds; `unit` empty means the person's own unit."""

    role: str
    unit: str = ""
    acting: bool = False
    valid_from: datetime.date | None = None  # None: ROLES_FROM, or the unit's start if later
    valid_to: datetime.date | None = None


@dataclass(frozen=True)
class Post:
    """A named person: a leader, or a staff member who needs a login."""

    title: str
    job: str = "LDQL"
    username: str = ""
    grants: tuple[Grant, ...] = ()
    is_leader: bool = True
    category: str = ""  # empty: the unit's default


@dataclass(frozen=True)
class Staff:
    """`count` ordinary staff with the same title and job position."""

    count: int
    title: str
    job: str
    category: str = ""
    active_from: datetime.date | None = None
    active_to: datetime.date | None = None


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    posts: tuple[Post, ...] = ()
    staff: tuple[Staff, ...] = ()
    valid_from: datetime.date = ORG_START
    merged_into: str = ""  # ends the day before REFORM_DAY and points to this unit


@dataclass(frozen=True)
class RolePlan:
    """A `Grant` resolved for one person: unit and start date filled in."""

    role: str
    unit: str
    acting: bool
    valid_from: datetime.date
    valid_to: datetime.date | None


@dataclass(frozen=True)
class PersonPlan:
    full_name: str
    employee_code: str
    staff_category: str
    title: str
    is_leader: bool
    job_position: str
    unit: str
    email: str
    phone: str
    active_from: datetime.date
    active_to: datetime.date | None
    username: str
    roles: tuple[RolePlan, ...]


def head(
    title: str,
    username: str,
    *,
    acting: bool = False,
    category: str = "",
    also: tuple[Grant, ...] = (),
) -> Post:
    """The head of the unit; `also` adds further roles (another unit, a past one)."""
    grants = (Grant(Role.HEAD, acting=acting), *also)
    return Post(title, username=username, grants=grants, category=category)


def deputy(title: str, username: str = "", category: str = "") -> Post:
    grants = (Grant(Role.DEPUTY_HEAD),) if username else ()
    return Post(title, username=username, grants=grants, category=category)


def manager(title: str, username: str, job: str = "LDQL") -> Post:
    return Post(title, job=job, username=username, grants=(Grant(Role.MANAGER),))


def login(title: str, job: str, username: str, *grants: Grant, category: str = "") -> Post:
    """A staff member with a login (and possibly a province-wide role)."""
    return Post(
        title, job=job, username=username, grants=grants, is_leader=False, category=category
    )


def division(code: str, name: str, parent: str, *posts: Post, staff: tuple[Staff, ...]) -> UnitSpec:
    return UnitSpec(code, name, UnitKind.DIVISION, parent, posts=posts, staff=staff)


def office(parent: str, username: str, size: int = 2) -> UnitSpec:
    """The Văn phòng Sở every department has."""
    return division(
        f"{parent}-VP",
        "Văn phòng Sở",
        parent,
        manager("Chánh Văn phòng", username),
        deputy("Phó Chánh Văn phòng"),
        staff=(
            Staff(size, "Chuyên viên", "TH"),
            Staff(1, "Văn thư", "VT"),
            Staff(1, "Kế toán", "KT"),
            Staff(1, "Nhân viên lái xe", "HTPV", CONTRACT_WORKER),
        ),
    )


def commune(
    code: str, name: str, slug: str, *leaders: Post, size: int = 3, parent: str = PROVINCE_CODE
) -> tuple[UnitSpec, ...]:
    """A commune or ward of the 2025 reform with its three divisions."""
    start = REFORM_DAY
    return (
        UnitSpec(code, name, UnitKind.COMMUNE, parent, posts=leaders, valid_from=start),
        UnitSpec(
            f"{code}-VP",
            "Văn phòng HĐND và UBND",
            UnitKind.DIVISION,
            code,
            posts=(manager("Chánh Văn phòng", f"chanhvanphong.{slug}"),),
            staff=(Staff(size, "Chuyên viên", "VPTK"), Staff(1, "Chuyên viên", "TPHT")),
            valid_from=start,
        ),
        UnitSpec(
            f"{code}-KT",
            "Phòng Kinh tế",
            UnitKind.DIVISION,
            code,
            posts=(manager("Trưởng phòng", f"truongphong.kt.{slug}"), deputy("Phó Trưởng phòng")),
            staff=(Staff(size - 1, "Chuyên viên", "DCXD"), Staff(2, "Chuyên viên", "TCKT")),
            valid_from=start,
        ),
        UnitSpec(
            f"{code}-VHXH",
            "Phòng Văn hóa – Xã hội",
            UnitKind.DIVISION,
            code,
            posts=(manager("Trưởng phòng", f"truongphong.vhxh.{slug}"),),
            staff=(Staff(size, "Chuyên viên", "VHXH"),),
            valid_from=start,
        ),
    )


DISTRICT_HEAD = Grant(Role.HEAD, valid_from=ROLES_FROM, valid_to=DISTRICTS_END)

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        PROVINCE_CODE,
        "Tỉnh Quảng Nam (mô phỏng)",
        UnitKind.PROVINCE,
        None,
        posts=(
            head("Chủ tịch UBND tỉnh", "chutich.tinh", category=CADRE),
            deputy("Phó Chủ tịch UBND tỉnh", "phochutich.tinh", CADRE),
            deputy("Phó Chủ tịch UBND tỉnh", category=CADRE),
        ),
    ),
    # Sở Nội vụ: the HR officer, the supervisor and the vacant-head archive centre.
    UnitSpec(
        "SNV",
        "Sở Nội vụ",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Giám đốc Sở", "giamdoc.snv"),
            deputy("Phó Giám đốc Sở", "phogiamdoc.snv"),
            deputy("Phó Giám đốc Sở"),
        ),
    ),
    office("SNV", "chanhvanphong.snv", size=3),
    division(
        "SNV-CCVC",
        "Phòng Công chức – Viên chức",
        "SNV",
        manager("Trưởng phòng", "truongphong.ccvc"),
        deputy("Phó Trưởng phòng"),
        login("Chuyên viên", "TCCB", "nhansu", Grant(Role.HR_OFFICER, PROVINCE_CODE)),
        login("Chuyên viên", "TCCB", "chuyenvien.ccvc"),
        staff=(
            Staff(4, "Chuyên viên", "TCCB"),
            Staff(1, "Chuyên viên", "TCCB", active_from=JOINED_THIS_YEAR),
        ),
    ),
    division(
        "SNV-XDCQ",
        "Phòng Xây dựng chính quyền",
        "SNV",
        manager("Trưởng phòng", "truongphong.xdcq"),
        deputy("Phó Trưởng phòng"),
        staff=(
            Staff(4, "Chuyên viên", "TH"),
            Staff(1, "Chuyên viên", "TH", active_to=MOVED_AWAY),
        ),
    ),
    division(
        "SNV-TT",
        "Thanh tra Sở",
        "SNV",
        manager("Chánh Thanh tra", "chanhthanhtra.snv"),
        login("Thanh tra viên", "TTV", "giamsat", Grant(Role.SUPERVISOR, PROVINCE_CODE)),
        staff=(Staff(3, "Thanh tra viên", "TTV"),),
    ),
    UnitSpec(
        "LTLS",
        "Trung tâm Lưu trữ lịch sử tỉnh",
        UnitKind.PUBLIC_SERVICE,
        "SNV",
        # The Giám đốc post is vacant and nobody acts: decisions pass up to giamdoc.snv.
        posts=(deputy("Phó Giám đốc Trung tâm", "phogiamdoc.ltls"),),
        staff=(
            Staff(5, "Lưu trữ viên", "LTV"),
            Staff(1, "Nhân viên bảo vệ", "HTPV", CONTRACT_WORKER),
        ),
    ),
    # Sở Tài chính
    UnitSpec(
        "STC",
        "Sở Tài chính",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Giám đốc Sở", "giamdoc.stc"),
            deputy("Phó Giám đốc Sở", "phogiamdoc.stc"),
            deputy("Phó Giám đốc Sở"),
        ),
    ),
    office("STC", "chanhvanphong.stc", size=3),
    division(
        "STC-NS",
        "Phòng Ngân sách",
        "STC",
        manager("Trưởng phòng", "truongphong.ns"),
        deputy("Phó Trưởng phòng"),
        login("Chuyên viên", "QLNS", "chuyenvien.stc"),
        staff=(Staff(6, "Chuyên viên", "QLNS"),),
    ),
    division(
        "STC-TCDT",
        "Phòng Tài chính đầu tư",
        "STC",
        manager("Trưởng phòng", "truongphong.tcdt"),
        staff=(Staff(5, "Chuyên viên", "TCDT"),),
    ),
    division(
        "STC-TT",
        "Thanh tra Sở",
        "STC",
        manager("Chánh Thanh tra", "chanhthanhtra.stc"),
        staff=(Staff(3, "Thanh tra viên", "TTV"),),
    ),
    # Sở Kế hoạch và Đầu tư: the Giám đốc post is vacant, a deputy acts as head.
    UnitSpec(
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Phó Giám đốc Sở (phụ trách)", "phutrach.skhdt", acting=True),
            deputy("Phó Giám đốc Sở"),
        ),
    ),
    office("SKHDT", "chanhvanphong.skhdt"),
    division(
        "SKHDT-THQH",
        "Phòng Tổng hợp, Quy hoạch",
        "SKHDT",
        manager("Trưởng phòng", "truongphong.thqh"),
        deputy("Phó Trưởng phòng"),
        login("Chuyên viên", "KHDT", "chuyenvien.skhdt"),
        staff=(Staff(5, "Chuyên viên", "KHDT"),),
    ),
    division(
        "SKHDT-DN",
        "Phòng Doanh nghiệp, Kinh tế tập thể và tư nhân",
        "SKHDT",
        manager("Trưởng phòng", "truongphong.dn"),
        staff=(Staff(4, "Chuyên viên", "KHDT"),),
    ),
    # Sở Giáo dục và Đào tạo and its school.
    UnitSpec(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Giám đốc Sở", "giamdoc.sgddt"),
            deputy("Phó Giám đốc Sở", "phogiamdoc.sgddt"),
            deputy("Phó Giám đốc Sở"),
        ),
    ),
    office("SGDDT", "chanhvanphong.sgddt"),
    division(
        "SGDDT-TCCB",
        "Phòng Tổ chức cán bộ",
        "SGDDT",
        manager("Trưởng phòng", "truongphong.tccb"),
        staff=(Staff(3, "Chuyên viên", "TCCB"),),
    ),
    division(
        "SGDDT-GDTRH",
        "Phòng Giáo dục Trung học",
        "SGDDT",
        manager("Trưởng phòng", "truongphong.gdtrh"),
        deputy("Phó Trưởng phòng"),
        login("Chuyên viên", "QLGD", "chuyenvien.sgddt"),
        staff=(Staff(4, "Chuyên viên", "QLGD"),),
    ),
    UnitSpec(
        "TCV",
        "Trường THPT Trần Cao Vân",
        UnitKind.PUBLIC_SERVICE,
        "SGDDT",
        posts=(
            head("Hiệu trưởng", "hieutruong.tcv"),
            deputy("Phó Hiệu trưởng", "phohieutruong.tcv"),
            deputy("Phó Hiệu trưởng"),
        ),
    ),
    division(
        "TCV-TOAN",
        "Tổ Toán – Tin",
        "TCV",
        manager("Tổ trưởng", "totruong.toan", job="GV"),
        login("Giáo viên", "GV", "giaovien.tcv"),
        staff=(Staff(7, "Giáo viên", "GV"),),
    ),
    division(
        "TCV-VAN",
        "Tổ Ngữ văn",
        "TCV",
        manager("Tổ trưởng", "totruong.van", job="GV"),
        staff=(Staff(7, "Giáo viên", "GV"),),
    ),
    division(
        "TCV-VP",
        "Tổ Văn phòng",
        "TCV",
        manager("Tổ trưởng", "totruong.vp", job="KT"),
        staff=(
            Staff(1, "Văn thư", "VT"),
            Staff(1, "Kế toán", "KT"),
            Staff(2, "Nhân viên bảo vệ", "HTPV", CONTRACT_WORKER),
        ),
    ),
    # Sở Y tế and its hospital.
    UnitSpec(
        "SYT",
        "Sở Y tế",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Giám đốc Sở", "giamdoc.syt"),
            deputy("Phó Giám đốc Sở", "phogiamdoc.syt"),
            deputy("Phó Giám đốc Sở"),
        ),
    ),
    office("SYT", "chanhvanphong.syt"),
    division(
        "SYT-NVY",
        "Phòng Nghiệp vụ Y",
        "SYT",
        manager("Trưởng phòng", "truongphong.nvy"),
        login("Chuyên viên", "QLYT", "chuyenvien.syt"),
        staff=(Staff(4, "Chuyên viên", "QLYT"),),
    ),
    division(
        "SYT-KHTC",
        "Phòng Kế hoạch – Tài chính",
        "SYT",
        manager("Trưởng phòng", "truongphong.khtc"),
        staff=(Staff(2, "Chuyên viên", "QLNS"), Staff(1, "Kế toán", "KT")),
    ),
    UnitSpec(
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        UnitKind.PUBLIC_SERVICE,
        "SYT",
        posts=(
            head("Giám đốc Bệnh viện", "giamdoc.bvdk"),
            deputy("Phó Giám đốc Bệnh viện", "phogiamdoc.bvdk"),
            deputy("Phó Giám đốc Bệnh viện"),
        ),
    ),
    division(
        "BVDK-KHTH",
        "Phòng Kế hoạch tổng hợp",
        "BVDK",
        manager("Trưởng phòng", "truongphong.khth"),
        staff=(Staff(3, "Chuyên viên", "TH"), Staff(1, "Văn thư", "VT")),
    ),
    division(
        "BVDK-NOI",
        "Khoa Nội",
        "BVDK",
        manager("Trưởng khoa", "truongkhoa.noi", job="BS"),
        deputy("Phó Trưởng khoa"),
        login("Bác sĩ", "BS", "bacsi.bvdk"),
        staff=(
            Staff(4, "Bác sĩ", "BS"),
            Staff(7, "Điều dưỡng", "DD"),
            Staff(1, "Hộ lý", "HTPV", CONTRACT_WORKER),
        ),
    ),
    division(
        "BVDK-NGOAI",
        "Khoa Ngoại",
        "BVDK",
        manager("Trưởng khoa", "truongkhoa.ngoai", job="BS"),
        deputy("Phó Trưởng khoa"),
        staff=(
            Staff(5, "Bác sĩ", "BS"),
            Staff(7, "Điều dưỡng", "DD"),
            Staff(1, "Hộ lý", "HTPV", CONTRACT_WORKER),
        ),
    ),
    # Văn phòng UBND tỉnh, where the system administrator works.
    UnitSpec(
        "VPUB",
        "Văn phòng UBND tỉnh",
        UnitKind.DEPARTMENT,
        PROVINCE_CODE,
        posts=(
            head("Chánh Văn phòng UBND tỉnh", "chanhvanphong.ubnd"),
            deputy("Phó Chánh Văn phòng UBND tỉnh", "phochanhvanphong.ubnd"),
            deputy("Phó Chánh Văn phòng UBND tỉnh"),
        ),
    ),
    division(
        "VPUB-TH",
        "Phòng Tổng hợp",
        "VPUB",
        manager("Trưởng phòng", "truongphong.tonghop"),
        deputy("Phó Trưởng phòng"),
        login("Chuyên viên", "TH", "chuyenvien.vpub"),
        staff=(Staff(5, "Chuyên viên", "TH"),),
    ),
    division(
        "VPUB-KT",
        "Phòng Kinh tế",
        "VPUB",
        manager("Trưởng phòng", "truongphong.kinhte"),
        staff=(Staff(4, "Chuyên viên", "TH"),),
    ),
    division(
        "VPUB-HCTC",
        "Phòng Hành chính – Tổ chức",
        "VPUB",
        manager("Trưởng phòng", "truongphong.hctc"),
        staff=(
            Staff(2, "Văn thư", "VT"),
            Staff(2, "Kế toán", "KT"),
            Staff(2, "Nhân viên lái xe", "HTPV", CONTRACT_WORKER),
        ),
    ),
    division(
        "VPUB-THCB",
        "Trung tâm Tin học – Công báo",
        "VPUB",
        manager("Giám đốc Trung tâm", "giamdoc.thcb"),
        login(
            "Chuyên viên",
            "CNTT",
            "admin",
            Grant(Role.SYSTEM_ADMIN, PROVINCE_CODE),
            category=PUBLIC_EMPLOYEE,
        ),
        staff=(Staff(3, "Chuyên viên", "CNTT", PUBLIC_EMPLOYEE),),
    ),
    # Local government before the reform: ended 30/06/2025, merged into their successors.
    UnitSpec(
        "HNTM",
        "UBND huyện Nam Trà My",
        UnitKind.DISTRICT,
        PROVINCE_CODE,
        staff=(Staff(2, "Chuyên viên", "TH", active_to=DISTRICTS_END),),
        merged_into="XTM",
    ),
    UnitSpec(
        "TXDB",
        "UBND thị xã Điện Bàn",
        UnitKind.DISTRICT,
        PROVINCE_CODE,
        staff=(Staff(3, "Chuyên viên", "TH", active_to=DISTRICTS_END),),
        merged_into="PDB",
    ),
    # Communes and wards since 01/07/2025.
    *commune(
        "XTM",
        "UBND xã Trà My",
        "tramy",
        head(
            "Chủ tịch UBND xã",
            "chutich.tramy",
            category=CADRE,
            also=(Grant(Role.HEAD, "HNTM", valid_from=ROLES_FROM, valid_to=DISTRICTS_END),),
        ),
        deputy("Phó Chủ tịch UBND xã", "phochutich.tramy", CADRE),
        deputy("Phó Chủ tịch UBND xã", category=CADRE),
    ),
    *commune(
        "XTT",
        "UBND xã Trà Tập",
        "tratap",
        head("Chủ tịch UBND xã", "chutich.tratap", category=CADRE),
        deputy("Phó Chủ tịch UBND xã", category=CADRE),
        size=2,
    ),
    *commune(
        "PDB",
        "UBND phường Điện Bàn",
        "dienban",
        head(
            "Chủ tịch UBND phường",
            "chutich.dienban",
            category=CADRE,
            also=(
                Grant(Role.HEAD, "PDBD"),
                Grant(Role.HEAD, "TXDB", valid_from=ROLES_FROM, valid_to=DISTRICTS_END),
            ),
        ),
        deputy("Phó Chủ tịch UBND phường", "phochutich.dienban", CADRE),
        deputy("Phó Chủ tịch UBND phường", category=CADRE),
        size=4,
    ),
    # Điện Bàn Đông has no chair of its own: the chair of Điện Bàn heads it concurrently.
    *commune(
        "PDBD",
        "UBND phường Điện Bàn Đông",
        "dienbandong",
        deputy("Phó Chủ tịch UBND phường", "phochutich.dienbandong", CADRE),
        size=3,
    ),
)

UNITS_BY_CODE: dict[str, UnitSpec] = {spec.code: spec for spec in UNITS}


def default_category(code: str) -> str:
    """Viên chức in public-service units (and their divisions), công chức elsewhere."""
    spec: UnitSpec | None = UNITS_BY_CODE[code]
    while spec is not None:
        if spec.kind == UnitKind.PUBLIC_SERVICE:
            return PUBLIC_EMPLOYEE
        if spec.kind != UnitKind.DIVISION:
            return CIVIL_SERVANT
        spec = UNITS_BY_CODE[spec.parent] if spec.parent else None
    return CIVIL_SERVANT


def _random_start(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), 1)


def _email(full_name: str, number: int) -> str:
    """Government style: given name + initials of family and middle names ("annv17")."""
    words = fold(full_name).split()
    initials = "".join(word[0] for word in words[:-1])
    return f"{words[-1]}{initials}{number}@{EMAIL_DOMAIN}"


def _resolve(grant: Grant, own_unit: UnitSpec) -> RolePlan:
    unit = UNITS_BY_CODE[grant.unit or own_unit.code]
    valid_from = grant.valid_from or max(ROLES_FROM, unit.valid_from)
    return RolePlan(grant.role, unit.code, grant.acting, valid_from, grant.valid_to)


class _PeopleWriter:
    """Draws names, phones and dates in a fixed order, so the plan never changes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.phones: set[str] = set()
        self.people: list[PersonPlan] = []

    def _unique_name(self) -> str:
        gender = random_gender(self.rng)
        while True:
            name = random_full_name(self.rng, gender)
            if name not in self.names:
                self.names.add(name)
                return name

    def _phone(self) -> str:
        while True:
            phone = f"09{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def add(
        self,
        unit: UnitSpec,
        *,
        title: str,
        job: str,
        category: str,
        is_leader: bool,
        username: str = "",
        grants: tuple[Grant, ...] = (),
        active_from: datetime.date | None = None,
        active_to: datetime.date | None = None,
    ) -> None:
        number = len(self.people) + 1
        full_name = self._unique_name()
        start = active_from or _random_start(self.rng, 1998 if is_leader else 2003, 2024)
        self.people.append(
            PersonPlan(
                full_name=full_name,
                employee_code=f"QN{number:04d}",
                staff_category=category or default_category(unit.code),
                title=title,
                is_leader=is_leader,
                job_position=job,
                unit=unit.code,
                email=_email(full_name, number),
                phone=self._phone(),
                # Nobody is active in a unit before the unit exists.
                active_from=max(start, unit.valid_from),
                active_to=active_to,
                username=username,
                roles=tuple(_resolve(grant, unit) for grant in grants),
            )
        )


def plan_people(seed: int = SEED) -> list[PersonPlan]:
    """Everyone in the demo province, in unit order: posts first, then ordinary staff."""
    writer = _PeopleWriter(seed)
    for unit in UNITS:
        for post in unit.posts:
            writer.add(
                unit,
                title=post.title,
                job=post.job,
                category=post.category,
                is_leader=post.is_leader,
                username=post.username,
                grants=post.grants,
            )
        for staff in unit.staff:
            for _ in range(staff.count):
                writer.add(
                    unit,
                    title=staff.title,
                    job=staff.job,
                    category=staff.category,
                    is_leader=False,
                    active_from=staff.active_from,
                    active_to=staff.active_to,
                )
    return writer.people


def demo_logins(seed: int = SEED) -> list[tuple[str, str, str]]:
    """(role label, username, full name) of the main demo personas, in table order."""
    names = {person.username: person.full_name for person in plan_people(seed) if person.username}
    return [(label, username, names[username]) for username, label in DEMO_LOGINS]
