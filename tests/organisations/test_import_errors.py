"""Malformed files: each is refused with an exact message and nothing is imported.

Every test checks the count of units, people and job positions before and after, and that
the batch cannot be committed afterwards.
"""

import datetime

import pytest
from django.urls import reverse

from danhgia.organisations.models import ImportBatch, Role, UnitRole
from tests.factories import PersonFactory, UserFactory
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    UNITS_HEADER,
    counts,
    csv_text,
    person_row,
    problems,
    upload,
    uploaded,
    xlsx,
)

NOT_EXCEL = (
    "This is not a valid Excel file (.xlsx). Open it in Excel and save it again as “Excel "
    "Workbook (.xlsx)”, or upload a CSV file."
)
ACCEPTED = "Accepted: Excel workbooks (.xlsx) and CSV files (.csv)."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def rejected(client, data, name="nhan-su.xlsx", kind="people"):  # type: ignore[no-untyped-def]
    """Upload a file that must be rejected: nothing imported, even when confirmed."""
    before = counts()
    batch = uploaded(client, data, name, kind)
    assert batch.status == ImportBatch.Status.REJECTED
    client.post(reverse("organisations:import_preview", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert counts() == before
    return problems(batch)


@pytest.fixture
def hr(world, login):  # type: ignore[no-untyped-def]
    return login(world.users["hr"])


def test_missing_required_column(hr):
    header = [name for name in PEOPLE_HEADER if name != "Họ và tên"]
    row = [cell for cell in person_row() if cell != "Trần Văn Bình"]
    assert rejected(hr, xlsx([header, row])) == [
        (None, "Họ và tên", "The required column “Họ và tên” is missing.")
    ]


def test_no_header_row_in_the_first_ten_rows(hr):
    rows = [["Báo cáo"]] + [[f"dòng {i}", i] for i in range(12)]
    assert rejected(hr, xlsx(rows)) == [
        (
            None,
            "",
            "No header row was found in the first 10 rows. The header must name the columns, "
            "for example “Mã cán bộ”, “Họ và tên”, “Đơn vị”, “Ngạch/Loại”.",
        )
    ]


def test_unknown_unit_code(hr):
    rows = [PEOPLE_HEADER, person_row(unit="KHONG-CO")]
    assert rejected(hr, xlsx(rows)) == [(2, "Đơn vị", "Unit code KHONG-CO does not exist.")]


def test_duplicate_employee_code_in_the_file(hr):
    rows = [PEOPLE_HEADER, person_row("NV-1"), person_row("NV-2"), person_row("NV-1", "Lê Văn Em")]
    assert rejected(hr, xlsx(rows)) == [(4, "Mã cán bộ", "Employee code NV-1 is already on row 2.")]


def test_parent_cycle_among_units_in_the_file(hr):
    rows = [
        UNITS_HEADER,
        ["A", "Đơn vị A", "phòng", "B", "01/01/2024"],
        ["B", "Đơn vị B", "phòng", "A", "01/01/2024"],
    ]
    assert rejected(hr, xlsx(rows), "don-vi.xlsx", "units") == [
        (2, "Mã đơn vị cấp trên", "The parent units form a cycle: A → B → A."),
        (3, "Mã đơn vị cấp trên", "The parent units form a cycle: B → A → B."),
    ]


def test_unit_whose_parent_is_itself(hr):
    rows = [UNITS_HEADER, ["A", "Đơn vị A", "phòng", "A", "01/01/2024"]]
    assert rejected(hr, xlsx(rows), "don-vi.xlsx", "units") == [
        (2, "Mã đơn vị cấp trên", "A unit cannot be its own parent.")
    ]


def test_moving_a_unit_under_its_own_sub_unit_is_a_cycle(hr, world):
    rows = [UNITS_HEADER, ["SNV", "Sở Nội vụ", "sở", "SNV-CC", ""]]
    assert rejected(hr, xlsx(rows), "don-vi.xlsx", "units") == [
        (2, "Mã đơn vị cấp trên", "The parent units form a cycle: SNV → SNV-CC → SNV.")
    ]


@pytest.mark.parametrize("written", ["31/02/2024", "abc"])
def test_bad_dates(hr, written):
    rows = [PEOPLE_HEADER, person_row(start=written)]
    assert rejected(hr, xlsx(rows)) == [
        (2, "Ngày bắt đầu", f"“{written}” is not a valid date; write it as dd/mm/yyyy.")
    ]


def test_end_date_before_start_date(hr):
    rows = [PEOPLE_HEADER, person_row(start="01/03/2024", end=datetime.datetime(2024, 2, 29))]
    assert rejected(hr, xlsx(rows)) == [
        (2, "Ngày kết thúc", "The end date must not be before the start date.")
    ]


def test_file_with_only_a_header(hr):
    assert rejected(hr, xlsx([PEOPLE_HEADER, [], [None, ""]])) == [
        (None, "", "The file has no data rows under the header.")
    ]


def test_formula_cell(hr):
    rows = [PEOPLE_HEADER, person_row(title='=CONCATENATE("Chuyên", " viên")')]
    assert rejected(hr, xlsx(rows)) == [
        (2, "Chức vụ", "This cell holds a formula; copy the column and paste values instead.")
    ]


def test_file_larger_than_the_limit_is_refused_and_not_stored(hr, tmp_path):
    before = counts()
    response = upload(hr, b"a" * (10 * 1024 * 1024), "nhan-su.csv")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is 10.0\xa0MB; the largest file accepted is 8.0\xa0MB."]
    }
    assert not ImportBatch.objects.exists() and list(tmp_path.iterdir()) == []
    assert counts() == before


def refused(client, data, name="nhan-su.xlsx", kind="people"):  # type: ignore[no-untyped-def]
    """Upload a file the form must refuse before storing or reading it; its errors."""
    before = counts()
    response = upload(client, data, name, kind)
    assert response.status_code == 200
    assert not ImportBatch.objects.exists() and counts() == before
    return response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("data", "actual"),
    [(PNG, "a PNG image"), ("Mã cán bộ,Họ và tên\nNV-1,An".encode(), "plain text")],
)
def test_other_file_renamed_xlsx(hr, data, actual):
    assert refused(hr, data) == [
        f"nhan-su.xlsx is not an Excel workbook (.xlsx): it is {actual}. {ACCEPTED}"
    ]


