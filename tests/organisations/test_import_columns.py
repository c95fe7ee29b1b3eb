"""No column and no value is dropped silently: two-row headers are read, a column the import
does not know (or values under no header, a second sheet of data, columns past the last one
read) refuses the file naming the column, and a value a new row needs is never assumed.
People, units and the product catalogue share the reading; each kind is tested."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from danhgia.organisations.models import ImportBatch, Person, Unit
from danhgia.work.models import ProductType
from tests.factories import PersonFactory
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    UNITS_HEADER,
    confirm,
    counts,
    csv_text,
    person_row,
    problems,
    uploaded,
    xlsx,
)


@pytest.fixture
def hr(world, login):  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def two_row_people_workbook(rows: list[list[object]]) -> bytes:
    """The tester's file: "Thời gian công tác" merged over "Ngày bắt đầu" and "Ngày kết
    thúc", the other headers merged down over both header rows, a title row above."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC"])
    sheet.merge_cells("A1:G1")
    sheet.append(["STT", "Mã cán bộ", "Họ và tên", "Đơn vị", "Ngạch/Loại", "Thời gian công tác"])
    sheet.append([None, None, None, None, None, "Ngày bắt đầu", "Ngày kết thúc"])
    for column in "ABCDE":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("F2:G2")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_two_row_header_with_a_merged_group_title_imports_its_dates(hr):
    data = two_row_people_workbook(
        [
            [1, "NV-1", "Trần Văn Bình", "SNV-CC", "công chức", "15/03/2021", None],
            [
                2,
                "NV-2",
                "Lê Thị Cúc",
                "SNV-CC",
                "viên chức",
                datetime.date(2019, 8, 1),
                "31/12/2025",
            ],
        ]
    )
    batch = confirm(hr, uploaded(hr, data))
    assert (batch.status, batch.created_count) == ("committed", 2)
    dates = dict(
        Person.objects.filter(employee_code__in=["NV-1", "NV-2"]).values_list(
            "employee_code", "active_from"
        )
    )
    assert dates == {"NV-1": datetime.date(2021, 3, 15), "NV-2": datetime.date(2019, 8, 1)}
    assert Person.objects.get(employee_code="NV-2").active_to == datetime.date(2025, 12, 31)
    assert [row["row"] for row in batch.preview] == [4, 5]


@pytest.mark.django_db
def test_a_group_title_joins_its_sub_headers_in_a_csv_too(hr):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực", ""],
        ["", "", "", "", "từ", "đến"],
        ["SYT", "Sở Y tế", "sở", "TINH", "01/01/2025", "31/12/2030"],
    ]
    batch = confirm(hr, uploaded(hr, csv_text(rows).encode(), "don-vi.csv", "units"))
    assert batch.status == "committed"
    unit = Unit.objects.get(code="SYT")
    assert (unit.valid_from, unit.valid_to) == (
        datetime.date(2025, 1, 1),
        datetime.date(2030, 12, 31),
    )


UNKNOWN = (
    "Column %s “%s” is not a column of this import. Rename it to a header of the template, or "
    "delete the column (columns that may stay: STT, TT, Số TT, Số thứ tự, Ghi chú)."
)


@pytest.mark.django_db
def test_an_unknown_column_refuses_the_file_naming_its_letter_and_header(hr):
    header = [*PEOPLE_HEADER, "Quê quán"]
    batch = uploaded(hr, xlsx([header, [*person_row(), "Hà Nam"]]))
    assert batch.status == ImportBatch.Status.REJECTED
    assert problems(batch) == [(1, "Quê quán", UNKNOWN % ("J", "Quê quán"))]


