"""Import of the product catalogue from .xlsx or CSV: checked and previewed, then committed
all-or-nothing, with the reading, cell parsing and result shapes of `organisations.imports`.

A row is keyed by (unit, product code). A new key adds a product; a known key whose name,
unit of measure or coefficient differs revises it from "Hiệu lực từ" (or today), through the
catalogue services, so each product writes its own `product_type.created`/`revised` row and
the import one `import.committed` row. Headers are Vietnamese in every language: they are the
file format, not interface text.
"""

import datetime
import hashlib
import io
import secrets
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.spreadsheet import cell_value
from danhgia.organisations.exports import unused_code
from danhgia.organisations.imports.cells import CellError, raw_text, text
from danhgia.organisations.imports.cells import day as date_cell
from danhgia.organisations.imports.columns import Column
from danhgia.organisations.imports.reading import extension, read_table
from danhgia.organisations.imports.rows import (
    CheckResult,
    ImportFileError,
    ParsedRow,
    Table,
    add_preview,
    parse_rows,
)
from danhgia.organisations.models import ImportBatch, ImportKind, JobPosition, Unit
from danhgia.organisations.queries import active_roles
from danhgia.work.models import ProductType
from danhgia.work.permissions import CATALOGUE_EDITORS, can_edit_catalogue
from danhgia.work.queries import units_where
from danhgia.work.services import WorkError
from danhgia.work.services.catalogue import (
    check_coefficient,
    create_product_type,
    revise_product_type,
)

SHEET_TITLE = "Danh mục sản phẩm"
HELP_SHEET = "Hướng dẫn"
TEMPLATE_FILENAME = "mau-nhap-danh-muc-san-pham.xlsx"


def coefficient(value: object) -> Decimal:
    """A positive number with at most two decimals: an Excel number, or text as 1,5 or 1.5."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw_text(value)})
    if isinstance(value, int | float):
        number = Decimal(repr(value))
    else:
        written = raw_text(value).replace(" ", "")
        if "," in written and "." in written:
            written = "?"  # 1.000,5: thousands separators make no sense in a coefficient
        try:
            number = Decimal(written.replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise CellError(
                _("“%(value)s” is not a number; write the coefficient like 1,5 or 1.5.")
                % {"value": raw_text(value)}
            )
    try:
        check_coefficient(number)
    except WorkError as error:
        raise CellError(str(error)) from error
    return number.quantize(Decimal("0.01"))


def _decimal_cell(value: Any) -> object:
    return formats.number_format(value)


_code = text(40)

PRODUCT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã sản phẩm",
        _code,
        gettext_lazy(
            "Required. The product's code in the catalogue; importing the same code again "
            "revises the product when its name, unit of measure or coefficient changed."
        ),
        "SP-TT01",
        required=True,
        aliases=("Mã SP", "Mã"),
    ),
    Column(
        "name",
        "Tên sản phẩm",
        text(255),
        gettext_lazy("Required."),
        "Văn bản tham mưu",
        required=True,
        aliases=("Sản phẩm", "Tên"),
    ),
    Column(
        "job_position",
        "Mã vị trí việc làm",
        _code,
        gettext_lazy(
            "The code of an existing job position. Empty: the product can be assigned to any "
            "job position."
        ),
        "TCCB",
        aliases=("Vị trí việc làm", "Mã VTVL"),
    ),
    Column(
        "unit_of_measure",
        "Đơn vị tính",
        text(50),
        gettext_lazy("Required. For example: văn bản, báo cáo, hồ sơ."),
        "văn bản",
        required=True,
        aliases=("ĐVT",),
    ),
    Column(
        "coefficient",
        "Hệ số quy đổi",
        coefficient,
        gettext_lazy("Required. A number greater than 0, at most two decimals: 1,5 or 1.5."),
        1.5,
        required=True,
        aliases=("Hệ số",),
        to_cell=_decimal_cell,
    ),
    Column(
        "valid_from",
        "Hiệu lực từ",
        date_cell,
        gettext_lazy(
            "dd/mm/yyyy. The first day of this version; required for a new product and for a "
            "change. A revision must start after the current version started."
        ),
        datetime.date(2026, 1, 1),
        aliases=("Từ ngày", "Ngày hiệu lực"),
    ),
    Column(
        "unit",
        "Mã đơn vị",
        _code,
        gettext_lazy(
            "The code of the unit whose catalogue this is. Empty: the unit of your catalogue "
            "role, when you have one only."
        ),
        "SNV",
        aliases=("Đơn vị", "Đơn vị quản lý"),
    ),
)
COLUMN = {column.key: column for column in PRODUCT_COLUMNS}
REVISED_FIELDS = ("name", "unit_of_measure", "coefficient")


def _default_unit(user: User) -> Unit | None:
    """The unit of the user's catalogue role when all of them are on one unit."""
    units = {
        role.unit_id: role.unit for role in active_roles(user) if role.role in CATALOGUE_EDITORS
    }
    return next(iter(units.values())) if len(units) == 1 else None


