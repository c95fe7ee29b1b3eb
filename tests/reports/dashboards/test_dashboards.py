"""Dashboards: the precomputed figures (rolled up the tree, kept current from the periods' data
versions), the unit page with its charts' tables, the person page down to the tasks, and
constant query counts whatever the number of sub-units and people."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from danhgia.evaluations.models import PeriodDataVersion
from danhgia.organisations.models import UnitKind
from danhgia.reports.dashboards.models import PeriodSummary, SummaryState, UnitMonth
from danhgia.reports.dashboards.summaries import ensure_fresh, refresh_all
from tests.conftest import World
from tests.factories import PersonFactory, UnitFactory
from tests.reports.dashboards.conftest import DIVISION, EXCELLENT, Month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "english_pages")]

OCTOBER = datetime.date(2026, 10, 1)


def _row(world: World, unit_key: str) -> UnitMonth:
    return UnitMonth.objects.get(unit=getattr(world, unit_key), month=OCTOBER)


def test_figures_are_rolled_up_to_every_unit_above(world: World, october: Month) -> None:
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4", EXCELLENT, "excellent", "excellent")
    october.decide("cv4", "excellent")
    refresh_all()
    division = _row(world, "division")
    assert (division.sheets, division.decided, division.good, division.excellent) == (7, 6, 5, 1)
    assert (division.self_good, division.manager_good, division.agree_all) == (5, 5, 6)
    assert (division.tasks, division.tasks_done, division.tasks_on_time) == (6, 6, 6)
    assert division.score_sum == Decimal("525.00")  # 5 × 85 + 100
    dept, province = _row(world, "dept"), _row(world, "province")
    assert (dept.sheets, dept.decided) == (9, 6)  # + head and hr
    assert (province.sheets, province.decided, province.excellent) == (12, 6, 1)
    assert _row(world, "dept_other").decided == 0


def test_a_decision_after_the_last_refresh_shows_at_the_next_view(
    world: World, october: Month
) -> None:
    october.evaluate("staff")
    october.decide("staff")
    assert ensure_fresh() == 1  # the first run builds every period
    assert _row(world, "division").decided == 1
    assert ensure_fresh() == 0  # nothing changed: nothing rebuilt
    october.evaluate("cv0")
    october.decide("cv0")
    assert ensure_fresh() == 1
    assert _row(world, "division").decided == 2
    built = PeriodSummary.objects.get(period=october.period)
    assert built.version == PeriodDataVersion.objects.get(period=october.period).version == 2
    assert SummaryState.objects.get().refreshed_at is not None


def test_the_unit_page_shows_each_chart_with_its_table(world: World, october: Month, login) -> None:  # type: ignore[no-untyped-def]
    october.all_good()
    ensure_fresh()  # the worker's run queued at the writes' commit
    response = login(world.users["head"]).get(reverse("dashboards:unit", args=[world.dept.pk]))
    assert response.status_code == 200
    assert response.context["month"] == OCTOBER
    html = response.content.decode()
    for name in ("levels", "trend", "proposals", "on_time"):
        assert f'data-testid="chart-{name}"' in html
        assert f'data-testid="figures-{name}"' in html
    charts = response.context["charts"]
    # Sub-unit Phòng Công chức: 6 decided, all good; directly in the department: none decided.
    assert charts["levels"]["labels"] == ["Phòng Công chức", "directly in the unit"]
    assert charts["levels"]["series"][1]["data"] == [100.0, None]
    assert charts["proposals"]["series"][2]["data"] == [0, 6, 0, 0]
    assert charts["on_time"]["series"][0]["data"] == [100.0, None]
    assert len(charts["trend"]["labels"]) == 12
    assert charts["trend"]["labels"][-1] == "October 2026"
    data = json.loads(
        html.split('id="chart-data-levels" type="application/json">')[1].split("</script>")[0]
    )
    assert data["labels"] == ["Phòng Công chức", "directly in the unit"]
    assert reverse("dashboards:unit", args=[world.division.pk]) + "?thang=2026-10" in html


def test_the_division_page_lists_its_people_who_lead_to_their_tasks(
    world: World, october: Month, login
) -> None:  # type: ignore[no-untyped-def]
    october.all_good()
    ensure_fresh()  # the worker's run queued at the writes' commit
    client = login(world.users["manager"])
    response = client.get(reverse("dashboards:unit", args=[world.division.pk]))
    names = [sheet.person.full_name for sheet, _level in response.context["people"]]
    assert names == [
        "Chuyên Viên 0",
        "Chuyên Viên 1",
        "Chuyên Viên 2",
        "Chuyên Viên 3",
        "Chuyên Viên 4",
        "Nguyễn Văn An",
        "Phạm Minh Châu",
    ]
    staff = world.people["staff"]
    person_url = reverse("dashboards:person", args=[staff.pk])
    assert person_url in response.content.decode()
    response = client.get(person_url, {"thang": "2026-10"})
    assert response.status_code == 200
    assert response.context["chosen"] == october.sheet("staff")
    line = response.context["lines"][0]
    assert reverse("work:task_detail", args=[line.task_id]) in response.content.decode()
    assert response.context["chart"]["series"][0]["data"] == [85.0]


def test_a_person_without_a_role_is_sent_to_their_own_months(world: World, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["staff"]).get(reverse("dashboards:home"))
    assert response.url == reverse("dashboards:person", args=[world.people["staff"].pk])


def test_the_home_page_is_the_top_of_the_scope(world: World, october: Month, login) -> None:  # type: ignore[no-untyped-def]
    october.all_good()
    ensure_fresh()  # the worker's run queued at the writes' commit
    response = login(world.users["supervisor"]).get(reverse("dashboards:home"))
    assert response.context["unit"] == world.province
    labels = response.context["charts"]["levels"]["labels"]
    assert labels == ["Sở Nội vụ", "Sở Tài chính", "directly in the unit"]


def _more(world: World, count: int) -> None:
    """`count` more divisions of Sở Nội vụ with `count` more people each (no sheets yet)."""
    for number in range(count):
        division = UnitFactory(
            code=f"SNV-X{number}", name=f"Phòng {number}", parent=world.dept, kind=UnitKind.DIVISION
        )
        for person in range(count):
            PersonFactory(full_name=f"Người {number} {person}", unit=division)
            PersonFactory(full_name=f"Trực thuộc {number} {person}", unit=world.dept)


@pytest.mark.parametrize("count", [1, 3])
def test_the_unit_page_reads_a_constant_number_of_queries(
    world: World,
    october: Month,
    login,  # type: ignore[no-untyped-def]
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    count: int,
) -> None:
    _more(world, count)
    from danhgia.evaluations.services.periods import open_period

    october.all_good()
    november = open_period(
        world.province,
        datetime.date(2026, 11, 1),
        by=world.users["hr"],
        deadlines={
            "self_evaluation_due": october.period.self_evaluation_due + datetime.timedelta(days=31),
            "review_due": october.period.review_due + datetime.timedelta(days=31),
            "decision_due": october.period.decision_due + datetime.timedelta(days=31),
        },
    )
    assert november.sheets.count() == 12 + 2 * count * count
    client = login(world.users["head"])
    url = reverse("dashboards:unit", args=[world.dept.pk])
    ensure_fresh()  # the worker's run queued at the opening's commit
    with django_assert_num_queries(12):  # no freshness check: the page only reads
        response = client.get(url, {"thang": "2026-11"})
    assert len(response.context["rows"]) == 1 + count + 1  # the division, new ones, direct
    assert len(response.context["people"]) == 2 + count * count  # head, hr and the new