@pytest.mark.django_db
def test_an_unknown_sub_header_names_its_group(hr):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Mã cán bộ", "Họ và tên", "Đơn vị", "Ngạch/Loại", "Thời gian công tác"])
    sheet.append([None, None, None, None, "Ngày bắt đầu", "Số năm"])
    sheet.append(["NV-1", "Trần Văn Bình", "SNV-CC", "công chức", "01/01/2020", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = uploaded(hr, buffer.getvalue())
    assert problems(batch) == [
        (2, "Thời gian công tác / Số năm", UNKNOWN % ("F", "Thời gian công tác / Số năm"))
    ]


@pytest.mark.django_db
def test_row_numbers_and_notes_columns_may_stay(hr):
    header = ["STT", *PEOPLE_HEADER, "Ghi chú"]
    rows = [header, [1, *person_row(), "chuyển đến từ Sở Tài chính"]]
    batch = confirm(hr, uploaded(hr, xlsx(rows)))
    assert batch.status == "committed"


@pytest.mark.django_db
def test_values_under_no_header_refuse_the_file(hr):
    rows = [PEOPLE_HEADER, person_row(), person_row("NV-2") + ["", "ghi thêm"]]
    batch = uploaded(hr, xlsx(rows))
    assert problems(batch) == [
        (
            3,
            "",
            "Column K has values (from row 3) but no header. Give it a header of the template, "
            "or delete the column.",
        )
    ]


@pytest.mark.django_db
def test_values_past_the_last_column_read_refuse_the_file(hr):
    row = person_row() + [""] * 60 + ["?"]
    batch = uploaded(hr, xlsx([PEOPLE_HEADER, row]))
    assert problems(batch) == [
        (2, "", "The file has more than 60 columns; keep only the template's columns.")
    ]


@pytest.mark.django_db
def test_a_second_sheet_with_rows_of_the_import_refuses_the_file(hr):
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for row in [PEOPLE_HEADER, person_row()]:
        first.append(row)
    second = workbook.create_sheet("Đợt 2")
    for row in [PEOPLE_HEADER, person_row("NV-2")]:
        second.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = uploaded(hr, buffer.getvalue())
    assert problems(batch) == [
        (
            None,
            "",
            "The sheet “Đợt 2” also has a header of this import, and only the first sheet is "
            "read. Move its rows to the first sheet, or delete it.",
        )
    ]


NEW_PERSON = "A new person needs the first working day here (dd/mm/yyyy); nothing is assumed."


@pytest.mark.django_db
def test_a_new_person_without_a_start_date_is_an_error_not_01_01_2000(hr, world):
    PersonFactory(
        employee_code="NV-OLD", unit=world.division, active_from=datetime.date(2018, 5, 1)
    )
    rows = [PEOPLE_HEADER, person_row("NV-1", start=""), person_row("NV-OLD", start="")]
    before = counts()
    batch = uploaded(hr, xlsx(rows))
    assert problems(batch) == [(2, "Ngày bắt đầu", NEW_PERSON)]
    assert counts() == before
    # Without the column at all, each new person is named; a known person keeps their date.
    header = [name for name in PEOPLE_HEADER if name != "Ngày bắt đầu"]
    rows = [header, person_row("NV-1")[:7] + [""], person_row("NV-OLD")[:7] + [""]]
    batch = uploaded(hr, xlsx(rows))
    assert problems(batch) == [(2, "Ngày bắt đầu", NEW_PERSON)]
    confirm(hr, uploaded(hr, xlsx([header, person_row("NV-OLD")[:7] + [""]])))
    assert Person.objects.get(employee_code="NV-OLD").active_from == datetime.date(2018, 5, 1)


@pytest.mark.django_db
def test_a_new_unit_without_a_first_day_is_an_error(hr):
    rows = [UNITS_HEADER, ["SYT", "Sở Y tế", "sở", "TINH", ""]]
    batch = uploaded(hr, xlsx(rows), "don-vi.xlsx", "units")
    assert problems(batch) == [
        (
            2,
            "Hiệu lực từ",
            "A new unit needs its first day here (dd/mm/yyyy); nothing is assumed.",
        )
    ]
    assert not Unit.objects.filter(code="SYT").exists()


PRODUCT_HEADER = ["Mã sản phẩm", "Tên sản phẩm", "Đơn vị tính", "Hệ số quy đổi", "Mã đơn vị"]


def _products(client, rows):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("danh-muc.xlsx", xlsx(rows))
    response = client.post(reverse("work:product_import"), {"file": upload})
    assert response.status_code == 302
    return ImportBatch.objects.latest("id")


@pytest.mark.django_db
def test_a_new_product_without_a_first_day_is_an_error_not_today(hr):
    batch = _products(hr, [PRODUCT_HEADER, ["VB-01", "Văn bản", "văn bản", "1,5", "SNV"]])
    assert problems(batch) == [
        (
            2,
            "Hiệu lực từ",
            "Write the first day of this version (dd/mm/yyyy): a new or changed product needs "
            "it; nothing is assumed.",
        )
    ]
    assert not ProductType.objects.exists()


@pytest.mark.django_db
def test_the_product_import_refuses_unknown_columns_and_reads_two_row_headers(hr):
    batch = _products(hr, [[*PRODUCT_HEADER, "Mức"], ["VB-01", "Văn bản", "văn bản", 1, "SNV", 2]])
    assert problems(batch) == [(1, "Mức", UNKNOWN % ("F", "Mức"))]
    rows = [
        [*PRODUCT_HEADER, "Hiệu lực"],
        ["", "", "", "", "", "Từ ngày"],
        ["VB-01", "Văn bản", "văn bản", "1,5", "SNV", "01/02/2026"],
    ]
    confirm_response = hr.post(
        reverse("work:product_import_preview", args=[_products(hr, rows).pk])
    )
    assert confirm_response.status_code == 302
    assert ProductType.objects.get().valid_from == datetime.date(2026, 2, 1)


@pytest.mark.django_db
def test_reading_stops_at_the_time_budget(hr, settings):
    settings.IMPORT_MAX_SECONDS = 0
    batch = uploaded(hr, xlsx([PEOPLE_HEADER, person_row()]))
    assert problems(batch) == [
        (None, "", "Reading the file took longer than 0 seconds; split it into smaller files.")
    ]
