"""Issue 14: the article behind every figure of a sheet (`rules.citations.source_of`), and the
sheet page of a leader's month, a viên chức's month and a quarter showing it for each figure."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from danhgia.core import clock
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.citations import (
    FIGURES,
    Source,
    annual_figures,
    cite,
    sheet_citations,
    sheet_figures,
    source_of,
)
from danhgia.evaluations.rules.schema import RulebookConfig, parse_parts, parse_rulebook
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation
from danhgia.evaluations.shipped import CURRENT_RULEBOOKS, ND335_2025_V3, ensure_shipped_rulebooks
from danhgia.organisations.models import Person, StaffCategory
from tests.conftest import World
from tests.evaluations.citations import (
    LOCAL_VI,
    NO_SOURCE_VI,
    assert_every_figure_cited,
    assert_marks_on_page,
    plain,
)
from tests.evaluations.conftest import (
    FULL_SCORES,
    MakeTask,
    OpenOctober,
    future_deadlines,
    oct_,
    sheet_of,
)

PARTS = ("criteria", "task_scoring", "levels", "vetoes", "quota", "annual", "deadlines")


def _config(data: dict[str, Any]) -> RulebookConfig:
    return parse_parts(**{part: data[part] for part in PARTS})


# The function ---------------------------------------------------------------------------


def test_a_figure_reads_the_article_of_its_field() -> None:
    config = _config(ND335_2025_V3)
    assert [s.text for s in source_of(config, "bands")] == [
        "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 1 đến 4 (ngưỡng 90, 70, 50 điểm)"
    ]
    (d_full, d_reduced) = source_of(config, "d")
    assert "Điều 15 khoản 3 điểm a" in d_full.text and not d_full.local
    assert "Điều 15 khoản 3 điểm a" in d_reduced.text


def test_a_local_choice_is_marked_local_without_its_tag() -> None:
    (weights,) = [s for s in source_of(_config(ND335_2025_V3), "task_points") if s.local][:1]
    assert weights.text.startswith("Nghị định in cách kết hợp a, b, c")
    assert not weights.text.startswith("[L]")


def test_a_field_without_its_own_text_takes_its_parents() -> None:
    nd90 = next(data for data in CURRENT_RULEBOOKS if data["code"] == "ND90-2020")
    config = _config(nd90)
    # ND90's task_scoring sources name "params" as a whole: đ falls back to it.
    assert source_of(config, "dd") == (Source(nd90["task_scoring"]["sources"]["params"][4:], True),)


def test_a_rulebook_without_sources_says_so() -> None:
    data = {**ND335_2025_V3, "levels": {**ND335_2025_V3["levels"], "sources": {}}}
    assert source_of(_config(data), "bands") == (Source(""),)
    assert source_of(_config(data), "bands")[0].missing


def test_footnotes_number_each_source_once_in_order_of_use() -> None:
    config = _config(ND335_2025_V3)
    citations = cite(config, ["a", "b", "c"])
    strategy = source_of(config, "a")[0]
    assert citations.notes[0].source == strategy
    assert citations.marks["a"] == "1"
    assert citations.marks["b"].startswith("1, ")  # b shares the strategy's article
    assert citations.marks["c"].startswith("1, ")
    assert len({note.source for note in citations.notes}) == len(citations.notes)


@pytest.mark.parametrize("data", CURRENT_RULEBOOKS, ids=lambda data: data["code"])
def test_every_figure_a_current_rulebook_shows_has_its_source(data: dict[str, Any]) -> None:
    """A test that fails as soon as a figure of a current shipped rulebook loses its source
    (QNAM-2022 ships without any: every figure says so rather than citing nothing)."""
    config = _config(data)
    figures = {
        *sheet_figures(config, leader=True, no_tasks=True),
        *sheet_figures(config, leader=False, no_tasks=True),
        *annual_figures(config),
    }
    assert figures <= set(FIGURES)
    missing = [figure for figure in sorted(figures) if source_of(config, figure)[0].missing]
    if data["code"] == "QNAM-2022":
        assert missing == sorted(figures)
    else:
        assert missing == []


# The pages ------------------------------------------------------------------------------


def _page(login: Any, user: Any, sheet: Sheet) -> str:
    response = login(user).get(reverse("evaluations:sheet_detail", args=[sheet.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _check_page(markup: str, sheet: Sheet) -> None:
    config = config_of(sheet.period)
    citations = sheet_citations(config, sheet)
    figures = tuple(citations.marks)
    assert_marks_on_page(markup, citations)
    assert_every_figure_cited(plain(markup), config, figures, citations)


@pytest.mark.django_db
def test_a_leaders_month_cites_every_figure(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    Person.objects.filter(pk=world.people["manager"].pk).update(is_leader=True)
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    make_task("manager", by="head", quantity=Decimal(1), done_on=oct_(12), meets_quality=True)
    sheet = sheet_of(open_october(), world.people["manager"])
    assert sheet.is_leader

    markup = _page(login, world.users["manager"], sheet)

    _check_page(markup, sheet)
    text = plain(markup)
    for article in [
        "Điều 12 khoản 2",  # general criteria
        "Điều 14 khoản 2 điểm b",  # b
        "Điều 15 khoản 3 điểm a",  # d
        "Điều 15 khoản 3 điểm b",  # đ
        "Điều 15 khoản 3 điểm c",  # e
        "Điều 20 khoản 1 đến 4",  # bands
        "Điều 20 khoản 4 điểm b, c, d",  # vetoes
        "Điều 20 khoản 5 điểm a",  # quota
        "người quyết định chỉ được xếp thấp hơn",  # the band as a ceiling
    ]:
        assert article in text, article
    assert LOCAL_VI in text  # the leader's weights are a local choice
    assert "Mức theo điểm: ≥ 90 Hoàn thành xuất sắc nhiệm vụ" in text


@pytest.mark.django_db
def test_a_month_without_work_says_why_with_the_rule(
    world: World, open_october: OpenOctober, login: Any
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    assert sheet.no_tasks

    markup = _page(login, world.users["staff"], sheet)

    _check_page(markup, sheet)
    assert "Nghị định không quy định tháng không được giao sản phẩm" in plain(markup)
    assert 'data-figure="no_tasks"' in markup


@pytest.mark.django_db
def test_a_vien_chucs_month_cites_its_own_rulebook(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    ensure_shipped_rulebooks()
    Person.objects.filter(pk=world.people["staff"].pk).update(
        staff_category=StaffCategory.PUBLIC_EMPLOYEE
    )
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    period = open_october(rulebook=Rulebook.objects.get(code="ND90-2020"))
    sheet = sheet_of(period, world.people["staff"])

    markup = _page(login, world.users["staff"], sheet)

    _check_page(markup, sheet)
    text = plain(markup)
    assert "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP), Điều 2 khoản 2" in text
    assert "Nghị định 90/2020 không quy định chấm điểm hằng tháng" in text  # a local choice
    assert NO_SOURCE_VI not in text


@pytest.mark.django_db
def test_a_quarter_cites_every_figure(world: World, make_task: MakeTask, login: Any) -> None:
    ensure_shipped_rulebooks()
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    end = datetime.date(2026, 12, 31)
    days = max((end - clock.today()).days, 0) + 10  # after the quarter's end and in the future
    period = open_period(
        world.province,
        datetime.date(2026, 10, 1),
        kind=Period.Kind.QUARTER,
        by=world.users["hr"],
        deadlines=future_deadlines(days),
    )
    sheet = sheet_of(period, world.people["staff"])
    assert parse_rulebook(period.rulebook).sources  # ND 335, which gives its sources

    markup = _page(login, world.users["staff"], sheet)

    _check_page(markup, sheet)
    assert "Điều 14 khoản 2" in plain(markup)


@pytest.mark.django_db
def test_review_and_decision_pages_give_the_rule_of_a_month_without_work(
    world: World, open_october: OpenOctober, login: Any
) -> None:
    """Issue 14 "Also": at review and on the decision page, a month without assigned work
    says how the rulebook treats it and where that rule comes from."""
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    sheet = save_self_evaluation(
        sheet, by=world.users["staff"], scores=FULL_SCORES, proposed_level="completed"
    )
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    assert sheet.no_tasks
    rule = "Căn cứ: quy định của cơ quan: Nghị định không quy định tháng không được giao sản phẩm"

    review = login(world.users["manager"]).get(reverse("evaluations:sheet_review", args=[sheet.pk]))
    decision = login(world.users["head"]).get(
        reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    )

    assert rule in plain(review.content.decode())
    assert rule in plain(decision.content.decode())