def _latest_versions(unit_ids: set[int], codes: set[str]) -> dict[tuple[int, str], ProductType]:
    """The latest version of each (unit, code) among those named (one query)."""
    latest: dict[tuple[int, str], ProductType] = {}
    versions = ProductType.objects.filter(unit_id__in=unit_ids, code__in=codes).order_by(
        "valid_from"
    )
    for version in versions:
        latest[(version.unit_id, version.code)] = version
    return latest


def _resolve_units(rows: list[ParsedRow], user: User, result: CheckResult) -> dict[int, Unit]:
    """Each row's catalogue unit (row number -> unit); failures become problems."""
    default = _default_unit(user)
    codes = {row.values["unit"] for row in rows if row.values.get("unit")}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    resolved: dict[int, Unit] = {}
    for row in rows:
        code = row.values.get("unit")
        unit = units.get(code) if code else default
        message = ""
        if code and unit is None:
            message = _("Unit code %(code)s does not exist.") % {"code": code}
        elif unit is None:
            message = _(
                "Write the code of the unit whose catalogue this is: you keep more than one."
            )
        elif not can_edit_catalogue(user, unit):
            message = _("Unit %(code)s is outside your scope.") % {"code": unit.code}
        if message:
            result.add(row.number, COLUMN["unit"], message)
            row.failed = True
        elif unit is not None:
            resolved[row.number] = unit
    return resolved


def _flag_repeats(rows: list[ParsedRow], units: dict[int, Unit], result: CheckResult) -> None:
    first_row: dict[tuple[int, str], int] = {}
    for row in rows:
        code, unit = row.values.get("code"), units.get(row.number)
        if not code or unit is None:
            continue
        key = (unit.pk, code)
        if key in first_row:
            result.add(
                row.number,
                COLUMN["code"],
                _("Product code %(code)s is already on row %(row)s.")
                % {"code": code, "row": first_row[key]},
            )
            row.failed = True
        else:
            first_row[key] = row.number


def check_products(table: Table, user: User) -> CheckResult:
    """Check every product row against the file, the catalogue and the user's scope. Reads only.

    The result's `new` and `changed` hold what `write_products` would write.
    """
    result = CheckResult(kind=ImportKind.PRODUCTS)
    rows = parse_rows(table, result)
    units = _resolve_units(rows, user, result)
    _flag_repeats(rows, units, result)
    positions = dict(JobPosition.objects.values_list("code", "id"))
    codes = {row.values["code"] for row in rows if row.values.get("code")}
    latest = _latest_versions({unit.pk for unit in units.values()}, codes)
    for row in rows:
        position = row.values.get("job_position")
        if position and position not in positions:
            result.add(
                row.number,
                COLUMN["job_position"],
                _("Job position code %(code)s does not exist.") % {"code": position},
            )
            row.failed = True
        if row.failed:
            continue
        unit = units[row.number]
        values = {
            **row.values,
            "unit": unit.code,
            "unit_id": unit.pk,
            "job_position_id": positions.get(position) if position else None,
            "valid_from": row.values.get("valid_from"),
        }
        _plan(row, values, latest.get((unit.pk, values["code"])), result)
    return result


