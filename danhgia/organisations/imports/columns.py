"""The columns of the unit and people files: the one place that defines the file format.

Imports match headers against `header` and `aliases` (accents and case optional), the
downloadable template and its "Hướng dẫn" sheet are generated from these specs, and exports
write the same headers so an export imports back unchanged. Headers are Vietnamese in every
language: they are the file format, not interface text.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from danhgia.core.spreadsheet import yes_no
from danhgia.organisations.imports import cells
from danhgia.organisations.models import ImportKind, StaffCategory, UnitKind


def _same(value: Any) -> object:
    return value


@dataclass(frozen=True)
class Column:
    """One column: `parse` turns a raw cell into the stored value, `to_cell` does the reverse."""

    key: str
    header: str
    parse: Callable[[object], Any]
    help: Promise
    example: object
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: str = ""
    to_cell: Callable[[Any], object] = field(default=_same)

    def header_keys(self) -> set[str]:
        return {cells.choice_key(name) for name in (self.header, *self.aliases)}


UNIT_KIND_LABELS: dict[str, tuple[str, ...]] = {
    UnitKind.PROVINCE: ("tỉnh/thành phố", "tỉnh", "thành phố", "province"),
    UnitKind.DEPARTMENT: ("sở/ban/ngành", "sở", "ban", "ngành", "cơ quan", "department"),
    UnitKind.COMMUNE: ("xã/phường", "xã", "phường", "thị trấn", "đặc khu", "commune"),
    UnitKind.DISTRICT: ("huyện", "quận", "thị xã", "district"),
    UnitKind.DIVISION: ("phòng", "division"),
    UnitKind.PUBLIC_SERVICE: ("đơn vị sự nghiệp", "sự nghiệp", "public service"),
}
STAFF_CATEGORY_LABELS: dict[str, tuple[str, ...]] = {
    StaffCategory.CADRE: ("cán bộ",),
    StaffCategory.CIVIL_SERVANT: ("công chức",),
    StaffCategory.PUBLIC_EMPLOYEE: ("viên chức",),
    StaffCategory.CONTRACT_WORKER: ("người lao động", "lao động hợp đồng", "hợp đồng"),
}


def _label(labels: dict[str, tuple[str, ...]]) -> Callable[[Any], object]:
    return lambda value: labels[value][0] if value in labels else value


def _yes_no(value: Any) -> object:
    return yes_no(bool(value))


def _allowed(labels: dict[str, tuple[str, ...]]) -> str:
    return ", ".join(names[0] for names in labels.values())


_DATE_EXAMPLE = datetime.date(2024, 1, 1)
_code = cells.text(40)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã đơn vị",
        _code,
        _("Required. The unit's own code; importing the same code again updates the unit."),
        "SNV",
        required=True,
        aliases=("Mã", "Mã ĐV"),
    ),
    Column("name", "Tên đơn vị", cells.text(255), _("Required."), "Sở Nội vụ", required=True),
    Column(
        "kind",
        "Loại",
        cells.choice(
            UNIT_KIND_LABELS,
            gettext_noop("Unknown unit kind “%(value)s”. Write one of: %(allowed)s."),
        ),
        _("Required. The kind of unit, in words."),
        "sở/ban/ngành",
        required=True,
        aliases=("Loại đơn vị", "Cấp"),
        allowed=_allowed(UNIT_KIND_LABELS),
        to_cell=_label(UNIT_KIND_LABELS),
    ),
    Column(
        "parent",
        "Mã đơn vị cấp trên",
        _code,
        _(
            "The code of the unit above, already in the system or in this file. Empty only for "
            "a top-level unit (system administrators)."
        ),
        "TINH",
        aliases=("Đơn vị cấp trên", "Mã cấp trên", "Cấp trên"),
    ),
    Column(
        "valid_from",
        "Hiệu lực từ",
        cells.day,
        _("First day of the unit, dd/mm/yyyy. Required for a new unit; empty: unchanged."),
        _DATE_EXAMPLE,
        aliases=("Từ ngày", "Ngày hiệu lực"),
    ),
    Column(
        "valid_to",
        "Hiệu lực đến",
        cells.day,
        _("Last day of the unit, dd/mm/yyyy. Empty while the unit exists."),
        None,
        aliases=("Đến ngày", "Ngày hết hiệu lực"),
    ),
)

PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column(
        "employee_code",
        "Mã cán bộ",
        _code,
        _("Required. The person's own code; importing the same code again updates the person."),
        "CB00123",
        required=True,
        aliases=("Mã nhân sự", "Mã CBCCVC", "Mã nhân viên", "Mã số cán bộ"),
    ),
    Column(
        "full_name",
        "Họ và tên",
        cells.text(150),
        _("Required."),
        "Nguyễn Văn An",
        required=True,
        aliases=("Họ tên", "Họ và tên cán bộ"),
    ),
    Column(
        "unit",
        "Đơn vị",
        _code,
        _("Required. The code of the person's unit (see the unit export), within your scope."),
        "SNV-CC",
        required=True,
        aliases=("Mã đơn vị", "Đơn vị công tác"),
    ),
    Column(
        "staff_category",
        "Ngạch/Loại",
        cells.choice(
            STAFF_CATEGORY_LABELS,
            gettext_noop("Unknown staff category “%(value)s”. Write one of: %(allowed)s."),
        ),
        _("Required. The staff category, in words."),
        "công chức",
        required=True,
        aliases=("Loại", "Ngạch", "Loại cán bộ", "Đối tượng"),
        allowed=_allowed(STAFF_CATEGORY_LABELS),
        to_cell=_label(STAFF_CATEGORY_LABELS),
    ),
    Column("title", "Chức vụ", cells.text(150), _("The position held."), "Chuyên viên"),
    Column(
        "is_leader",
        "Lãnh đạo",
        cells.boolean,
        _("Whether the person is a leader or manager."),
        yes_no(False),
        aliases=("Là lãnh đạo", "Lãnh đạo quản lý"),
        allowed="có, không, x, 1, 0",
        to_cell=_yes_no,
    ),
    Column(
        "job_position",
        "Vị trí việc làm",
        _code,
        _(
            "The job position code. An unknown code is created only when its name is in the "
            "next column."
        ),
        "VTVL-CV",
        aliases=("Mã vị trí việc làm", "Mã VTVL"),
    ),
    Column(
        "job_position_name",
        "Tên vị trí việc làm",
        cells.text(255),
        _("Name of a new job position; ignored for a code that already exists."),
        "Chuyên viên",
    ),
    Column(
        "email",
        "Email",
        cells.email,
        _("Email address."),
        "an.nv@example.gov.vn",
        aliases=("Thư điện tử", "E-mail"),
    ),
    Column(
        "phone",
        "Điện thoại",
        cells.text(30),
        _("Phone number."),
        "0912345678",
        aliases=("Số điện thoại", "SĐT"),
    ),
    Column(
        "active_from",
        "Ngày bắt đầu",
        cells.day,
        _("First working day, dd/mm/yyyy. Required for a new person; empty: unchanged."),
        _DATE_EXAMPLE,
        aliases=("Từ ngày", "Ngày vào"),
    ),
    Column(
        "active_to",
        "Ngày kết thúc",
        cells.day,
        _("Last working day, dd/mm/yyyy. Empty while the person works here."),
        None,
        aliases=("Đến ngày", "Ngày nghỉ"),
    ),
)


def columns_for(kind: str) -> tuple[Column, ...]:
    """The column specs of an import kind (`ImportKind`); KeyError for anything else."""
    by_kind: dict[str, tuple[Column, ...]] = {
        ImportKind.UNITS: UNIT_COLUMNS,
        ImportKind.PEOPLE: PEOPLE_COLUMNS,
    }
    return by_kind[kind]
