"""Opening a month set-based (issue 16): the credit sums the database adds up give the same
figures as the engine crediting every task line by line, for every person, under several
credit rules and both strategies; and the sheets a month opens with carry those figures."""

import dataclasses
import datetime
import random
from decimal import Decimal

import pytest

from danhgia.evaluations.facts import credit_sums_by_owner, task_facts_by_owner
from danhgia.evaluations.models import Rulebook, Sheet, SheetTaskLine
from danhgia.evaluations.rules.codes import NOT_COMPLETED
from danhgia.evaluations.rules.facts import LeaderFacts
from danhgia.evaluations.rules.schema import parse_rulebook
from danhgia.evaluations.rules.scoring import (
    NO_CREDITS,
    STRATEGIES,
    ND335Params,
    TaskResult,
)
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.sheets import (
    current_lines,
    frozen_lines,
    save_self_evaluation,
    score_sheets,
    submit_self_evaluation,
)
from danhgia.organisations.models import Person
from danhgia.work.models import Task
from tests.conftest import World
from tests.evaluations.conftest import (
    FULL_SCORES,
    OCT,
    OCT_END,
    MakeTask,
    OpenOctober,
    oct_,
    sheet_of,
)
from tests.factories import PersonFactory

ASSESSED = datetime.datetime(2026, 10, 31, 9, 0, tzinfo=datetime.UTC)
COMPARED = ("a", "b", "c", "d", "dd", "e", "task_pct", "task_points", "no_tasks")


def _varied_tasks(world: World, people: list[Person], seed: int = 16) -> None:
    """Tasks of every kind for `people`: late, cancelled, extended out of the month, not done,
    assessed or not, quality misses, major errors, objective causes, products' coefficients."""
    pick = random.Random(seed)
    for person in people[:-1]:  # the last person has no task at all
        for _ in range(pick.randint(1, 9)):
            due = OCT + datetime.timedelta(days=pick.randint(0, 30))
            deadline = pick.choice([due, due, OCT_END + datetime.timedelta(days=5)])
            status = pick.choice(["done", "done", "done", "not_started", "cancelled"])
            done = status == "done"
            completed = due + datetime.timedelta(days=pick.randint(-3, 4)) if done else None
            assessed = done and pick.random() < 0.7
            Task.objects.create(
                title="Nhiệm vụ",
                unit=person.unit,
                owner=person,
                assigned_by=world.users["manager"],
                source=Task.Source.ASSIGNMENT,
                start_date=OCT,
                due_date=due,
                deadline=deadline,
                status=status,
                completed_on=completed,
                quantity=pick.choice([Decimal(1), Decimal("2.5"), Decimal("3.75")]),
                coefficient=pick.choice([Decimal(1), Decimal("0.5"), Decimal("1.25")]),
                assessed_at=ASSESSED if assessed else None,
                meets_quality=pick.choice([True, True, False]) if assessed else None,
                major_errors=pick.choice([0, 0, 1, 3]),
                objective_cause=pick.random() < 0.2,
            )


def _people(world: World, count: int = 24) -> list[Person]:
    made = [PersonFactory(unit=world.division) for _ in range(count)]
    return [world.people["staff"], world.people["manager"], *made]


def _figures(result: TaskResult) -> tuple[object, ...]:
    return tuple(getattr(result, name) for name in COMPARED)


