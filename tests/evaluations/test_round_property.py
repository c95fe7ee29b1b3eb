"""Property: the quota is a property of the round's outcome, not of the order of clicks.

For a unit of 1–30 people with generated proposals and final levels, and an arbitrary order
of decisions (one by one, "accept all", a reopening and deciding again), for a month and for
a year:

- every operation is accepted iff the final levels respect the quota (so the order never
  changes what is accepted);
- a round whose levels are over the quota can be neither closed nor published.

The rulebook is ND 335's with enforcement "block" (no exception share), so that the rule is
exactly `quota_status(final levels).exceeded`. Fixture data is written directly (the people
once per test, the period and sheets per example, rolled back after each example).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import AnnualError, accept_all_annual, close_annual, decide_annual
from danhgia.core import clock
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.quota import quota_status
from danhgia.evaluations.rules.schema import parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.periods import close_period
from danhgia.evaluations.services.reopen import reopen_sheet
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from danhgia.reports.publication.services import PublicationError, publish_period
from tests.conftest import SINCE, VIETNAM, World
from tests.factories import PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english", "pinned")

# The rounds are October 2026 and the year 2026, decided on 5 November 2026.
NOW = datetime.datetime(2026, 11, 5, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def pinned(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


LEVELS = ["excellent", "good", "completed", "not_completed"]
MAX_PEOPLE = 30
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Person_:
    proposal: str
    final: str
    group: str
    score: int


@st.composite
def rounds(draw: Callable[..., Any]) -> tuple[list[Person_], list[tuple[str, int]]]:
    """People (proposal, final level, group, score) and the operations in order: ("decide",
    i), ("reopen", i) (decide, reopen, decide again) and ("accept_all", -1)."""
    count = draw(st.integers(1, MAX_PEOPLE))
    # Mostly "good": rounds near the quota's edge, on both sides of it.
    level = st.sampled_from(LEVELS[:3]) | st.just("good")
    people = [
        Person_(
            draw(level), draw(level), draw(st.sampled_from(["a", "b"])), draw(st.integers(60, 100))
        )
        for _ in range(count)
    ]
    order = draw(st.permutations(range(count)))
    ops: list[tuple[str, int]] = [
        (draw(st.sampled_from(["decide", "decide", "reopen"])), index) for index in order
    ]
    ops.insert(draw(st.integers(0, len(ops))), ("accept_all", -1))
    return people, ops


def legal(config: Any, people: list[Person_], levels: list[str] | None = None) -> bool:
    """The quota rule on the final levels (or on `levels`, in the people's order)."""
    levels = levels or [person.final for person in people]
    decisions = [
        (index, level, p.group) for index, (p, level) in enumerate(zip(people, levels, strict=True))
    ]
    return not quota_status(config, decisions).exceeded


def closes_iff_decided_and_within(config: Any, people: list[Person_], levels: list[str]) -> bool:
    """What a close must do with the levels as decided ("" undecided)."""
    return all(levels) and legal(config, people, levels)


@dataclass
class Unit_:
    unit: Unit
    head: Any
    hr: Any
    people: list[Person]
    rulebook: Rulebook


@pytest.fixture
def team(world: World) -> Unit_:
    ensure_shipped_rulebooks()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    rulebook.pk = None
    rulebook.code = "TEST-BLOCK"
    rulebook.quota = {**rulebook.quota, "enforcement": "block"}
    rulebook.save()
    unit = UnitFactory(parent=world.dept, code="PBT", name="Phòng Bảo Thử")
    head = UserFactory(username="pbt-head")
    UnitRole.objects.create(user=head, unit=unit, role=Role.HEAD, valid_from=SINCE)
    people = [
        PersonFactory(unit=unit, full_name=f"Người Thử {index:02d}") for index in range(MAX_PEOPLE)
    ]
    return Unit_(unit, head, world.users["hr"], people, rulebook)


def _month(team: Unit_, people: list[Person_]) -> Period:
    today = clock.today()
    first = datetime.date(2026, 10, 1)
    period = Period.objects.create(
        organisation=team.unit,
        kind=Period.Kind.MONTH,
        start=first,
        end=datetime.date(2026, 10, 31),
        rulebook=team.rulebook,
        state=Period.State.REVIEWING,
        self_evaluation_due=today,
        review_due=today,
        decision_due=today + datetime.timedelta(days=10),
        opened_at=clock.now(),
    )
    Sheet.objects.bulk_create(
        Sheet(
            period=period,
            person=team.people[index],
            unit=team.unit,
            task_group=person.group,
            status=Sheet.Status.REVIEWED,
            total=Decimal(person.score),
            # "accept all" takes a proposal equal to the band: only those whose final level
            # is the proposal; the others wait for the head's decision with a reason.
            band=person.proposal if person.final == person.proposal else person.final,
            manager_level=person.proposal,
            decider=team.head,
            reviewed_at=clock.now(),
        )
        for index, person in enumerate(people)
    )
    return period


@pytest.mark.django_db
@SETTINGS
@given(data=rounds())
def test_month_accepts_iff_the_final_levels_respect_the_quota(
    team: Unit_, data: tuple[list[Person_], list[tuple[str, int]]]
) -> None:
    people, ops = data
    config = parse_rulebook(team.rulebook)
    with transaction.atomic():
        period = _month(team, people)
        sheets = {sheet.person_id: sheet for sheet in period.sheets.select_related("person")}
        by_index = [sheets[team.people[index].pk] for index in range(len(people))]
        refused = 0
        for op, index in ops:
            if op == "accept_all":
                result = accept_all_proposals(period, team.unit, by=team.head)
                refused += sum(1 for item in result.skipped if "Over the quota" in item.reason)
                continue
            sheet = Sheet.objects.select_related("person", "unit", "period").get(
                pk=by_index[index].pk
            )
            if sheet.is_decided:
                continue  # "accept all" decided it at its proposal, its final level
            try:
                sheet = decide_sheet(sheet, by=team.head, level=people[index].final, reason="Lý do")
                if op == "reopen":
                    sheet = reopen_sheet(sheet, by=team.hr, reason="Xem lại")
                    decide_sheet(sheet, by=team.head, level=people[index].final, reason="Lý do")
            except EvaluationError as error:
                assert "Over the quota" in str(error)
                refused += 1
        final = dict(period.sheets.values_list("pk", "decided_level"))
        levels = [final[sheet.pk] for sheet in by_index]
        assert (refused == 0) == legal(config, people)
        if legal(config, people):
            assert levels == [p.final for p in people]
            close_period(period, by=team.hr)
        else:
            assert not closes_iff_decided_and_within(config, people, levels)
            with pytest.raises(EvaluationError):
                close_period(period, by=team.hr)
            # Nothing over the quota is closed or published, however it was decided.
            for index, sheet in enumerate(by_index):
                Sheet.objects.filter(pk=sheet.pk).update(
                    status=Sheet.Status.DECIDED, decided_level=people[index].final
                )
            with pytest.raises(EvaluationError, match="the quota is exceeded"):
                close_period(period, by=team.hr)
            Period.objects.filter(pk=period.pk).update(state=Period.State.DECIDED)
            with pytest.raises(PublicationError, match="the quota is exceeded"):
                publish_period(period, by=team.hr, audience="internal", privacy="counts")
        transaction.set_rollback(True)


def _year(team: Unit_, people: list[Person_]) -> AnnualPeriod:
    period = AnnualPeriod.objects.create(
        organisation=team.unit,
        year=2026,
        rulebook=team.rulebook,
        decision_due=clock.today() + datetime.timedelta(days=10),
        opened_at=clock.now(),
    )
    AnnualSheet.objects.bulk_create(
        AnnualSheet(
            annual_period=period,
            person=team.people[index],
            unit=team.unit,
            task_group=person.group,
            decider=team.head,
            score=Decimal(person.score),
            band=person.proposal,
            proposed_level=person.proposal,
        )
        for index, person in enumerate(people)
    )
    return period


@pytest.mark.django_db
@SETTINGS
@given(data=rounds())
def test_year_accepts_iff_the_final_levels_respect_the_quota(
    team: Unit_, data: tuple[list[Person_], list[tuple[str, int]]]
) -> None:
    people, ops = data
    config = parse_rulebook(team.rulebook)
    # "Accept all" of a year takes every computed level: it comes last, for those whose
    # final level is the computed one and who were not decided one by one before.
    ops = [op for op in ops if op[0] != "accept_all"]
    ops = [op for op in ops if op[0] == "decide" or people[op[1]].final != people[op[1]].proposal]
    ops.append(("accept_all", -1))
    with transaction.atomic():
        period = _year(team, people)
        sheets = {sheet.person_id: sheet for sheet in period.sheets.all()}
        by_index = [sheets[team.people[index].pk] for index in range(len(people))]
        refused = 0
        for op, index in ops:
            if op == "accept_all":
                result = accept_all_annual(period, team.unit, by=team.head)
                refused += sum(1 for item in result.skipped if "Over the quota" in item.reason)
                continue
            sheet = AnnualSheet.objects.select_related("person", "unit").get(pk=by_index[index].pk)
            try:
                decide_annual(sheet, by=team.head, level=people[index].final, reason="Lý do")
            except AnnualError as error:
                assert "Over the quota" in str(error)
                refused += 1
        final = dict(period.sheets.values_list("pk", "decided_level"))
        levels = [final[sheet.pk] for sheet in by_index]
        assert (refused == 0) == legal(config, people)
        if legal(config, people):
            assert levels == [p.final for p in people]
            close_annual(period, by=team.hr)
        else:
            # A row refused its final level was taken at its computed level by "accept
            # all": the year closes iff what was decided is within the quota.
            if closes_iff_decided_and_within(config, people, levels):
                close_annual(period, by=team.hr)
                AnnualPeriod.objects.filter(pk=period.pk).update(state=AnnualPeriod.State.OPEN)
            else:
                with pytest.raises(AnnualError):
                    close_annual(period, by=team.hr)
            for index, sheet in enumerate(by_index):
                AnnualSheet.objects.filter(pk=sheet.pk).update(
                    status=AnnualSheet.Status.DECIDED, decided_level=people[index].final
                )
            with pytest.raises(AnnualError, match="the quota is exceeded"):
                close_annual(period, by=team.hr)
        transaction.set_rollback(True)