def _plan(
    row: ParsedRow, values: dict[str, Any], current: ProductType | None, result: CheckResult
) -> None:
    changes = current is None or any(
        getattr(current, name) != values[name] for name in REVISED_FIELDS
    )
    if changes and values["valid_from"] is None:
        result.add(
            row.number,
            COLUMN["valid_from"],
            _(
                "Write the first day of this version (dd/mm/yyyy): a new or changed "
                "product needs it; nothing is assumed."
            ),
        )
        return
    if current is None:
        result.new.append(values)
        result.created.append(values["code"])
        add_preview(result, PRODUCT_COLUMNS, row, "new", values)
        return
    if current.job_position_id != values["job_position_id"]:
        result.add(
            row.number,
            COLUMN["job_position"],
            _("The job position of product %(code)s cannot change; give it a new code.")
            % {"code": values["code"]},
        )
        return
    if all(getattr(current, name) == values[name] for name in REVISED_FIELDS):
        result.unchanged += 1
        shown = {**values, "valid_from": current.valid_from}
        add_preview(result, PRODUCT_COLUMNS, row, "unchanged", shown)
        return
    if values["valid_from"] <= current.valid_from:
        result.add(
            row.number,
            COLUMN["valid_from"],
            _(
                "Product %(code)s changes: the new version must start after %(date)s, when "
                "the current one started. Write the first day of the new version."
            )
            % {"code": values["code"], "date": current.valid_from.strftime("%d/%m/%Y")},
        )
        return
    result.changed.append({**values, "id": current.pk})
    result.updated.append(values["code"])
    add_preview(result, PRODUCT_COLUMNS, row, "updated", values)


def write_products(result: CheckResult, *, by: User) -> None:
    """Create and revise the checked products through the catalogue services (each logs its
    own row). Runs in the caller's transaction; raises WorkError if the data changed."""
    for values in result.new:
        create_product_type(
            unit=Unit.objects.get(pk=values["unit_id"]),
            code=values["code"],
            name=values["name"],
            unit_of_measure=values["unit_of_measure"],
            coefficient=values["coefficient"],
            valid_from=values["valid_from"],
            job_position=(
                JobPosition.objects.get(pk=values["job_position_id"])
                if values["job_position_id"]
                else None
            ),
            by=by,
        )
    for values in result.changed:
        revise_product_type(
            ProductType.objects.get(pk=values["id"]),
            by=by,
            valid_from=values["valid_from"],
            name=values["name"],
            unit_of_measure=values["unit_of_measure"],
            coefficient=values["coefficient"],
        )


def check_batch(batch: ImportBatch, *, by: User) -> CheckResult:
    """Read the batch's stored file and check it for `by`. Reads only.

    Raises WorkError when the stored file no longer matches the uploaded one.
    """
    with batch.file.open("rb") as handle:
        data = handle.read()
    if batch.sha256 and hashlib.sha256(data).hexdigest() != batch.sha256:
        raise WorkError(_("The stored file has changed since it was uploaded."))
    try:
        table = read_table(data, batch.original_name, PRODUCT_COLUMNS)
    except ImportFileError as error:
        return CheckResult(kind=batch.kind, problems=error.problems)
    return check_products(table, by)


def _record(batch: ImportBatch, result: CheckResult) -> None:
    batch.row_count = result.row_count
    batch.created_count = len(result.created)
    batch.updated_count = len(result.updated)
    batch.errors = [problem.as_dict() for problem in result.sorted_problems(PRODUCT_COLUMNS)]
    batch.preview = result.preview
    if result.problems:
        batch.status = ImportBatch.Status.REJECTED