def test_a_zip_that_is_not_a_workbook(hr):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(hr, buffer.getvalue()) == [
        f"nhan-su.xlsx is not an Excel workbook (.xlsx): it is a zip archive. {ACCEPTED}"
    ]


def test_a_damaged_workbook(hr):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    assert rejected(hr, buffer.getvalue()) == [(None, "", NOT_EXCEL)]


def test_unreadable_csv(hr):
    data = 'Mã cán bộ,Họ và tên,Đơn vị,Ngạch/Loại\nNV-1,"'.encode() + b"a" * 200_000 + b'"\n'
    assert rejected(hr, data, "nhan-su.csv") == [
        (None, "", "This file could not be read as CSV: field larger than field limit (131072).")
    ]


def test_old_xls_format_asks_for_xlsx(hr):
    before = counts()
    response = upload(hr, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "nhan-su.xls")
    assert response.context["form"].errors == {
        "file": [
            "Old Excel files (.xls) are not accepted. Open the file in Excel and save it as "
            "“Excel Workbook (.xlsx)”."
        ]
    }
    assert not ImportBatch.objects.exists() and counts() == before


def test_unsupported_extension(hr):
    assert refused(hr, b"%PDF-1.4", "nhan-su.pdf") == [
        f"nhan-su.pdf is not a file we accept: it is a PDF document. {ACCEPTED}"
    ]


def test_invalid_email(hr):
    rows = [PEOPLE_HEADER, person_row(email="an@@example")]
    assert rejected(hr, xlsx(rows)) == [(2, "Email", "“an@@example” is not a valid email address.")]


def test_unknown_staff_category(hr):
    rows = [PEOPLE_HEADER, person_row(category="hợp đồng 68")]
    assert rejected(hr, xlsx(rows)) == [
        (
            2,
            "Ngạch/Loại",
            "Unknown staff category “hợp đồng 68”. Write one of: cán bộ, công chức, viên chức, "
            "người lao động.",
        )
    ]


