"""Issue 14: the sheet PDF of a leader's month, a viên chức's month and a quarter prints the
article behind every figure (pdftotext), as the sheet page does."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from danhgia.core import clock
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.citations import sheet_citations
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person, StaffCategory
from danhgia.reports.exports import documents
from tests.conftest import World
from tests.evaluations.citations import LOCAL_VI, assert_every_figure_cited
from tests.evaluations.conftest import MakeTask, OpenOctober, future_deadlines, oct_, sheet_of
from tests.reports.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _pdf_text(sheet: Sheet, tmp_path: Path) -> str:
    with translation.override("vi"):
        data = documents.sheet_pdf(sheet)
    return " ".join(pdf_text(data, tmp_path).split())


def _check(sheet: Sheet, tmp_path: Path) -> str:
    config = config_of(sheet.period)
    citations = sheet_citations(config, sheet)
    text = _pdf_text(sheet, tmp_path)
    assert "Căn cứ của các số liệu" in text
    assert_every_figure_cited(text, config, tuple(citations.marks), citations)
    return text


def test_a_leaders_month_pdf_cites_every_figure(
    world: World, open_october: OpenOctober, make_task: MakeTask, tmp_path: Path
) -> None:
    Person.objects.filter(pk=world.people["manager"].pk).update(is_leader=True)
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    make_task("manager", by="head", quantity=Decimal(1), done_on=oct_(12), meets_quality=True)
    sheet = sheet_of(open_october(), world.people["manager"])

    text = _check(sheet, tmp_path)

    marks = sheet_citations(config_of(sheet.period), sheet).marks
    for printed, figure in [
        ("1. Tiêu chí chung (/30)", "general"),
        ("a: số lượng 100 %", "a"),
        ("b: chất lượng 100 %", "b"),
        ("c: tiến độ 100 %", "c"),
        ("d: kết quả của đơn vị 100 %", "d"),
        ("đ: năng lực tổ chức thực hiện 100 %", "dd"),
        ("e: năng lực đoàn kết, tập hợp cán bộ 100 %", "e"),
        ("Điểm kết quả thực hiện nhiệm vụ 70,00", "leader_points"),
        ("Tổng điểm: 70,00 / 100", "total"),
        ("còn lại Không hoàn thành nhiệm vụ", "bands"),
        ("không cao hơn mức theo điểm", "ceiling"),
        ("không hoàn thành nhiệm vụ dù đạt điểm", "vetoes"),
        ("tỷ lệ của mức cao nhất", "quota"),
    ]:
        assert f"{printed} {marks[figure]}" in text, (figure, printed)  # the footnote mark
    for article in [
        "Điều 15 khoản 3 điểm a",
        "Điều 15 khoản 3 điểm b",
        "Điều 15 khoản 3 điểm c",
        "Điều 20 khoản 1 đến 4",
        "Điều 20 khoản 5 điểm a",
    ]:
        assert article in text, article
    assert LOCAL_VI in text
    assert "Giới hạn của mức xếp loại: không cao hơn mức theo điểm" in text


def test_a_month_without_work_prints_its_rule(
    world: World, open_october: OpenOctober, tmp_path: Path
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    assert sheet.no_tasks

    text = _check(sheet, tmp_path)

    assert "Căn cứ: quy định của cơ quan: Nghị định không quy định tháng không được giao" in text


def test_a_vien_chucs_month_pdf_cites_its_own_rulebook(
    world: World, open_october: OpenOctober, make_task: MakeTask, tmp_path: Path
) -> None:
    ensure_shipped_rulebooks()
    Person.objects.filter(pk=world.people["staff"].pk).update(
        staff_category=StaffCategory.PUBLIC_EMPLOYEE
    )
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    period = open_october(rulebook=Rulebook.objects.get(code="ND90-2020"))
    sheet = sheet_of(period, world.people["staff"])

    text = _check(sheet, tmp_path)

    assert "Điều 2 khoản 2 (bốn mức xếp loại)" in text
    assert "Điều 2 khoản 5" in text  # vetoes


def test_a_quarter_pdf_cites_every_figure(
    world: World, make_task: MakeTask, tmp_path: Path
) -> None:
    ensure_shipped_rulebooks()
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    end = datetime.date(2026, 12, 31)
    period = open_period(
        world.province,
        datetime.date(2026, 10, 1),
        kind=Period.Kind.QUARTER,
        by=world.users["hr"],
        deadlines=future_deadlines(max((end - clock.today()).days, 0) + 10),
    )
    sheet = sheet_of(period, world.people["staff"])

    text = _check(sheet, tmp_path)

    assert "Điều 14 khoản 2" in text
