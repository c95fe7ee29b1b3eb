"""Two months of demo work for the demo province, written only through the work services.

`python manage.py seed_demo_work` (which `seed_demo` calls) builds it once for the ~40 staff
of eight divisions of Sở Nội vụ, Sở Tài chính, UBND xã Trà My and Trường THPT Trần Cao Vân
(those without a login get one, without a password: only an owner can report on a task):
the product catalogue, monthly plans submitted by their people and approved by their
managers, a unit plan, tasks assigned by heads and managers, from incoming documents and as
regular duties, progress reports with comments and two PDF files, completions on time and
late, assessments with major errors and objective causes, cancellations, reassignments,
extensions, this week's published schedule of Sở Nội vụ, and today's deadline notices. Every
write goes through a service, so the audit log tells the same story as the pages.

Dates follow `today`: the previous month is closed (every task done or cancelled, except the
one appraisal file that `chuyenvien.ccvc` has not finished: their month is the worked example
of docs/domain.md §5), the current month is in progress. Draws come from `random.Random(SEED)` in a
fixed order, so the same day always gives the same work. What the services decide shows:
- `request_extension` refuses once the deadline has passed (it reads today's date), so
  every extension is in the current month;
- `approve_plan` starts a task on max(first of the month, today), capped at its due date, so
  the tasks of last month's plans start on their due date (on time means done that day);
- histories, files and extensions are stamped with the time of seeding (`clock.now()`).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone

from danhgia.accounts.models import User
from danhgia.organisations import services as org_services
from danhgia.organisations.authority import month_bounds
from danhgia.organisations.demo.province import PROVINCE_CODE
from danhgia.organisations.models import JobPosition, Person, Role, Unit, UnitRole
from danhgia.work.models import DeadlineExtension, ProductType, ScheduleEntry, Task, WorkPlan
from danhgia.work.services import assessment, catalogue, extensions, plans, schedules, tasks
from danhgia.work.services.deadlines import notify_deadlines

SEED = 2026
DAY = datetime.timedelta(days=1)
HR_USERNAME = "nhansu"  # creates the staff logins and gives the office role
STAR_USERNAME = "chuyenvien.ccvc"  # the worked example of docs/domain.md §5

# (unit, maintained by, code, name, unit of measure, coefficient, job position or "" for any)
PRODUCTS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("SNV", "giamdoc.snv", "VBTM", "Văn bản tham mưu", "văn bản", "1.0", "TCCB"),
    ("SNV", "giamdoc.snv", "BCCD", "Báo cáo chuyên đề", "báo cáo", "2.0", "TCCB"),
    ("SNV", "giamdoc.snv", "HSTD", "Hồ sơ thẩm định", "hồ sơ", "0.5", "TCCB"),
    ("SNV", "giamdoc.snv", "TTR", "Tờ trình", "tờ trình", "1.5", "TCCB"),
    ("STC", "giamdoc.stc", "BCTDDT", "Báo cáo thẩm định dự toán", "báo cáo", "2.0", "QLNS"),
    ("STC", "giamdoc.stc", "VBTL", "Văn bản trả lời", "văn bản", "1.0", ""),
    ("TCV", "hieutruong.tcv", "GA", "Giáo án", "giáo án", "0.5", "GV"),
    ("TCV", "hieutruong.tcv", "TDTG", "Tiết dạy thao giảng", "tiết", "1.0", "GV"),
    ("BVDK", "giamdoc.bvdk", "HSBA", "Hồ sơ bệnh án", "hồ sơ", "0.25", "BS"),
    ("XTM", "chutich.tramy", "HSMC", "Hồ sơ một cửa", "hồ sơ", "0.5", ""),
    ("XTM", "chutich.tramy", "BCT", "Báo cáo tháng", "báo cáo", "1.0", ""),
)


@dataclass(frozen=True)
class Idea:
    """A kind of task a team does. `title` may use {unit}, {month}, {lesson}, {klass}
    and {village}; `product` is a catalogue code; `jobs` limits who does it."""

    title: str
    product: str = ""
    jobs: tuple[str, ...] = ()
    quantity: tuple[int, int] = (1, 1)
    regular: bool = False


@dataclass(frozen=True)
class Team:
    division: str
    manager: str
    head: str
    issuers: tuple[str, ...]  # signs of the bodies whose documents reach the team
    ideas: tuple[Idea, ...]


TEAMS: tuple[Team, ...] = (
    Team("SNV-CCVC", "truongphong.ccvc", "giamdoc.snv", ("UBND-NC", "BNV-CCVC"), (
        Idea("Tham mưu văn bản hướng dẫn đánh giá, xếp loại công chức hằng tháng", "VBTM"),
        Idea("Tham mưu văn bản trả lời {unit} về tiêu chuẩn chức danh", "VBTM"),
        Idea("Tham mưu kế hoạch thi tuyển công chức năm 2027", "VBTM"),
        Idea("Thẩm định hồ sơ nâng lương trước thời hạn của {unit}", "HSTD"),
        Idea("Thẩm định hồ sơ bổ nhiệm lại công chức lãnh đạo của {unit}", "HSTD"),
        Idea("Thẩm định hồ sơ tiếp nhận viên chức vào làm công chức ({unit})", "HSTD"),
        Idea("Tờ trình phê duyệt vị trí việc làm của {unit}", "TTR"),
        Idea("Tờ trình giao biên chế công chức bổ sung cho {unit}", "TTR"),
        Idea("Báo cáo chuyên đề về chất lượng đội ngũ công chức cấp xã", "BCCD"),
        Idea("Cập nhật cơ sở dữ liệu cán bộ, công chức {month}", regular=True),
    )),
    Team("SNV-XDCQ", "truongphong.xdcq", "giamdoc.snv", ("UBND-NC", "BNV-CQĐP"), (
        Idea("Tổng hợp kết quả vận hành chính quyền địa phương hai cấp {month}"),
        Idea("Dự thảo hướng dẫn thực hiện dân chủ ở cơ sở tại {unit}"),
        Idea("Trả lời {unit} về chế độ người hoạt động không chuyên trách"),
        Idea("Kiểm tra công tác cải cách hành chính tại {unit}"),
        Idea("Rà soát số lượng thôn, tổ dân phố sau sắp xếp", regular=True),
    )),
    Team("SNV-VP", "chanhvanphong.snv", "giamdoc.snv", ("UBND-TH", "SNV-VP"), (
        Idea("Dự thảo lịch công tác tuần của Sở", jobs=("TH",), regular=True),
        Idea("Tổng hợp báo cáo kết quả thực hiện nhiệm vụ {month}", jobs=("TH",)),
        Idea("Chuẩn bị nội dung hội nghị giao ban Sở {month}", jobs=("TH",)),
        Idea("Đăng ký, phát hành văn bản đi {month}", jobs=("VT",), regular=True),
        Idea("Chỉnh lý hồ sơ lưu trữ năm 2025", jobs=("VT",)),
        Idea("Lập bảng thanh toán tiền lương {month}", jobs=("KT",), regular=True),
        Idea("Quyết toán kinh phí hội nghị tập huấn", jobs=("KT",)),
    )),
    Team("STC-NS", "truongphong.ns", "giamdoc.stc", ("UBND-KT", "BTC-NSNN"), (
        Idea("Thẩm định dự toán ngân sách năm 2027 của {unit}", "BCTDDT"),
        Idea("Thẩm định dự toán bổ sung có mục tiêu cho {unit}", "BCTDDT"),
        Idea("Văn bản trả lời {unit} về bổ sung kinh phí hoạt động", "VBTL"),
        Idea("Văn bản trả lời {unit} về chế độ công tác phí", "VBTL"),
        Idea("Tổng hợp tình hình thu, chi ngân sách {month}", regular=True),
    )),
    Team("XTM-VP", "chanhvanphong.tramy", "chutich.tramy", ("UBND-NC", "SNV-XDCQ"), (
        Idea("Giải quyết hồ sơ chứng thực bản sao", "HSMC", quantity=(6, 12), regular=True),
        Idea("Giải quyết hồ sơ đăng ký khai sinh", "HSMC", ("TPHT",), (3, 8), regular=True),
        Idea("Báo cáo tháng về công tác văn phòng {month}", "BCT", ("VPTK",)),
        Idea("Báo cáo tháng về công tác tư pháp, hộ tịch {month}", "BCT", ("TPHT",)),
        Idea("Dự thảo thông báo kết luận phiên họp UBND xã", jobs=("VPTK",)),
    )),
    Team("XTM-KT", "truongphong.kt.tramy", "chutich.tramy", ("UBND-KT", "STC-NS"), (
        Idea("Giải quyết hồ sơ đăng ký đất đai tại {village}", "HSMC", ("DCXD",), (2, 6)),
        Idea("Báo cáo tháng về trật tự xây dựng {month}", "BCT", ("DCXD",)),
        Idea("Kiểm tra hiện trạng sử dụng đất tại {village}", jobs=("DCXD",)),
        Idea("Báo cáo tháng về thu, chi ngân sách xã {month}", "BCT", ("TCKT",)),
        Idea("Lập chứng từ thanh toán chi thường xuyên {month}", jobs=("TCKT",), regular=True),
    )),
    Team("XTM-VHXH", "truongphong.vhxh.tramy", "chutich.tramy", ("UBND-KGVX", "SYT-NVY"), (
        Idea("Giải quyết hồ sơ trợ cấp xã hội", "HSMC", quantity=(2, 5), regular=True),
        Idea("Báo cáo tháng về công tác văn hóa – xã hội {month}", "BCT"),
        Idea("Rà soát hộ nghèo, hộ cận nghèo tại {village}"),
        Idea("Tuyên truyền phòng, chống thiên tai tại {village}"),
    )),
    Team("TCV-TOAN", "totruong.toan", "hieutruong.tcv", ("SGDĐT-GDTrH",), (
        Idea("Soạn giáo án Toán – {lesson}", "GA", ("GV",), (2, 4), regular=True),
        Idea("Tiết dạy thao giảng Toán lớp {klass} – {lesson}", "TDTG", ("GV",)),
        Idea("Ra đề kiểm tra giữa kỳ môn Toán lớp {klass}"),
        Idea("Chấm, chữa bài kiểm tra lớp {klass}"),
        Idea("Bồi dưỡng đội tuyển học sinh giỏi Toán – Tin"),
    )),
)  # fmt: skip
TEAM = {team.division: team for team in TEAMS}

ADDRESSEES = (
    "Sở Y tế", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Kế hoạch và Đầu tư",
    "UBND xã Trà My", "UBND xã Trà Tập", "UBND phường Điện Bàn", "Bệnh viện Đa khoa tỉnh",
)  # fmt: skip
LESSONS = (
    "Hàm số bậc hai", "Cấp số cộng", "Giới hạn của dãy số", "Đạo hàm", "Vectơ",
    "Xác suất của biến cố", "Phương trình lượng giác", "Mẫu số liệu ghép nhóm",
)  # fmt: skip
CLASSES = ("10A1", "10A3", "11A2", "11A5", "12A1", "12A4")
VILLAGES = ("thôn 1", "thôn 2", "thôn Long Viên", "thôn Trà Dơn", "thôn Tak Pổ")

PROGRESS_NOTES = (
    "Đã thu thập xong số liệu, đang dự thảo.",
    "Đã gửi xin ý kiến các phòng liên quan.",
    "Dự thảo lần 1 đã trình trưởng phòng.",
    "Đang chờ đơn vị bổ sung hồ sơ.",
    "Cơ bản hoàn thành, đang rà soát lại số liệu.",
)
ASSIGNER_COMMENTS = (
    "Lưu ý đối chiếu số liệu với báo cáo quý III.",
    "Đề nghị hoàn thiện sớm để kịp trình lãnh đạo.",
    "Thống nhất mẫu biểu với Văn phòng trước khi gửi.",
)
RESULTS = (
    "Đã trình lãnh đạo ký ban hành.",
    "Đã gửi kết quả qua hệ thống quản lý văn bản.",
    "Đã hoàn thành, hồ sơ lưu tại bộ phận.",
    "",
)
CANCEL_REASONS = (
    "UBND tỉnh đã giao đơn vị khác chủ trì nội dung này.",
    "Văn bản đến đã được thu hồi, không còn phải xử lý.",
    "Nội dung đã lồng ghép vào báo cáo chung của đơn vị.",
    "Đơn vị đề nghị rút hồ sơ.",
)
OBJECTIVE_CAUSES = (
    "Chậm do chờ số liệu của Bộ Nội vụ gửi về; đã báo cáo lãnh đạo trước hạn.",
    "Mưa lũ chia cắt giao thông, không kiểm tra thực địa được đúng hạn.",
)
EXTENSION_REASONS = (
    "Đơn vị chưa gửi đủ hồ sơ, cần thêm thời gian đối chiếu.",
    "Phải chờ ý kiến góp ý của các sở, ngành.",
    "Trùng lịch tập huấn của tỉnh.",
)


def evidence_pdf(text: str) -> bytes:
    """A small valid one-page PDF (page tree, font, content stream, xref) showing `text`."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({escaped}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, evidence_pdf(text), content_type="application/pdf")


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = (first + DAY * offset for offset in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def province() -> Unit | None:
    return Unit.objects.filter(code=PROVINCE_CODE).first()


def work_exists() -> bool:
    """Demo work is there once the province has any catalogue product or task."""
    root = province()
    if root is None:
        return False
    in_province = Q(unit__path__startswith=root.path)
    return ProductType.objects.filter(in_province).exists() or (
        Task.objects.filter(in_province).exists()
    )


@dataclass
class WorkResult:
    months: tuple[datetime.date, datetime.date]
    people: int = 0
    logins: int = 0
    products: int = 0
    plans: int = 0
    tasks: dict[str, int] = field(default_factory=dict)
    extensions: int = 0
    schedule_entries: int = 0
    reminders: int = 0
    overdue_notices: int = 0

    def summary(self, seconds: str) -> str:
        previous, current = (f"{month:%m/%Y}" for month in self.months)
        status = self.tasks
        return (
            f"Đã tạo công việc mô phỏng tháng {previous} và {current}: {self.products} sản "
            f"phẩm trong danh mục, {self.plans} kế hoạch, {sum(status.values())} công việc "
            f"của {self.people} người ({status.get(Task.Status.DONE, 0)} hoàn thành, "
            f"{status.get(Task.Status.IN_PROGRESS, 0)} đang làm, "
            f"{status.get(Task.Status.NOT_STARTED, 0)} chưa bắt đầu, "
            f"{status.get(Task.Status.CANCELLED, 0)} đã hủy), {self.extensions} đề nghị gia "
            f"hạn, lịch tuần Sở Nội vụ {self.schedule_entries} mục, {self.reminders} nhắc hạn "
            f"và {self.overdue_notices} báo quá hạn; {self.logins} tài khoản mới cho nhân "
            f"sự chưa có (chưa đặt mật khẩu) ({seconds} giây)."
        )


class _Builder:
    """Writes the work in a fixed order; keeps the users it acts as (their roles are cached
    on the User object, so the same object is reused)."""

    def __init__(self, today: datetime.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.current, self.current_last = month_bounds(today)
        self.previous, self.previous_last = month_bounds(self.current - DAY)
        self.users: dict[str, User] = {}  # by username
        self.users_by_id: dict[int, User] = {}
        self.owner_users: dict[int, User] = {}  # by person id
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.products: dict[str, ProductType] = {}
        self.team_people: dict[str, list[Person]] = {}
        self.objective_causes_left = len(OBJECTIVE_CAUSES)
        self.result = WorkResult(months=(self.previous, self.current))

    # People and users

    def remember(self, user: User) -> User:
        self.users[user.username] = self.users_by_id[user.pk] = user
        return user

    def user(self, username: str) -> User:
        return self.users.get(username) or self.remember(User.objects.get(username=username))

    def user_of(self, person: Person) -> User:
        assert person.user is not None
        return self.users_by_id.get(person.user.pk) or self.remember(person.user)

    def person_of(self, username: str) -> Person:
        return Person.objects.select_related("unit", "user").get(user__username=username)

    def load_people(self) -> None:
        """The staff of every team, active in both months; a login for those without one."""
        hr = self.user(HR_USERNAME)
        for team in TEAMS:
            people = list(
                Person.objects.active_on(self.previous)
                .active_on(self.today)
                .filter(unit__code=team.division, is_leader=False)
                .exclude(job_position__code="HTPV")
                .select_related("unit", "user", "job_position")
                .order_by("employee_code")
            )
            for person in people:
                if person.user_id is None:
                    self.remember(org_services.create_login(person, by=hr))
                    self.result.logins += 1
            self.team_people[team.division] = people
            self.result.people += len(people)

    # Catalogue and roles

    def create_catalogue(self) -> None:
        jobs = {position.code: position for position in JobPosition.objects.all()}
        valid_from = self.previous.replace(month=1, day=1)
        for unit_code, by, code, name, measure, coefficient, job in PRODUCTS:
            self.products[code] = catalogue.create_product_type(
                unit=self.units[unit_code],
                code=code,
                name=name,
                unit_of_measure=measure,
                coefficient=Decimal(coefficient),
                valid_from=valid_from,
                by=self.user(by),
                job_position=jobs[job] if job else None,
            )
        self.result.products = len(self.products)

    def office_user(self) -> User:
        """Who keeps the schedule of Sở Nội vụ: an office role holder, or a Văn phòng
        Chuyên viên given the role now (by the HR officer)."""
        department = self.units["SNV"]
        holder = (
            UnitRole.objects.active_on(self.today)
            .filter(role=Role.OFFICE, unit__in=[department, self.units["SNV-VP"]])
            .select_related("user")
            .first()
        )
        if holder is not None:
            return self.user(holder.user.username)
        clerk = next(p for p in self.team_people["SNV-VP"] if p.title == "Chuyên viên")
        user = self.user_of(clerk)
        org_services.assign_role(
            user, department, Role.OFFICE, by=self.user(HR_USERNAME), valid_from=self.previous
        )
        return self.remember(User.objects.get(pk=user.pk))  # roles are cached per object

    # Drawing tasks

    def ideas_for(self, team: Team, person: Person, *, with_product: bool = False) -> list[Idea]:
        job = person.job_position.code if person.job_position else ""
        return [
            idea
            for idea in team.ideas
            if (not idea.jobs or job in idea.jobs)
            and (not idea.product or self._product_fits(idea.product, job))
            and (idea.product or not with_product)
        ]

    def _product_fits(self, code: str, job: str) -> bool:
        position = self.products[code].job_position
        return position is None or position.code == job

    def title(self, idea: Idea, month: datetime.date) -> str:
        rng = self.rng
        values = {
            "unit": rng.choice(ADDRESSEES),
            "lesson": rng.choice(LESSONS),
            "klass": rng.choice(CLASSES),
            "village": rng.choice(VILLAGES),
            "month": f"tháng {month:%m/%Y}",
        }
        return idea.title.format(**values)

    def quantity(self, idea: Idea) -> Decimal:
        return Decimal(self.rng.randint(*idea.quantity))

    def due_day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return self.rng.choice(working_days(first, last) or [last])

    def assign(
        self,
        team: Team,
        person: Person,
        idea: Idea,
        *,
        month: datetime.date,
        due: datetime.date,
        start: datetime.date | None = None,
        by: str = "",
        source: str = "",
    ) -> Task:
        """One task of `idea` for `person`, by the team's manager (sometimes its head)."""
        rng = self.rng
        if not source:
            kinds = [Task.Source.ASSIGNMENT, Task.Source.DOCUMENT]
            source = Task.Source.REGULAR if idea.regular else rng.choice(kinds)
        if not by:
            by = team.head if source == Task.Source.ASSIGNMENT and rng.random() < 0.3 else ""
        start = start or max(due - DAY * rng.randint(2, 12), month - DAY * 7)
        number, dated = "", None
        if source == Task.Source.DOCUMENT:
            number = f"{rng.randint(80, 2900)}/{rng.choice(team.issuers)}"
            dated = start - DAY * rng.randint(0, 3)
        others = [p for p in self.team_people[team.division] if p.pk != person.pk]
        coordinators = [rng.choice(others)] if others and rng.random() < 0.12 else []
        return tasks.assign_task(
            title=self.title(idea, month),
            unit=person.unit,
            owner=person,
            by=self.user(by or team.manager),
            source=source,
            start_date=start,
            due_date=due,
            product_type=self.products[idea.product] if idea.product else None,
            quantity=self.quantity(idea),
            coordinators=coordinators,
            document_number=number,
            document_date=dated,
        )

    def fill(self, team: Team, person: Person, month: datetime.date, count: int) -> list[Task]:
        last = month_bounds(month)[1]
        if month == self.current:
            last = max(last, self.today + DAY * 7)  # some open work runs into next month
        ideas = self.ideas_for(team, person)
        return [
            self.assign(
                team, person, self.rng.choice(ideas), month=month, due=self.due_day(month, last)
            )
            for _ in range(count)
        ]

    # Plans

    def personal_plan(
        self, team: Team, person: Person, month: datetime.date, items: int
    ) -> WorkPlan:
        """A person's plan with `items` catalogue lines, created and submitted by them."""
        owner = self.user_of(person)
        plan = plans.create_plan(person.unit, person, month, by=owner)
        ideas = self.ideas_for(team, person, with_product=True) or self.ideas_for(team, person)
        last = month_bounds(month)[1]
        for _ in range(items):
            idea = self.rng.choice(ideas)
            plans.add_item(
                plan,
                by=owner,
                title=self.title(idea, month),
                due_date=self.due_day(month, last),
                quantity=self.quantity(idea),
                product_type=self.products[idea.product] if idea.product else None,
            )
        self.result.plans += 1
        return plans.submit_plan(plan, by=owner)

    def approve(self, plan: WorkPlan, by: str) -> list[Task]:
        plans.approve_plan(plan, by=self.user(by))
        return list(Task.objects.filter(plan_item__plan=plan).order_by("plan_item__pk"))

    # Outcomes

    def owner_user(self, task: Task) -> User:
        if task.owner_id not in self.owner_users:
            owner = Person.objects.select_related("user").get(pk=task.owner_id)
            self.owner_users[task.owner_id] = self.user_of(owner)
        return self.owner_users[task.owner_id]

    def assigner(self, task: Task) -> User:
        return self.users_by_id.get(task.assigned_by_id) or self.remember(task.assigned_by)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + DAY * self.rng.randint(0, max(0, (last - first).days))

    def report(self, task: Task, owner: User, progress: int | None = None) -> None:
        percent = progress if progress is not None else self.rng.choice((20, 30, 50, 60, 70, 80))
        tasks.report_progress(
            task, by=owner, progress=percent, text=self.rng.choice(PROGRESS_NOTES)
        )

    def complete(self, task: Task, owner: User, *, late: bool) -> Task:
        rng = self.rng
        if late:
            on = min(task.deadline + DAY * rng.randint(1, 6), self.today)
        else:
            on = self.day_between(task.start_date, min(task.deadline, self.today))
        return tasks.complete_task(task, by=owner, on=on, text=rng.choice(RESULTS))

    def assess(self, task: Task) -> None:
        draw = self.rng.random()
        by = self.assigner(task)
        if task.days_late and self.objective_causes_left:
            self.objective_causes_left -= 1
            note = OBJECTIVE_CAUSES[self.objective_causes_left]
            assessment.assess_task(task, by=by, meets_quality=True, objective_cause=True, note=note)
        elif draw < 0.85:
            assessment.assess_task(task, by=by, meets_quality=True)
        elif draw < 0.94:
            assessment.assess_task(task, by=by, meets_quality=True, major_errors=1)
        else:
            errors = self.rng.randint(1, 2)
            assessment.assess_task(task, by=by, meets_quality=False, major_errors=errors)

    def cancel(self, task: Task) -> None:
        tasks.cancel_task(task, by=self.assigner(task), reason=self.rng.choice(CANCEL_REASONS))

    def maybe_discuss(self, task: Task, owner: User) -> None:
        if self.rng.random() < 0.2:
            self.report(task, owner)
        if self.rng.random() < 0.08:
            tasks.comment(task, by=self.assigner(task), text=self.rng.choice(ASSIGNER_COMMENTS))

    def settle_previous(self, task: Task) -> None:
        """A task of the closed month: cancelled, or done (a fifth late) and assessed."""
        draw = self.rng.random()
        if draw < 0.06:
            self.cancel(task)
            return
        owner = self.owner_user(task)
        self.maybe_discuss(task, owner)
        done = self.complete(task, owner, late=draw > 0.8)
        self.assess(done)

    def settle_current(self, task: Task) -> None:
        """A task of this month: by its deadline done (and maybe assessed), in progress,
        not started, overdue, or (rarely) cancelled."""
        draw = self.rng.random()
        owner = self.owner_user(task)
        if task.deadline < self.today:
            if draw < 0.03:
                return  # overdue, not started
            if draw < 0.06:
                self.report(task, owner)  # overdue, in progress
                return
            if draw < 0.08:
                self.cancel(task)
                return
            self.maybe_discuss(task, owner)
            done = self.complete(task, owner, late=draw > 0.8)
            if self.rng.random() < 0.5:
                self.assess(done)
        elif task.start_date <= self.today:
            if draw < 0.15:
                self.complete(task, owner, late=False)
            elif draw < 0.65:
                self.report(task, owner)

    # The months

    def previous_month(self) -> None:
        """The worked example, personal plans (one item removed after approval), then tasks
        up to 4–6 a person, one reassignment; then every task is settled."""
        month, to_settle = self.previous, []
        counts: dict[int, int] = {}  # tasks so far, by person id
        ccvc, xtm = TEAM["SNV-CCVC"], TEAM["XTM-VP"]
        star = self.person_of(STAR_USERNAME)
        counts[star.pk] = self.worked_example(ccvc, star)  # their whole month
        nhansu = self.person_of(HR_USERNAME)
        colleagues = [p for p in self.team_people[ccvc.division] if p.pk != star.pk][:3]
        for team, people in ((ccvc, colleagues), (xtm, self.team_people[xtm.division])):
            for person in people:
                plan = self.personal_plan(team, person, month, items=self.rng.randint(3, 4))
                created = self.approve(plan, team.manager)
                if person.pk == nhansu.pk:
                    item = plan.items.order_by("pk").last()
                    assert item is not None
                    reason = "Nội dung đã chuyển sang kế hoạch của Phòng Xây dựng chính quyền."
                    plans.remove_item(item, by=self.user(ccvc.manager), reason=reason)
                counts[person.pk] = len(created)
                to_settle += created
        for team in TEAMS:
            for person in self.team_people[team.division]:
                missing = self.rng.randint(4, 6) - counts.get(person.pk, 0)
                to_settle += self.fill(team, person, month, max(0, missing))
        self.reassign_one(to_settle, ccvc, exclude=star)
        self.settle_open(to_settle, self.settle_previous)

    def worked_example(self, team: Team, star: Person) -> int:
        """The month of docs/domain.md §5: 4 advisory letters (one with a major error), one
        thematic report delivered late, 3 of 4 appraisal files done (the fourth still open);
        everything else on time and of good quality. Returns the number of tasks (9)."""
        month, owner = self.previous, self.user_of(star)
        plan = plans.create_plan(star.unit, star, month, by=owner)
        lines = [
            ("Báo cáo chuyên đề về chất lượng đội ngũ công chức cấp xã", "BCCD", 16),
            ("Tham mưu văn bản hướng dẫn đánh giá, xếp loại công chức hằng tháng", "VBTM", 8),
            ("Tham mưu văn bản trả lời Sở Y tế về tiêu chuẩn chức danh", "VBTM", 20),
            *[(f"Thẩm định hồ sơ nâng lương trước thời hạn, đợt {n}", "HSTD", 5 + 5 * n)
              for n in range(1, 5)],
        ]  # fmt: skip
        for title, code, day in lines:
            due = self.due_day(month.replace(day=day), month_bounds(month)[1])
            plans.add_item(
                plan, by=owner, title=title, due_date=due, product_type=self.products[code]
            )
        self.result.plans += 1
        plans.submit_plan(plan, by=owner)
        report, letter_1, letter_2, *files = self.approve(plan, team.manager)
        letter_idea = Idea("Tham mưu văn bản trả lời {unit} về tuyển dụng viên chức", "VBTM")
        due = self.due_day(month.replace(day=12), month.replace(day=20))
        letter_3 = self.assign(
            team, star, letter_idea, month=month, due=due, source=Task.Source.DOCUMENT
        )
        letter_4 = self.assign(
            team,
            star,
            letter_idea,
            month=month,
            due=due + DAY * 7,
            by=team.head,
            source=Task.Source.ASSIGNMENT,
        )
        tasks.report_progress(report, by=owner, progress=60, text="Đã tổng hợp số liệu 9 xã.")
        tasks.comment(report, by=self.assigner(report), text="Bổ sung số liệu của xã Trà Tập.")
        late = min(report.deadline + DAY * 3, self.today)
        pdf = pdf_upload("Báo cáo chuyên đề.pdf", "Bao cao chuyen de chat luong cong chuc cap xa")
        report = tasks.complete_task(report, by=owner, on=late, text="Đã trình.", files=[pdf])
        assessment.assess_task(report, by=self.assigner(report), meets_quality=True)
        for letter in (letter_1, letter_2, letter_3, letter_4):
            done = tasks.complete_task(letter, by=owner, on=letter.due_date, text=RESULTS[0])
            errors = 1 if letter is letter_3 else 0
            assessment.assess_task(
                done, by=self.assigner(done), meets_quality=True, major_errors=errors
            )
        for appraisal in files[:3]:
            done = tasks.complete_task(appraisal, by=owner, on=appraisal.due_date)
            assessment.assess_task(done, by=self.assigner(done), meets_quality=True)
        tasks.report_progress(files[3], by=owner, progress=60, text="Chờ đơn vị bổ sung bằng cấp.")
        return 9

    def settle_open(self, created: list[Task], settle: Callable[[Task], None]) -> None:
        """Settle, in order, those of `created` still open (a removed item's task is not)."""
        ids = [task.pk for task in created]
        still_open = set(Task.objects.open().filter(pk__in=ids).values_list("pk", flat=True))
        for task in created:
            if task.pk in still_open:
                settle(task)

    def reassign_one(
        self, candidates: list[Task], team: Team, *, exclude: Person | None = None
    ) -> Task:
        """Hand one of the team's assigned (not planned) tasks to a colleague, before any
        of them is settled; `exclude` keeps one person's tasks as they are."""
        people = [p for p in self.team_people[team.division] if p != exclude]
        ids = {p.pk for p in people}
        task = next(t for t in candidates if t.owner_id in ids and t.source != Task.Source.PLAN)
        new_owner = next(p for p in people if p.pk != task.owner_id)
        reason = "Điều chỉnh phân công: người được giao đi học lớp bồi dưỡng chuyên viên chính."
        moved = tasks.reassign_task(
            task, by=self.user(team.manager), new_owner=new_owner, reason=reason
        )
        candidates[candidates.index(task)] = moved
        return moved

    def current_month(self) -> None:
        """Personal plans (one returned and resubmitted, one changed after approval, one
        still waiting), the unit plan, tasks up to 4–6 a person, one reassignment, each task
        settled by its dates; then the open tasks due in the next days."""
        month, to_settle = self.current, []
        counts: dict[int, int] = {}
        ccvc, xtm = TEAM["SNV-CCVC"], TEAM["XTM-VP"]
        ccvc_people = self.team_people[ccvc.division][:4]
        for index, person in enumerate(ccvc_people):
            plan = self.personal_plan(ccvc, person, month, items=self.rng.randint(2, 3))
            if index == 2:  # returned once, completed, approved
                manager = self.user(ccvc.manager)
                reason = "Đề nghị bổ sung tờ trình theo chỉ đạo của Giám đốc Sở."
                plans.return_plan(plan, by=manager, reason=reason)
                plans.add_item(
                    plan,
                    by=self.user_of(person),
                    title="Tờ trình giao biên chế công chức bổ sung cho Sở Y tế",
                    due_date=self.due_day(month, self.current_last),
                    product_type=self.products["TTR"],
                )
                plans.submit_plan(plan, by=self.user_of(person))
            created = self.approve(plan, ccvc.manager)
            if index == 3:
                item = plans.add_item_after_approval(
                    plan,
                    by=self.user(ccvc.manager),
                    title="Thẩm định hồ sơ bổ nhiệm lại công chức lãnh đạo của Sở Tài chính",
                    due_date=self.due_day(month, self.current_last),
                    product_type=self.products["HSTD"],
                )
                assert item.task is not None
                created.append(item.task)
            counts[person.pk] = len(created)
            to_settle += created
        for index, person in enumerate(self.team_people[xtm.division]):
            plan = self.personal_plan(xtm, person, month, items=3)
            if index < 3:  # the last one waits for the manager's approval
                created = self.approve(plan, xtm.manager)
                counts[person.pk] = len(created)
                to_settle += created
        to_settle += self.unit_plan()
        for team in TEAMS:
            for person in self.team_people[team.division]:
                missing = self.rng.randint(4, 6) - counts.get(person.pk, 0)
                to_settle += self.fill(team, person, month, max(0, missing))
        xtm_kt = TEAM["XTM-KT"]
        self.reassign_one(to_settle, xtm_kt)
        self.settle_open(to_settle, self.settle_current)
        self.due_soon()

    def unit_plan(self) -> list[Task]:
        """The plan of Sở Nội vụ as a whole: lines for its division heads, written and
        submitted by the deputy director, approved by the director."""
        department, deputy = self.units["SNV"], self.user("phogiamdoc.snv")
        plan = plans.create_plan(department, None, self.current, by=deputy)
        lines = (
            ("truongphong.ccvc", "Tổng hợp kết quả đánh giá, xếp loại công chức tháng trước"),
            ("truongphong.xdcq", "Báo cáo kết quả vận hành chính quyền địa phương hai cấp"),
            ("chanhvanphong.snv", "Tổ chức hội nghị sơ kết công tác nội vụ"),
            ("chanhthanhtra.snv", "Kiểm tra việc thực hiện văn hóa công vụ tại các sở"),
        )
        for username, title in lines:
            plans.add_item(
                plan,
                by=deputy,
                title=title,
                due_date=self.due_day(self.current, self.current_last),
                owner=self.person_of(username),
            )
        self.result.plans += 1
        plans.submit_plan(plan, by=deputy)
        return self.approve(plan, "giamdoc.snv")

    def due_soon(self) -> None:
        """Open tasks due tomorrow and the day after in each team, the star's task with a
        pending extension, and a teacher's demonstration lesson reported with a PDF."""
        for index, team in enumerate(TEAMS):
            people = self.team_people[team.division]
            person = people[index % len(people)]
            due = self.today + DAY * (1 + index % 2)
            ideas = self.ideas_for(team, person)
            task = self.assign(team, person, self.rng.choice(ideas), month=self.current, due=due)
            if index % 3 == 0:
                self.report(task, self.user_of(person))
        star = self.person_of(STAR_USERNAME)
        owner = self.user_of(star)
        idea = Idea("Tờ trình phê duyệt kế hoạch tuyển dụng công chức năm 2027", "TTR")
        task = self.assign(
            TEAM["SNV-CCVC"],
            star,
            idea,
            month=self.current,
            due=self.today + DAY * 3,
            start=self.today,
        )
        self.report(task, owner, 40)
        extensions.request_extension(
            task,
            by=owner,
            proposed_deadline=task.deadline + DAY * 7,
            reason="Chờ Sở Tài chính cho ý kiến về kinh phí tổ chức thi tuyển.",
        )
        toan = TEAM["TCV-TOAN"]
        teacher = self.team_people[toan.division][0]
        lesson = Idea("Tiết dạy thao giảng Toán lớp 11A2 – Cấp số cộng", "TDTG")
        task = self.assign(toan, teacher, lesson, month=self.current, due=self.today + DAY * 5)
        pdf = pdf_upload("Giáo án thao giảng – Cấp số cộng.pdf", "Giao an thao giang: Cap so cong")
        tasks.report_progress(
            task, by=self.user_of(teacher), progress=50, text="Đã soạn xong giáo án.", files=[pdf]
        )

    def answer_extensions(self) -> None:
        """Among this month's open tasks not yet overdue: three extensions approved (one task
        then done), two refused, one more left pending."""
        candidates = list(
            Task.objects.open()
            .filter(deadline__gte=self.today, due_date__gte=self.current)
            .annotate(asked=Count("extensions"))
            .filter(asked=0)
            .order_by("pk")
        )
        self.rng.shuffle(candidates)
        for index, task in enumerate(candidates[:6]):
            owner = self.owner_user(task)
            extension = extensions.request_extension(
                task,
                by=owner,
                proposed_deadline=task.deadline + DAY * self.rng.randint(3, 7),
                reason=self.rng.choice(EXTENSION_REASONS),
            )
            if index == 5:
                continue  # pending
            approve = index < 3
            note = (
                "Đồng ý, không gia hạn thêm." if approve else "Cần hoàn thành đúng hạn để tổng hợp."
            )
            extensions.answer_extension(
                extension, by=self.assigner(task), approve=approve, note=note
            )
            if index == 0 and task.start_date <= self.today:
                tasks.complete_task(task, by=owner, on=self.today, text=RESULTS[1])

    def schedule(self) -> None:
        """This week's schedule of Sở Nội vụ, kept by its office, published."""
        office = self.office_user()
        monday = schedules.monday_of(self.today)
        schedule = schedules.create_schedule(self.units["SNV"], monday, by=office)
        director, deputy = self.person_of("giamdoc.snv"), self.person_of("phogiamdoc.snv")
        managers = [
            self.person_of(name)
            for name in ("truongphong.ccvc", "truongphong.xdcq", "chanhvanphong.snv")
        ]
        entries: tuple[tuple[int, str, str, str, str, Person, list[Person], str, str], ...] = (
            (0, "07:30", "09:00", "Giao ban lãnh đạo Sở đầu tuần", "Phòng họp tầng 2", director,
             [deputy, *managers], "Trưởng các phòng, đơn vị thuộc Sở", ScheduleEntry.Kind.MEETING),
            (0, "14:00", "16:30", "Họp Hội đồng xét nâng lương trước thời hạn", "Phòng họp tầng 2",
             deputy, [managers[0], self.person_of(STAR_USERNAME)], "", ScheduleEntry.Kind.MEETING),
            (1, "08:00", "11:00", "Tiếp công dân định kỳ", "Phòng tiếp công dân", director,
             [self.person_of("chanhthanhtra.snv")], "", ScheduleEntry.Kind.MEETING),
            (2, "08:00", "11:30", "Làm việc với UBND xã Trà My về sắp xếp công chức cấp xã",
             "UBND xã Trà My", director, [managers[1]], "Lãnh đạo UBND xã Trà My",
             ScheduleEntry.Kind.EVENT),
            (3, "14:00", "17:00", "Họp xét tuyển viên chức ngành giáo dục", "Phòng họp tầng 2",
             deputy, [managers[0]], "Đại diện Sở Giáo dục và Đào tạo", ScheduleEntry.Kind.MEETING),
            (4, "08:00", "11:00", "Dự phiên họp thường kỳ UBND tỉnh", "Văn phòng UBND tỉnh",
             director, [], "", ScheduleEntry.Kind.EVENT),
            (4, "15:00", "16:30", "Họp cơ quan, đánh giá công việc trong tuần", "Hội trường Sở",
             director, [deputy, *managers], "Toàn thể công chức, người lao động",
             ScheduleEntry.Kind.MEETING),
        )  # fmt: skip
        for offset, start, end, title, place, chair, people, note, kind in entries:
            day = monday + DAY * offset
            schedules.add_entry(
                schedule,
                by=office,
                starts_at=self.at(day, start),
                ends_at=self.at(day, end),
                title=title,
                place=place,
                chair=chair,
                participants=people,
                participants_note=note,
                kind=kind,
            )
        schedules.publish_schedule(schedule, by=office)
        self.result.schedule_entries = len(entries)

    @staticmethod
    def at(day: datetime.date, hour_minute: str) -> datetime.datetime:
        time = datetime.time.fromisoformat(hour_minute)
        return timezone.make_aware(datetime.datetime.combine(day, time))


def build_work(today: datetime.date) -> WorkResult:
    """Write the demo work for the months of `today` and the one before; the caller wraps it
    in one transaction. Assumes the demo province exists and `work_exists()` is False."""
    builder = _Builder(today)
    builder.load_people()
    builder.create_catalogue()
    builder.previous_month()
    builder.current_month()
    builder.answer_extensions()
    builder.schedule()
    result = builder.result
    root = province()
    assert root is not None
    in_province = Task.objects.filter(unit__path__startswith=root.path)
    result.tasks = dict(in_province.values_list("status").annotate(n=Count("id")).order_by())
    result.extensions = DeadlineExtension.objects.filter(task__in=in_province).count()
    result.reminders, result.overdue_notices = notify_deadlines(today)
    return result