def test_unknown_unit_kind(hr):
    rows = [UNITS_HEADER, ["P1", "Phòng Một", "tổ", "SNV", "01/01/2024"]]
    assert rejected(hr, xlsx(rows), "don-vi.xlsx", "units") == [
        (
            2,
            "Loại",
            "Unknown unit kind “tổ”. Write one of: tỉnh/thành phố, sở/ban/ngành, xã/phường, "
            "huyện, phòng, đơn vị sự nghiệp.",
        )
    ]


@pytest.fixture
def hr_of_snv(world, login):  # type: ignore[no-untyped-def]
    """An HR officer over Sở Nội vụ and its divisions only."""
    user = UserFactory(username="hr_snv")
    UnitRole.objects.create(
        user=user, unit=world.dept, role=Role.HR_OFFICER, valid_from=datetime.date(2020, 1, 1)
    )
    return login(user)


def test_unit_code_outside_the_uploaders_scope(hr_of_snv):
    rows = [PEOPLE_HEADER, person_row(unit="SNV-CC"), person_row("NV-2", unit="STC-NS")]
    assert rejected(hr_of_snv, xlsx(rows)) == [(3, "Đơn vị", "Unit STC-NS is outside your scope.")]


def test_employee_code_of_a_person_outside_scope(hr_of_snv, world):
    PersonFactory(employee_code="NV-STC", unit=world.division_other)
    rows = [PEOPLE_HEADER, person_row("NV-STC", unit="SNV-CC")]
    assert rejected(hr_of_snv, xlsx(rows)) == [
        (2, "Mã cán bộ", "Employee code NV-STC belongs to a person outside your scope.")
    ]


def test_units_outside_scope_and_new_top_level_units(hr_of_snv):
    rows = [
        UNITS_HEADER,
        ["STC", "Sở Tài chính", "sở", "TINH", ""],
        ["P1", "Phòng Một", "phòng", "STC-NS", "01/01/2024"],
        ["P2", "Phòng Hai", "phòng", "", "01/01/2024"],
    ]
    assert rejected(hr_of_snv, xlsx(rows), "don-vi.xlsx", "units") == [
        (2, "Mã đơn vị", "Unit STC is outside your scope."),
        (3, "Mã đơn vị cấp trên", "Unit STC-NS is outside your scope."),
        (
            4,
            "Mã đơn vị cấp trên",
            "Only a system administrator can add a top-level unit; fill in the code of the "
            "unit above.",
        ),
    ]


def test_merged_title_rows_above_the_header_and_excel_row_numbers(hr):
    rows = [PEOPLE_HEADER, person_row("NV-1"), person_row("NV-2", start="30/02/2024")]
    assert rejected(hr, xlsx(rows, title="DANH SÁCH CÁN BỘ, CÔNG CHỨC")) == [
        (5, "Ngày bắt đầu", "“30/02/2024” is not a valid date; write it as dd/mm/yyyy.")
    ]


def test_required_cells_unknown_job_position_and_long_text_in_one_csv(hr):
    rows = [
        [*PEOPLE_HEADER, "Vị trí việc làm"],
        [*person_row("NV-1", ""), ""],
        [*person_row("NV-2", "x" * 151), ""],
        [*person_row("NV-3"), "VT-LA"],
    ]
    assert rejected(hr, csv_text(rows).encode(), "nhan-su.csv") == [
        (2, "Họ và tên", "This cell is required."),
        (3, "Họ và tên", "At most 150 characters are allowed; this cell has 151."),
        (
            4,
            "Vị trí việc làm",
            "Job position VT-LA does not exist. To create it, also fill in “Tên vị trí việc làm”.",
        ),
    ]


def test_every_error_is_listed_on_the_preview_page(hr):
    rows = [PEOPLE_HEADER] + [person_row(f"NV-{i}", unit="KHONG-CO") for i in range(250)]
    batch = uploaded(hr, xlsx(rows))
    assert len(batch.errors) == 250
    page = hr.get(reverse("organisations:import_preview", args=[batch.pk])).content.decode()
    assert "The file has 250 problems." in page and "Confirm import" not in page
    assert page.count("Unit code KHONG-CO does not exist.") == 200
    second = hr.get(reverse("organisations:import_preview", args=[batch.pk]), {"page": 2})
    assert second.content.decode().count("Unit code KHONG-CO does not exist.") == 50