@pytest.mark.django_db
def test_credit_sums_score_like_the_lines_under_every_credit_rule(
    world: World, open_october: OpenOctober, nd335: Rulebook
) -> None:
    people = _people(world)
    _varied_tasks(world, people)
    period = open_october()
    ids = [person.pk for person in people]
    facts = task_facts_by_owner(period, ids)
    assert sum(len(found) for found in facts.values()) > 50  # a month worth comparing
    nd = parse_rulebook(nd335).task_scoring.parsed
    assert isinstance(nd, ND335Params)
    variants = [
        nd.credit,
        dataclasses.replace(nd.credit, unassessed_meets_quality=False, no_tasks="full"),
        dataclasses.replace(
            nd.credit, error_deduction=Decimal("0.5"), delay_deduction=Decimal("0.75")
        ),
        dataclasses.replace(nd.credit, error_deduction=Decimal(1), cap_pct=Decimal(90)),
    ]
    qn = STRATEGIES["qn2022_weighted"].parse_params({"weights": {"quantity": 50, "quality": 30}})
    leaders = [
        None,
        LeaderFacts(staff_bands=["good", NOT_COMPLETED], planned_on_time_with_quality_pct=None),
        LeaderFacts(staff_bands=["excellent"], planned_on_time_with_quality_pct=Decimal(40)),
    ]
    compared = 0
    for credit in variants:
        sums = credit_sums_by_owner(period, credit, ids)
        for name, params in (
            ("nd335_abc", dataclasses.replace(nd, credit=credit)),
            ("qn2022_weighted", dataclasses.replace(qn, credit=credit)),  # type: ignore[type-var]
        ):
            strategy = STRATEGIES[name]
            for person_id in ids:
                leader = leaders[person_id % len(leaders)]
                by_lines = strategy.score(params, facts.get(person_id, []), leader)
                by_sums = strategy.score_sums(params, sums.get(person_id, NO_CREDITS), leader)
                assert _figures(by_sums) == _figures(by_lines), (name, credit, person_id)
                compared += 1
    assert compared == len(variants) * 2 * len(ids)


@pytest.mark.django_db
def test_a_month_opens_with_the_engines_figures_and_writes_no_line(
    world: World, open_october: OpenOctober
) -> None:
    people = _people(world)
    _varied_tasks(world, people)
    period = open_october()
    sheets = list(
        Sheet.objects.filter(period=period)
        .select_related("person", "unit", "period__rulebook", "rulebook")
        .order_by("pk")
    )
    assert not SheetTaskLine.objects.filter(sheet__period=period).exists()
    stored = {
        sheet.pk: (sheet.quantity_pct, sheet.quality_pct, sheet.timeliness_pct, sheet.task_points)
        for sheet in sheets
    }
    totals = {sheet.pk: (sheet.total, sheet.band, sheet.unit_result_pct) for sheet in sheets}
    # The engine line by line, on the same sheets in memory.
    score_sheets(period, sheet_config(sheets[0]), sheets, with_lines=True)
    for sheet in sheets:
        assert stored[sheet.pk] == (
            sheet.quantity_pct,
            sheet.quality_pct,
            sheet.timeliness_pct,
            sheet.task_points,
        ), sheet.person.full_name
        assert totals[sheet.pk] == (sheet.total, sheet.band, sheet.unit_result_pct)
    # The lines a draft shows add up to its stored a.
    staff = next(sheet for sheet in sheets if sheet.person_id == world.people["staff"].pk)
    lines = current_lines(staff)
    assigned = sum((line.converted_assigned for line in lines), Decimal(0))
    done = sum((line.converted_done for line in lines), Decimal(0))
    if assigned:
        assert staff.quantity_pct == (done * 100 / assigned).quantize(Decimal("0.001"))


@pytest.mark.django_db
def test_submission_freezes_the_lines_the_draft_showed(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(due=oct_(20), done_on=oct_(22), meets_quality=True, major_errors=1)
    make_task(due=oct_(25))
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    shown = current_lines(sheet)
    assert [line.converted_done for line in shown] == [Decimal(1), Decimal(0)]
    staff = world.users["staff"]
    save_self_evaluation(sheet, by=staff, scores=FULL_SCORES, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=staff)
    assert frozen_lines([sheet])[sheet.person_id] == shown
    assert current_lines(sheet) == shown
    # Frozen: a task written after the submission no longer changes the sheet's lines.
    make_task(due=oct_(28))
    assert current_lines(sheet_of(period, world.people["staff"])) == shown
