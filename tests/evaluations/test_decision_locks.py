"""Decisions lock the sheets of their quota scope, not the period (PostgreSQL, two
connections): two decisions of one scope wait for each other, so the quota is never
exceeded; a decision of another unit goes on meanwhile."""

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rounds.decide import lock_scope
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES, sheet_of
from tests.factories import PersonFactory, UserFactory

pytestmark = [
    pytest.mark.usefixtures("english"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="two concurrent writers need PostgreSQL's row locks (SQLite serialises the file)",
    ),
]
WAIT = 10  # seconds: never reached when the locks behave


def _reviewed(sheet: Sheet, reviewer: Any) -> Sheet:
    owner = sheet.person.user
    save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(sheet, by=reviewer, scores=FULL_SCORES, proposed_level="good")


@pytest.fixture
def october(world: World, open_october: Any, nd335_raising: Any) -> Period:
    """Six people in the division (the head's scope: one "excellent" fits in the quota of
    five "good", two do not) and one in the other department, all reviewed."""
    for number in range(5):
        PersonFactory(unit=world.division, user=UserFactory(username=f"cv{number}"))
    PersonFactory(unit=world.division_other, user=UserFactory(username="other"))
    return open_october(rulebook=nd335_raising)


def _division(world: World, period: Period) -> list[Sheet]:
    sheets = Sheet.objects.filter(period=period, unit=world.division).exclude(
        person=world.people["manager"]
    )
    return [
        _reviewed(sheet_of(period, sheet.person), world.users["manager"])
        for sheet in sheets.order_by("pk")
    ]


def _other(world: World, period: Period) -> Sheet:
    sheet = Sheet.objects.get(
        period=period, unit=world.division_other, person__user__username="other"
    )
    return _reviewed(sheet_of(period, sheet.person), world.users["head_other"])


def _in_thread(target: Any) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _hold_scope(sheet: Sheet, held: threading.Event, release: threading.Event) -> None:
    """A decision of `sheet` that has taken its locks and not yet committed."""
    with transaction.atomic():
        period = MONTH.hold_period(sheet.period_id)
        lock_scope(MONTH, Scopes(MONTH, period, MONTH.config(period)), sheet)
        held.set()
        release.wait(WAIT)


def _decide_within(sheet: Sheet, by: Any, seconds: int, **options: Any) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{seconds}s'")
        decide_sheet(sheet, by=by, **options)


def test_a_decision_of_another_unit_goes_on_while_one_holds_its_locks(
    world: World, october: Period
) -> None:
    mine, other = _division(world, october)[0], _other(world, october)
    held, release = threading.Event(), threading.Event()
    holder = _in_thread(lambda: _hold_scope(mine, held, release))
    assert held.wait(WAIT)
    try:
        _decide_within(other, world.users["head_other"], 3, level="good", reason="Đạt yêu cầu")
    finally:
        release.set()
        holder.join(WAIT)
    assert Sheet.objects.get(pk=other.pk).status == Sheet.Status.DECIDED


def test_a_decision_of_the_same_scope_waits(world: World, october: Period) -> None:
    first, second = _division(world, october)[:2]
    held, release = threading.Event(), threading.Event()
    holder = _in_thread(lambda: _hold_scope(first, held, release))
    assert held.wait(WAIT)
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            _decide_within(second, world.users["head"], 1, level="good", reason="Đạt yêu cầu")
    finally:
        release.set()
        holder.join(WAIT)
    _decide_within(second, world.users["head"], 3, level="good", reason="Đạt yêu cầu")
    assert Sheet.objects.get(pk=second.pk).status == Sheet.Status.DECIDED


def test_two_concurrent_top_levels_never_exceed_the_quota(world: World, october: Period) -> None:
    """The first "excellent" is written and not yet committed when the second is asked for:
    the second waits for it, then counts it and is refused."""
    sheets = _division(world, october)
    assert len(sheets) == 6
    first, second = sheets[0], sheets[1]
    decided, release = threading.Event(), threading.Event()

    def first_decision() -> None:
        with transaction.atomic():
            decide_sheet(first, by=world.users["head"], level="excellent", reason="Sáng kiến")
            decided.set()
            release.wait(WAIT)

    holder = _in_thread(first_decision)
    assert decided.wait(WAIT)
    refusals: list[str] = []

    def second_decision() -> None:
        try:
            decide_sheet(second, by=world.users["head"], level="excellent", reason="Sáng kiến")
        except EvaluationError as error:
            refusals.append(str(error))

    waiting = _in_thread(second_decision)
    waiting.join(1)
    assert waiting.is_alive()  # waits for the first decision's locks
    release.set()
    holder.join(WAIT)
    waiting.join(WAIT)
    levels = sorted(
        Sheet.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", "decided_level")
    )
    assert levels == [(Sheet.Status.DECIDED, "excellent"), (Sheet.Status.REVIEWED, "")]
    assert len(refusals) == 1
    assert refusals[0].endswith(f"{first.person.full_name}.")  # the "excellent" to lower first
