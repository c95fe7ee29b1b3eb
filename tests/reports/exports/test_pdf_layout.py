"""The printed forms as people sign them: the agency's names never broken inside a word (set
smaller, or cut where their parts meet), the place and date line above the signature. Checked
on the rendered PDF: its text boxes (pdftotext -bbox-layout) and its first page as an image."""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from danhgia.evaluations.models import Sheet
from danhgia.organisations.models import Unit, UnitKind
from danhgia.organisations.places import bare_name, place_name
from danhgia.reports.exports import documents
from tests.conftest import World
from tests.factories import UnitFactory
from tests.reports.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db
LONG = "Phòng Công chức - Viên chức"


def lines_of(data: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text lines as its layout has them, each one line of words."""
    source = tmp_path / "layout.pdf"
    source.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [
        " ".join(re.findall(r"<word [^>]*>([^<]*)</word>", line))
        for line in re.findall(r"<line[^>]*>(.*?)</line>", html, flags=re.DOTALL)
    ]


def rendered(data: bytes, tmp_path: Path) -> Path:
    """Page 1 as a PNG (poppler's pdftoppm), as a person would see it."""
    source = tmp_path / "page.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.png")
    return image


def test_a_name_of_two_parts_holds_on_one_line(
    world: World, decided_sheet: Sheet, tmp_path: Path
) -> None:
    Unit.objects.filter(pk=world.division.pk).update(name=LONG)
    decided_sheet.unit.refresh_from_db()
    with translation.override("vi"):
        data = documents.sheet_pdf(decided_sheet)

    lines = lines_of(data, tmp_path)
    assert "PHÒNG CÔNG CHỨC - VIÊN CHỨC" in lines
    image = rendered(data, tmp_path)
    assert image.stat().st_size > 10_000  # a page was drawn


def test_the_signature_has_its_place_and_date(decided_sheet: Sheet, tmp_path: Path) -> None:
    with translation.override("vi"):
        text = " ".join(pdf_text(documents.sheet_pdf(decided_sheet), tmp_path).split())

    day = decided_sheet.decided_at
    assert day is not None
    assert f"Thử nghiệm, ngày {day:%d} tháng {day:%m} năm {day:%Y}" in text


def test_the_month_summary_has_a_line_to_date_by_hand(
    world: World, decided_sheet: Sheet, tmp_path: Path
) -> None:
    with translation.override("vi"):
        data = documents.month_pdf(world.dept, decided_sheet.period.start)

    assert "Thử nghiệm, ngày …… tháng …… năm ……" in " ".join(pdf_text(data, tmp_path).split())


def test_agency_lines_fit_or_split_where_parts_meet(world: World) -> None:
    unit = Unit(name="Phòng Công chức - Viên chức và Tổ chức bộ máy của Sở Nội vụ tỉnh Thử nghiệm")
    unit.parent = world.dept
    unit.parent_id = world.dept.pk

    head, *own = documents.agency_lines(unit)

    assert head == {"text": "SỞ NỘI VỤ", "size": "12.0", "strong": False}
    assert [line["text"] for line in own] == [
        "PHÒNG CÔNG CHỨC - VIÊN CHỨC VÀ",
        "TỔ CHỨC BỘ MÁY CỦA SỞ NỘI VỤ TỈNH THỬ NGHIỆM",
    ]
    assert {line["size"] for line in own} == {"8.2"} and all(line["strong"] for line in own)


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Tỉnh Quảng Nam", "Quảng Nam"),
        ("Thành phố Đà Nẵng", "Đà Nẵng"),
        ("UBND xã Trà My", "Trà My"),
        ("Ủy ban nhân dân phường Điện Bàn", "Điện Bàn"),
        ("Quảng Nam", "Quảng Nam"),
    ],
)
def test_bare_place_names(name: str, bare: str) -> None:
    assert bare_name(name) == bare


def test_a_commune_dates_its_own_documents(world: World) -> None:
    commune = UnitFactory(
        code="XTM", name="UBND xã Trà My", kind=UnitKind.COMMUNE, parent=world.province
    )
    office = UnitFactory(code="XTM-VP", name="Văn phòng", kind=UnitKind.DIVISION, parent=commune)

    assert place_name(office) == "Trà My"
    assert place_name(world.division) == "Thử nghiệm"  # a department's: the province
