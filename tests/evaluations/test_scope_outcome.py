"""`Scopes.outcome` (judged once per kind of row, for the page's offer of the exception)
gives what `Scopes.judge` gives for every row and level."""

from typing import Any

import pytest

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")


def test_outcome_equals_the_judgement_of_every_row(
    world: World, open_october: Any, nd335_raising: Any
) -> None:
    for number in range(7):
        PersonFactory(unit=world.division, user=UserFactory(username=f"cv{number}"))
    period: Period = open_october(rulebook=nd335_raising)
    sheets = []
    for sheet in Sheet.objects.filter(period=period, unit=world.division).exclude(
        person=world.people["manager"]
    ):
        owner = sheet.person.user
        save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="good")
        sheet = submit_self_evaluation(sheet, by=owner)
        sheets.append(
            submit_review(
                sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good"
            )
        )
    decide_sheet(sheets[0], by=world.users["head"], level="excellent", reason="Sáng kiến")
    decide_sheet(sheets[1], by=world.users["head"], level="completed", reason="Chậm")
    config = MONTH.config(period)
    undecided = list(
        Sheet.objects.filter(period=period, status=Sheet.Status.REVIEWED).select_related("unit")
    )
    assert len(undecided) == 6
    memo, plain = Scopes(MONTH, period, config), Scopes(MONTH, period, config)
    outcomes = {
        (sheet.pk, level.code): memo.outcome(sheet, level.code)
        for sheet in undecided
        for level in config.levels
    }
    assert outcomes == {
        (sheet.pk, level.code): plain.judge(sheet, level.code).outcome
        for sheet in undecided
        for level in config.levels
    }
    assert {"allowed", "blocked"} <= set(outcomes.values())
