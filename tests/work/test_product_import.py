"""Importing the product catalogue: preview, commit all-or-nothing, revisions on re-import,
malformed files (each imports nothing), the template."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.organisations.models import ImportBatch, Role, UnitRole
from danhgia.work.models import ProductType
from danhgia.work.product_import import PRODUCT_COLUMNS
from tests.conftest import World
from tests.factories import JobPositionFactory
from tests.organisations.test_import_helpers import csv_text, xlsx
from tests.work.test_plan_helpers import english_client, product

HEADER = [
    "Mã sản phẩm",
    "Tên sản phẩm",
    "Mã vị trí việc làm",
    "Đơn vị tính",
    "Hệ số quy đổi",
    "Hiệu lực từ",
    "Mã đơn vị",
]


def row(code: str = "VB-01", coefficient: object = "1,5", **cells: object) -> list[object]:
    """A valid row under HEADER; keywords replace cells: name, position, measure, start, unit."""
    values: dict[str, object] = {
        "name": "Văn bản tham mưu",
        "position": "",
        "measure": "văn bản",
        "start": "01/01/2026",
        "unit": "SNV",
        **cells,
    }
    return [
        code,
        values["name"],
        values["position"],
        values["measure"],
        coefficient,
        values["start"],
        values["unit"],
    ]


def upload(client: Client, data: bytes, name: str = "danh-muc.xlsx") -> ImportBatch:
    response = client.post(reverse("work:product_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def confirm(client: Client, batch: ImportBatch) -> ImportBatch:
    response = client.post(reverse("work:product_import_preview", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def problems(batch: ImportBatch) -> list[tuple[int | None, str, str]]:
    return [(error["row"], error["column"], error["message"]) for error in batch.errors]


def imported() -> int:
    return ProductType.objects.count() + AuditLog.objects.filter(action="import.committed").count()


@pytest.fixture
def hr(world: World) -> Client:
    return english_client(world.users["hr"])


@pytest.mark.django_db
def test_a_clean_file_is_previewed_then_committed_with_one_import_row(
    world: World, hr: Client
) -> None:
    clerk = JobPositionFactory(code="VT", name="Văn thư")
    rows = [HEADER, row("VB-01", "1,5"), row("VT-01", 0.5, position="VT", start="15/03/2026")]
    batch = upload(hr, xlsx(rows))
    assert (batch.kind, batch.status, batch.errors, batch.created_count) == (
        "products",
        "previewed",
        [],
        2,
    )
    assert ProductType.objects.count() == 0
    page = hr.get(reverse("work:product_import_preview", args=[batch.pk])).content.decode()
    assert "Văn bản tham mưu" in page and "Confirm import" in page
    confirm(hr, batch)
    assert batch.status == "committed"
    made = {p.code: p for p in ProductType.objects.all()}
    assert (made["VB-01"].coefficient, made["VB-01"].valid_from, made["VB-01"].unit) == (
        Decimal("1.5"),
        datetime.date(2026, 1, 1),
        world.dept,
    )
    assert (made["VT-01"].coefficient, made["VT-01"].job_position, made["VT-01"].valid_from) == (
        Decimal("0.5"),
        clerk,
        datetime.date(2026, 3, 15),
    )
    assert list(
        AuditLog.objects.filter(action__in=["product_type.created", "import.committed"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["product_type.created", "product_type.created", "import.committed"]
    committed = AuditLog.objects.get(action="import.committed")
    assert (committed.data["created_codes"], committed.data["kind"]) == (
        ["VB-01", "VT-01"],
        "products",
    )


@pytest.mark.django_db
def test_reimport_revises_changed_products_and_keeps_the_rest(world: World, hr: Client) -> None:
    product(world, code="VB-01", coefficient="1.5", valid_from=datetime.date(2025, 1, 1))
    product(world, code="VB-02", coefficient="1", valid_from=datetime.date(2025, 1, 1))
    rows = [
        HEADER,
        row("VB-01", "2", start="01/03/2026"),
        row("VB-02", "1", start=""),
    ]
    batch = confirm(hr, upload(hr, xlsx(rows)))
    assert (batch.status, batch.created_count, batch.updated_count, batch.row_count) == (
        "committed",
        0,
        1,
        2,
    )
    versions = list(
        ProductType.objects.filter(code="VB-01")
        .order_by("valid_from")
        .values_list("coefficient", "valid_from", "valid_to")
    )
    assert versions == [
        (Decimal("1.5"), datetime.date(2025, 1, 1), datetime.date(2026, 2, 28)),
        (Decimal("2"), datetime.date(2026, 3, 1), None),
    ]
    assert ProductType.objects.filter(code="VB-02").count() == 1
    assert AuditLog.objects.filter(action="product_type.revised").count() == 1


@pytest.mark.django_db
def test_the_unit_column_may_be_left_out_by_who_keeps_one_catalogue(
    world: World, hr: Client
) -> None:
    rows = [HEADER[:6], row("VB-01")[:6]]
    confirm(hr, upload(hr, xlsx(rows)))
    assert ProductType.objects.get().unit == world.province
    UnitRole.objects.create(user=world.users["hr"], unit=world.dept, role=Role.HEAD)
    batch = upload(english_client(world.users["hr"]), xlsx([HEADER[:6], row("VB-02")[:6]]))
    assert problems(batch) == [
        (
            2,
            "Mã đơn vị",
            "Write the code of the unit whose catalogue this is: you keep more than one.",
        )
    ]


@pytest.mark.django_db
def test_csv_with_semicolons_and_accentless_headers_imports(world: World, hr: Client) -> None:
    header = ["MA SAN PHAM", "ten san pham", "don vi tinh", "he so quy doi", "ma don vi", "tu ngay"]
    data = csv_text(
        [header, ["BC-1", "Báo cáo tháng", "báo cáo", "1,25", "SNV", "01/01/2026"]], ";"
    )
    confirm(hr, upload(hr, data.encode("utf-8"), "danh-muc.csv"))
    assert ProductType.objects.get().coefficient == Decimal("1.25")


# Malformed files: nothing is imported, and the problem is named on its row and column.


def _rejected(client: Client, rows: list[list[object]]) -> ImportBatch:
    before = imported()
    batch = upload(client, xlsx(rows))
    assert batch.status == "rejected"
    assert imported() == before
    assert client.post(reverse("work:product_import_preview", args=[batch.pk])).status_code == 302
    assert imported() == before
    return batch


@pytest.mark.django_db
def test_missing_required_column(world: World, hr: Client) -> None:
    header = [name for name in HEADER if name != "Hệ số quy đổi"]
    batch = _rejected(hr, [header, ["VB-01", "Văn bản", "", "văn bản", "01/01/2026", "SNV"]])
    assert problems(batch) == [
        (None, "Hệ số quy đổi", "The required column “Hệ số quy đổi” is missing.")
    ]


@pytest.mark.django_db
def test_unknown_job_position(world: World, hr: Client) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01"), row("VB-02", position="KHONG-CO")])
    assert problems(batch) == [
        (3, "Mã vị trí việc làm", "Job position code KHONG-CO does not exist.")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "The conversion coefficient must be greater than zero."),
        ("0", "The conversion coefficient must be greater than zero."),
        (-1.5, "The conversion coefficient must be greater than zero."),
        ("-1,5", "The conversion coefficient must be greater than zero."),
        ("một rưỡi", "“một rưỡi” is not a number; write the coefficient like 1,5 or 1.5."),
        ("1.000,5", "“1.000,5” is not a number; write the coefficient like 1,5 or 1.5."),
        ("1,255", "The conversion coefficient has at most two decimal places."),
    ],
)
def test_bad_coefficients(world: World, hr: Client, value: object, message: str) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01"), row("VB-02", value)])
    assert problems(batch) == [(3, "Hệ số quy đổi", message)]


@pytest.mark.django_db
def test_duplicate_code_in_the_file(world: World, hr: Client) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01"), row("VB-02"), row("VB-01", "2")])
    assert problems(batch) == [(4, "Mã sản phẩm", "Product code VB-01 is already on row 2.")]


@pytest.mark.django_db
def test_bad_date(world: World, hr: Client) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01", start="31/02/2026")])
    assert problems(batch) == [
        (2, "Hiệu lực từ", "“31/02/2026” is not a valid date; write it as dd/mm/yyyy.")
    ]


@pytest.mark.django_db
def test_formula_cell(world: World, hr: Client) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01", "=1+0.5")])
    assert problems(batch) == [
        (
            2,
            "Hệ số quy đổi",
            "This cell holds a formula; copy the column and paste values instead.",
        )
    ]


@pytest.mark.django_db
def test_unit_outside_scope_and_unknown_unit(world: World) -> None:
    head = english_client(world.users["head"])
    batch = _rejected(head, [HEADER, row("VB-01", unit="STC"), row("VB-02", unit="KHONG")])
    assert problems(batch) == [
        (2, "Mã đơn vị", "Unit STC is outside your scope."),
        (3, "Mã đơn vị", "Unit code KHONG does not exist."),
    ]


@pytest.mark.django_db
def test_a_revision_must_start_after_the_current_version(world: World, hr: Client) -> None:
    product(world, code="VB-01", valid_from=datetime.date(2026, 1, 1))
    batch = _rejected(hr, [HEADER, row("VB-01", "3", start="01/01/2026")])
    assert [(r, c) for r, c, _m in problems(batch)] == [(2, "Hiệu lực từ")]
    assert "must start after 01/01/2026" in batch.errors[0]["message"]


@pytest.mark.django_db
def test_a_job_position_of_a_product_cannot_change(world: World, hr: Client) -> None:
    JobPositionFactory(code="VT")
    product(world, code="VB-01")
    batch = _rejected(hr, [HEADER, row("VB-01", "2", position="VT", start="01/06/2026")])
    assert problems(batch) == [
        (
            2,
            "Mã vị trí việc làm",
            "The job position of product VB-01 cannot change; give it a new code.",
        )
    ]


@pytest.mark.django_db
def test_the_preview_lists_every_problem_in_the_page(world: World, hr: Client) -> None:
    batch = _rejected(hr, [HEADER, row("VB-01", "0"), row("VB-02", start="x")])
    page = hr.get(reverse("work:product_import_preview", args=[batch.pk])).content.decode()
    assert "The file has 2 problems. Nothing was imported" in page
    assert "Confirm import" not in page


# The template


@pytest.mark.django_db
def test_the_template_has_the_columns_an_example_and_help_and_imports_back(
    world: World,
) -> None:
    JobPositionFactory(code="TCCB")
    head = english_client(world.users["head"])
    response = head.get(reverse("work:product_template"))
    assert response.status_code == 200
    assert "mau-nhap-danh-muc-san-pham.xlsx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.header for column in PRODUCT_COLUMNS]
    assert workbook.sheetnames == ["Danh mục sản phẩm", "Hướng dẫn"]
    confirm(head, upload(head, data))
    made = ProductType.objects.get()
    assert (made.code, made.coefficient, made.unit, made.valid_from, made.job_position.code) == (
        "SP-MAU-1",
        Decimal("1.5"),
        world.dept,
        clock.today().replace(day=1),
        "TCCB",
    )