def upload_products(upload: UploadedFile, *, by: User) -> ImportBatch:
    """Store `upload` under MEDIA_ROOT (random name), check every row, record the outcome.

    Creates one ImportBatch (kind "products"), PREVIEWED when clean, REJECTED with every
    problem otherwise. Changes no product and writes no audit row.
    """
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    batch = ImportBatch(
        kind=ImportKind.PRODUCTS,
        original_name=(upload.name or "")[:255],
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=clock.now(),
        status=ImportBatch.Status.PREVIEWED,
    )
    batch.file.save(f"{secrets.token_hex(16)}{extension(batch.original_name)}", upload, save=False)
    _record(batch, check_batch(batch, by=by))
    batch.save()
    return batch


@transaction.atomic
def commit_products(batch: ImportBatch, *, by: User) -> ImportBatch:
    """Check the stored file again and write all its rows, or none, in one transaction.

    If the check now finds problems, the batch becomes REJECTED with them and no product is
    written. Otherwise it becomes COMMITTED and one `import.committed` row records the counts
    and codes. Raises WorkError when the batch is not waiting for confirmation.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != ImportKind.PRODUCTS or batch.status != ImportBatch.Status.PREVIEWED:
        raise WorkError(_("This file is not waiting for confirmation."))
    result = check_batch(batch, by=by)
    _record(batch, result)
    fields = ["status", "row_count", "created_count", "updated_count", "errors", "preview"]
    if result.problems:
        batch.save(update_fields=fields)
        return batch
    write_products(result, by=by)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = clock.now()
    batch.save(update_fields=[*fields, "committed_at"])
    log_action(
        batch,
        "import.committed",
        by=by,
        data={
            "kind": batch.kind,
            "file": batch.original_name,
            "sha256": batch.sha256,
            "rows": result.row_count,
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": result.unchanged,
            "created_codes": result.created,
            "updated_codes": result.updated,
        },
    )
    return batch


def example_values(user: User) -> dict[str, object]:
    """The template's example row for `user`, so that it imports as it is: the catalogue unit
    they keep, a product code not yet in it, an existing job position (when there is one),
    from the first of this month."""
    values: dict[str, object] = {column.key: column.example for column in PRODUCT_COLUMNS}
    values["valid_from"] = clock.today().replace(day=1)
    unit = _default_unit(user) or (units_where(user, CATALOGUE_EDITORS).order_by("path").first())
    taken = ProductType.objects.filter(unit=unit).values_list("code", flat=True)
    values["code"] = unused_code(taken, "SP-MAU")
    values["unit"] = unit.code if unit is not None else ""
    position = JobPosition.objects.order_by("code").first()
    values["job_position"] = position.code if position is not None else ""
    return values


def template_workbook(user: User) -> IO[bytes]:
    """The import template for `user`: a header, one example row built from their catalogue
    (`example_values`), and a "Hướng dẫn" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in PRODUCT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = example_values(user)
    sheet.append([cell_value(example[column.key]) for column in PRODUCT_COLUMNS])
    sheet.cell(row=2, column=6).number_format = "DD/MM/YYYY"
    notes = workbook.create_sheet(HELP_SHEET)
    notes.append([_("Fill in one row per product under the header; keep the column names.")])
    notes.append([_("The whole file is imported only when every row is correct; else nothing.")])
    notes.append([_("Dates: dd/mm/yyyy or Excel dates. Type values, not formulas.")])
    notes.append(
        [
            _(
                "Row 2 is an example made from your own units: it imports as it is. Replace it "
                "with your rows, or delete it."
            )
        ]
    )
    notes.append([])
    notes.append([_("Column"), _("Required"), _("Explanation")])
    for column in PRODUCT_COLUMNS:
        notes.append([column.header, _("yes") if column.required else _("no"), str(column.help)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
