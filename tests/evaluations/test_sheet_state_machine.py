"""Random sequences of service calls on one sheet, by random people (hypothesis, stateful).

Whatever the order: a failed call changes nothing, every change of status writes an audit
row naming the old and the new status, and once the sheet is decided none of its fields nor
its task lines change again, whatever happens to its tasks.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Discipline, Rulebook, Sheet
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.sheets import (
    recompute_sheet,
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.work.models import Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.tasks import complete_task
from tests.conftest import World
from tests.evaluations.conftest import OCT, MakeTask, future_deadlines, oct_

ACTORS = ("staff", "manager", "head", "staff_other", "hr")
STATE_ACTIONS = ("sheet.self_submitted", "sheet.returned", "sheet.reviewed", "sheet.decided")


def actors(usual: str) -> st.SearchStrategy[str]:
    """Half the time the person whose turn it is, else anyone (who must be refused)."""
    return st.one_of(st.just(usual), st.sampled_from(ACTORS))


levels = st.one_of(st.sampled_from(LEVEL_CODES), st.just(""))
reasons = st.sampled_from(("", "  ", "Lý do cụ thể"))
valid_points = st.integers(min_value=0, max_value=10)
any_points = st.integers(min_value=-1, max_value=11)


def _scores(values: tuple[int, ...]) -> dict[str, Decimal]:
    codes = ("ethics", "competence", "innovation")
    return dict(zip(codes, map(Decimal, values), strict=False))


score_sets = st.one_of(
    st.tuples(valid_points, valid_points, valid_points),
    st.tuples(any_points, any_points, any_points),
    st.tuples(valid_points),
).map(_scores)


def _fields(sheet: Sheet) -> dict[str, Any]:
    return {field.attname: getattr(sheet, field.attname) for field in Sheet._meta.concrete_fields}


def _lines(sheet: Sheet) -> list[dict[str, Any]]:
    return list(sheet.task_lines.order_by("pk").values())


def machine_for(world: World, done: Task, open_task: Task) -> type[RuleBasedStateMachine]:
    class SheetMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            # Each run happens in a savepoint rolled back at the end: runs never see each other.
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            period = open_period(
                world.province, OCT, by=world.users["hr"], deadlines=future_deadlines()
            )
            self.sheet = Sheet.objects.get(period=period, person=world.people["staff"])
            self.period = period
            self.transitions = 0
            self.frozen: tuple[dict[str, Any], list[dict[str, Any]]] | None = None

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _call(self, action: Callable[[], object]) -> None:
            before = Sheet.objects.get(pk=self.sheet.pk)
            rows = AuditLog.objects.count()
            try:
                action()
            except EvaluationError:
                assert _fields(Sheet.objects.get(pk=self.sheet.pk)) == _fields(before)
                assert AuditLog.objects.count() == rows
                return
            after = Sheet.objects.get(pk=self.sheet.pk)
            if after.status != before.status:
                self.transitions += 1
                entry = (
                    AuditLog.objects.filter(
                        object_type="evaluations.sheet",
                        object_id=str(self.sheet.pk),
                        action__in=STATE_ACTIONS,
                    )
                    .order_by("-id")
                    .first()
                )
                assert entry is not None and entry.id > 0
                assert entry.data["before"]["status"] == before.status
                assert entry.data["after"]["status"] == after.status

        @rule(scores=st.tuples(valid_points, valid_points, valid_points), level=levels)
        def save_in_full(self, scores: tuple[int, ...], level: str) -> None:
            self._call(
                lambda: save_self_evaluation(
                    self.sheet,
                    by=world.users["staff"],
                    scores=_scores(scores),
                    proposed_level=level or "good",
                )
            )

        @rule(actor=actors("staff"), scores=score_sets, level=levels)
        def save(self, actor: str, scores: dict[str, Decimal], level: str) -> None:
            self._call(
                lambda: save_self_evaluation(
                    self.sheet,
                    by=world.users[actor],
                    scores=scores,
                    strengths="Tích cực",
                    proposed_level=level,
                )
            )

        @rule(actor=actors("staff"))
        def submit(self, actor: str) -> None:
            self._call(lambda: submit_self_evaluation(self.sheet, by=world.users[actor]))

        @rule(actor=actors("manager"), reason=reasons)
        def send_back(self, actor: str, reason: str) -> None:
            self._call(lambda: return_sheet(self.sheet, by=world.users[actor], reason=reason))

        @rule(scores=st.tuples(valid_points, valid_points, valid_points), level=levels)
        def review_in_full(self, scores: tuple[int, ...], level: str) -> None:
            self._call(
                lambda: submit_review(
                    self.sheet,
                    by=world.users["manager"],
                    scores=_scores(scores),
                    proposed_level=level or "good",
                )
            )

        @rule(actor=actors("manager"), scores=score_sets, level=levels)
        def review(self, actor: str, scores: dict[str, Decimal], level: str) -> None:
            self._call(
                lambda: submit_review(
                    self.sheet, by=world.users[actor], scores=scores, proposed_level=level
                )
            )

        @rule(actor=actors("head"), level=levels, reason=reasons, use_exception=st.booleans())
        def decide(self, actor: str, level: str, reason: str, use_exception: bool) -> None:
            self._call(
                lambda: decide_sheet(
                    self.sheet,
                    by=world.users[actor],
                    level=level,
                    reason=reason,
                    use_exception=use_exception,
                )
            )

        @rule(actor=actors("head"))
        def decide_at_the_band(self, actor: str) -> None:
            band = Sheet.objects.get(pk=self.sheet.pk).band
            self._call(lambda: decide_sheet(self.sheet, by=world.users[actor], level=band))

        @rule(actor=actors("head"))
        def accept_all(self, actor: str) -> None:
            self._call(
                lambda: accept_all_proposals(self.period, world.province, by=world.users[actor])
            )

        @rule()
        def open_the_page(self) -> None:
            self._call(lambda: recompute_sheet(self.sheet))

        @rule(meets_quality=st.booleans(), errors=st.integers(min_value=0, max_value=3))
        def reassess(self, meets_quality: bool, errors: int) -> None:
            assess_task(
                done, by=world.users["manager"], meets_quality=meets_quality, major_errors=errors
            )

        @rule()
        def complete_the_open_task(self) -> None:
            if Task.objects.get(pk=open_task.pk).status != Task.Status.DONE:
                complete_task(open_task, by=world.users["staff"], on=oct_(29))

        @rule()
        def discipline(self) -> None:
            Discipline.objects.get_or_create(
                person=world.people["staff"],
                decision_number="1/QĐ-KL",
                defaults={
                    "form": Discipline.Form.REPRIMAND,
                    "channel": Discipline.Channel.ADMINISTRATIVE,
                    "decided_on": oct_(2),
                    "effective_from": oct_(2),
                },
            )

        @invariant()
        def decided_sheet_never_changes(self) -> None:
            sheet = Sheet.objects.get(pk=self.sheet.pk)
            state = (_fields(sheet), _lines(sheet))
            if self.frozen is not None:
                assert state == self.frozen
            elif sheet.status == Sheet.Status.DECIDED:
                self.frozen = state

        @invariant()
        def every_status_change_is_audited(self) -> None:
            audited = AuditLog.objects.filter(
                object_type="evaluations.sheet",
                object_id=str(self.sheet.pk),
                action__in=STATE_ACTIONS,
            ).count()
            assert audited == self.transitions

    return SheetMachine


@pytest.mark.django_db
def test_random_service_calls_keep_the_sheet_invariants(
    world: World, nd335: Rulebook, make_task: MakeTask
) -> None:
    done = make_task(due=oct_(20), done_on=oct_(19), meets_quality=True)
    open_task = make_task(due=oct_(28))
    make_task("staff_other", by="head_other", done_on=oct_(5), meets_quality=True)
    assert datetime.date.today() > oct_(29)  # the open task can be completed on 29/10
    run_state_machine_as_test(
        machine_for(world, done, open_task),
        settings=settings(
            max_examples=50,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
