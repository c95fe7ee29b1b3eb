"""Issue 14: a year of Nghị định 335 with three months of sick leave, on the annual sheet page
and its PDF: the periods counted, the months not worked, the rules that decide how they count
and the article behind every figure."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from danhgia.annual.models import AnnualSheet
from danhgia.annual.services import annual_sheet_config, config_of, open_annual
from danhgia.evaluations.models import Leave, Rulebook, Sheet
from danhgia.evaluations.rules.citations import annual_citations
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.reports.exports import documents
from tests.annual.conftest import month_period
from tests.conftest import VIETNAM, World
from tests.evaluations.citations import assert_every_figure_cited, assert_marks_on_page, plain
from tests.reports.exports.conftest import pdf_text

YEAR = 2026  # Nghị định 335 applies from 1/1/2026
ART_21 = "Nghị định 335/2025/NĐ-CP, Điều 21"


@pytest.fixture
def sick_year(world: World) -> AnnualSheet:
    """Nguyễn Văn An: 95 every month of 2026, sick from April to June; the classification of
    2026 opened on 20 December 2026 (the clock, not the machine's)."""
    ensure_shipped_rulebooks()
    staff = world.people["staff"]
    for month in range(1, 13):
        Sheet.objects.create(
            period=month_period(world.province, month, year=YEAR),
            person=staff,
            unit=staff.unit,
            total=Decimal(95),
            band="excellent",
            status=Sheet.Status.DECIDED,
            decided_level="excellent",
        )
    Leave.objects.create(
        person=staff,
        kind=Leave.Kind.SICK,
        start=datetime.date(YEAR, 4, 1),
        end=datetime.date(YEAR, 6, 30),
    )
    with time_machine.travel(datetime.datetime(YEAR, 12, 20, 9, tzinfo=VIETNAM), tick=False):
        period = open_annual(
            world.province,
            YEAR,
            by=world.users["hr"],
            decision_due=datetime.date(YEAR, 12, 31),
        )
    assert period.rulebook.code == "ND335-2025"
    return AnnualSheet.objects.select_related(
        "annual_period__rulebook", "person", "unit__parent"
    ).get(annual_period=period, person=staff)


@pytest.mark.django_db
def test_the_annual_page_cites_the_rules_of_the_months_counted(
    world: World, sick_year: AnnualSheet, login: Any
) -> None:
    sheet = sick_year
    assert (sheet.months_absent, sheet.score, sheet.cap_level) == (3, Decimal("95.00"), "")
    assert sum(1 for month in sheet.months if month["counted"]) == 9

    response = login(world.users["staff"]).get(reverse("annual:sheet_detail", args=[sheet.pk]))

    assert response.status_code == 200
    markup = response.content.decode()
    config = config_of(sheet.annual_period)
    citations = annual_citations(config)
    assert_marks_on_page(markup, citations)
    text = plain(markup)
    assert_every_figure_cited(text, config, tuple(citations.marks), citations)
    assert text.count("không: số ngày công tác chưa đủ một nửa số ngày của kỳ") == 3  # April–June
    assert "Thời gian nghỉ làm việc 3 tháng 0 ngày" in text
    assert "Nghỉ ốm 91 ngày" in text
    assert "Không có thời gian công tác tối thiểu" in text
    assert "Thời gian vắng mặt không giới hạn mức xếp loại." in text
    assert f"{ART_21} khoản 2" in text
    assert f"{ART_21}: không giới hạn mức do vắng mặt (0)" in text


@pytest.mark.django_db
def test_the_annual_pdf_cites_the_rules_of_the_months_counted(
    sick_year: AnnualSheet, tmp_path: Path
) -> None:
    config = annual_sheet_config(sick_year)
    citations = annual_citations(config)
    with translation.override("vi"):
        data = documents.annual_pdf([sick_year])
    text = " ".join(pdf_text(data, tmp_path).split())

    assert_every_figure_cited(text, config, tuple(citations.marks), citations)
    assert "Thời gian vắng mặt: 3 tháng 0 ngày." in text
    assert "Không có thời gian công tác tối thiểu" in text
    assert f"{ART_21}: không giới hạn mức do vắng mặt (0)" in text
    assert "Căn cứ của các số liệu" in text


@pytest.mark.django_db
def test_a_rulebook_with_an_absence_cap_prints_it_with_its_article(
    sick_year: AnnualSheet, tmp_path: Path
) -> None:
    """The same form under Nghị định 90's rules: the minimum and the cap, each cited."""
    sick_year.rulebook = Rulebook.objects.get(code="ND90-2020")  # the sheet's own rules
    sick_year.save(update_fields=["rulebook"])
    with translation.override("vi"):
        data = documents.annual_pdf([sick_year])
    text = " ".join(pdf_text(data, tmp_path).split())

    assert "Công tác dưới 6 tháng: không xếp loại (thời gian nghỉ thai sản" in text
    assert "Vắng mặt từ 3 tháng trở lên: cao nhất là “Hoàn thành nhiệm vụ”." in text
    assert "Điều 2 khoản 4 (vắng từ 3 đến dưới 6 tháng)" in text
