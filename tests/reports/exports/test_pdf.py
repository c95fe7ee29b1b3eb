"""PDF forms: the text poppler extracts holds the exact Vietnamese strings and numbers, and
every glyph comes from the bundled Liberation Serif."""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from danhgia.annual.models import AnnualSheet
from danhgia.annual.services import decide_annual
from danhgia.evaluations.models import Period, Sheet
from danhgia.organisations.models import Person
from danhgia.reports.exports import documents
from danhgia.reports.pdf import _fetcher, static_root
from tests.conftest import World
from tests.reports.exports.conftest import (
    COMMENT,
    QUOTA_REASON,
    SHORTCOMINGS,
    STRENGTHS,
    pdf_fonts,
    pdf_text,
)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def one_line(text: str) -> str:
    """The extracted text with runs of spaces and line breaks as one space."""
    return " ".join(text.split())


@pytest.mark.django_db
def test_the_worked_example_sheet_prints_its_vietnamese_figures(
    reviewed_sheet: Sheet, tmp_path: Path
) -> None:
    with translation.override("vi"):
        data = documents.sheet_pdf(reviewed_sheet)
    text = one_line(pdf_text(data, tmp_path))
    for expected in [
        MOTTO,
        MOTTO_2,
        "SỞ NỘI VỤ",
        "PHÒNG CÔNG CHỨC",
        "Nguyễn Văn An",
        "Chuyên viên",
        "Tháng 10/2026",
        "93,75 %",
        "90,625 %",
        "87,5 %",
        "63,44",
        "90,44 / 100",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ",
        STRENGTHS,
        SHORTCOMINGS,
        COMMENT,
    ]:
        assert expected in text, expected
    assert "93,750" not in text  # percentages without trailing zeros


@pytest.mark.django_db
def test_the_pdf_embeds_only_the_bundled_font(reviewed_sheet: Sheet, tmp_path: Path) -> None:
    with translation.override("vi"):
        data = documents.sheet_pdf(reviewed_sheet)
    fonts = [line for line in pdf_fonts(data, tmp_path).splitlines()[2:] if line.strip()]
    assert fonts, "no font embedded"
    # The family of static/css/print-pdf.css's @font-face (Liberation Serif files), no other.
    assert all(line.split()[0].split("+")[1].startswith("DanhGia-Serif") for line in fonts), fonts
    assert all(" yes " in line for line in fonts)  # embedded (subset)


@pytest.mark.django_db
def test_a_decided_sheet_downloads_with_the_decision_and_signatures(
    world: World, decided_sheet: Sheet, login: Any, tmp_path: Path
) -> None:
    response = login(world.users["staff"]).get(
        reverse("exports:sheet_pdf", args=[decided_sheet.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="phieu-danh-gia-E-staff-2026-10.pdf"'
    )
    text = one_line(pdf_text(response.content, tmp_path))
    assert "Hoàn thành tốt nhiệm vụ" in text
    assert QUOTA_REASON in text
    assert "Trần Thị Hạnh" in text  # the competent person's signature block
    assert text.count("Nguyễn Văn An") == 2  # name, and the person's signature block


@pytest.mark.django_db
def test_a_leaders_sheet_prints_d_dj_e(
    world: World, october: Any, english: None, tmp_path: Path
) -> None:
    sheet = Sheet.objects.get(period=october, person=world.people["manager"])
    sheet.is_leader = True
    sheet.unit_result_pct, sheet.organising_pct, sheet.uniting_pct = 100, 50, 100
    text = one_line(pdf_text(documents.sheet_pdf(sheet), tmp_path))
    assert "d: unit results 100 %" in text
    assert "đ: organising 50 %" in text
    assert "e: uniting staff 100 %" in text
    sheet.is_leader = False
    assert "unit results" not in one_line(pdf_text(documents.sheet_pdf(sheet), tmp_path))


@pytest.mark.django_db
def test_the_months_summary_lists_everyone_and_counts_the_levels(
    world: World, decided_sheet: Sheet, english: None, tmp_path: Path
) -> None:
    data = documents.month_pdf(world.dept, datetime.date(2026, 10, 1))
    text = one_line(pdf_text(data, tmp_path))
    assert MOTTO in text
    assert "TỈNH THỬ NGHIỆM" in text and "SỞ NỘI VỤ" in text  # the header's agency block
    assert "October 2026 · Sở Nội vụ" in text
    for name in ["Nguyễn Văn An", "Phạm Minh Châu", "Trần Thị Hạnh", "Đặng Thu Hà"]:
        assert name in text
    assert "Lê Thị Bình" not in text  # another department
    assert "Hoàn thành tốt nhiệm vụ 1 100.0 %" in text
    assert "Decided 1" in text
    assert "Not decided yet 3" in text


@pytest.mark.django_db
def test_annual_forms_by_staff_category(
    world: World, decided: Any, open_year: Any, english: None, tmp_path: Path
) -> None:
    staff = world.people["staff"]
    decided(staff, range(1, 13), "88")
    period = open_year()
    sheet = AnnualSheet.objects.select_related(
        "annual_period__rulebook", "person", "unit__parent"
    ).get(annual_period=period, person=staff)
    sheet = decide_annual(sheet, by=world.users["head"], level=sheet.proposed_level)
    sheet = AnnualSheet.objects.select_related(
        "annual_period__rulebook", "person", "unit__parent", "decided_by__person"
    ).get(pk=sheet.pk)
    text = one_line(pdf_text(documents.annual_pdf([sheet]), tmp_path))
    assert "Form No. 02" in text  # a civil servant
    assert "SỞ NỘI VỤ" in text and "PHÒNG CÔNG CHỨC" in text  # the header's agency block
    assert "EVALUATION AND CLASSIFICATION FORM OF A CIVIL SERVANT" in text
    assert "Year 2025" in text
    assert "Nguyễn Văn An" in text
    assert "Annual score (average of the periods worked): 88.00 · Hoàn thành tốt nhiệm vụ" in text
    assert "Trần Thị Hạnh" in text
    sheet.person.staff_category = "vien_chuc"
    assert "Form No. 03" in one_line(pdf_text(documents.annual_pdf([sheet]), tmp_path))


def test_pdf_resources_outside_the_static_folder_are_not_fetched(tmp_path: Path) -> None:
    """A PDF may use static files only: any other address is refused, never fetched."""
    fetcher = _fetcher(static_root())
    font = static_root() / "fonts" / "LiberationSerif-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read(4) == b"\x00\x01\x00\x00"
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    for url in [secret.as_uri(), "http://127.0.0.1:9/x.css", (static_root() / "..").as_uri()]:
        with pytest.raises(ValueError, match="static files"):
            fetcher.fetch(url)


@pytest.mark.parametrize(
    ("kind", "start", "name"),
    [
        ("month", datetime.date(2026, 10, 1), "phieu-danh-gia-E1-2026-10.pdf"),
        ("quarter", datetime.date(2026, 1, 1), "phieu-danh-gia-E1-2026-q1.pdf"),
        ("quarter", datetime.date(2026, 10, 1), "phieu-danh-gia-E1-2026-q4.pdf"),
    ],
)
def test_the_file_name_names_the_month_or_the_quarter(
    kind: str, start: datetime.date, name: str
) -> None:
    sheet = Sheet(period=Period(kind=kind, start=start), person=Person(employee_code="E1"))
    assert documents.sheet_filename(sheet) == name
