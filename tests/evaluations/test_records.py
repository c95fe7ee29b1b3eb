"""Records HR keeps (services/records.py): discipline, conclusions, leave, the policy; the
days of leave within a period; and how vetoes read discipline dates (the 31 December edge)."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danhgia.core.models import AuditLog
from danhgia.evaluations.facts_leave import leave_days_in
from danhgia.evaluations.models import (
    Discipline,
    EvaluationPolicy,
    Finding,
    Leave,
    Period,
    Rulebook,
    Sheet,
)
from danhgia.evaluations.policy import policy_for
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.records import (
    decided_sheets_vetoed_by,
    delete_discipline,
    delete_leave,
    record_discipline,
    record_finding,
    record_leave,
    save_policy,
    update_discipline,
    update_leave,
)
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import VIETNAM, World
from tests.evaluations.conftest import FULL_SCORES, future_deadlines, sheet_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date


def _discipline(world: World, by: str = "hr", **fields: Any) -> Discipline:
    values: dict[str, Any] = {
        "form": Discipline.Form.REPRIMAND,
        "channel": Discipline.Channel.ADMINISTRATIVE,
        "decision_number": "15/QĐ-SNV",
        "decided_on": D(2026, 3, 2),
        "effective_from": D(2026, 3, 2),
    }
    values.update(fields)
    return record_discipline(world.people["staff"], by=world.users[by], **values)


def _leave(world: World, start: datetime.date, end: datetime.date, **fields: Any) -> Leave:
    fields.setdefault("kind", Leave.Kind.SICK)
    return record_leave(world.people["staff"], by=world.users["hr"], start=start, end=end, **fields)


# Discipline


@pytest.mark.django_db
def test_hr_records_a_discipline_with_an_audit_row(world: World) -> None:
    discipline = _discipline(world, note="  Vi phạm quy chế  ")

    assert (discipline.person, discipline.recorded_by) == (world.people["staff"], world.users["hr"])
    assert discipline.note == "Vi phạm quy chế"
    entry = AuditLog.objects.get(action="discipline.recorded")
    assert entry.actor == world.users["hr"]
    assert entry.data["before"] == {}
    assert entry.data["after"]["form"] == "reprimand"
    assert entry.data["after"]["effective_from"] == "2026-03-02"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "manager", "head", "supervisor"])
def test_only_hr_and_admins_record_discipline(world: World, who: str) -> None:
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        _discipline(world, by=who)
    assert Discipline.objects.count() == 0
    assert not AuditLog.objects.filter(action="discipline.recorded").exists()


@pytest.mark.django_db
def test_a_system_administrator_records_discipline(world: World) -> None:
    assert _discipline(world, by="admin").recorded_by == world.users["admin"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"decision_number": "  "}, "Give the number"),
        ({"effective_from": D(2026, 3, 1)}, "takes effect on or after the day it was decided"),
        ({"effective_to": D(2026, 3, 1)}, "must not be before its start"),
        ({"decided_on": D(2099, 1, 1), "effective_from": D(2099, 1, 1)}, "cannot be in the future"),
    ],
)
def test_discipline_dates_and_number_are_checked(
    world: World, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(EvaluationError, match=message):
        _discipline(world, **fields)
    assert Discipline.objects.count() == 0


@pytest.mark.django_db
def test_a_correction_logs_only_what_changed(world: World) -> None:
    discipline = _discipline(world)

    update_discipline(
        discipline, by=world.users["hr"], form=Discipline.Form.WARNING, decision_number="15/QĐ-SNV"
    )

    discipline.refresh_from_db()
    assert discipline.form == "warning"
    entry = AuditLog.objects.get(action="discipline.updated")
    assert entry.data["before"] == {"form": "reprimand"}
    assert entry.data["after"] == {"form": "warning"}


@pytest.mark.django_db
def test_deleting_needs_a_reason_and_keeps_the_record_in_the_log(world: World) -> None:
    discipline = _discipline(world)
    with pytest.raises(EvaluationError, match="Give the reason"):
        delete_discipline(discipline, by=world.users["hr"], reason=" ")
    assert Discipline.objects.count() == 1

    delete_discipline(discipline, by=world.users["hr"], reason="Nhập nhầm người")

    assert Discipline.objects.count() == 0
    entry = AuditLog.objects.get(action="discipline.deleted")
    assert entry.data["reason"] == "Nhập nhầm người"
    assert entry.data["before"]["decision_number"] == "15/QĐ-SNV"


@pytest.mark.django_db
def test_a_finding_is_recorded(world: World) -> None:
    finding = record_finding(
        world.people["head"],
        by=world.users["hr"],
        kind=Finding.Kind.DEGRADATION,
        concluded_on=D(2026, 5, 4),
        reference="KL-03/UBKT",
    )
    assert Finding.objects.get() == finding
    assert AuditLog.objects.get(action="finding.recorded").data["after"]["kind"] == "degradation"
    with pytest.raises(EvaluationError, match="reference"):
        record_finding(
            world.people["head"],
            by=world.users["hr"],
            kind=Finding.Kind.DEGRADATION,
            concluded_on=D(2026, 5, 4),
            reference="",
        )


# Leave


@pytest.mark.django_db
def test_overlapping_leave_is_refused_with_the_other_leave_named(world: World) -> None:
    _leave(world, D(2026, 3, 2), D(2026, 3, 13))

    with pytest.raises(EvaluationError) as error:
        _leave(world, D(2026, 3, 13), D(2026, 3, 20), kind=Leave.Kind.UNPAID)

    assert str(error.value) == (
        "Nguyễn Văn An already has sick leave from 02/03/2026 to 13/03/2026. Change that "
        "record or choose other dates."
    )
    assert Leave.objects.count() == 1
    # The day after is free; another person's leave never clashes.
    _leave(world, D(2026, 3, 14), D(2026, 3, 20), kind=Leave.Kind.UNPAID)
    record_leave(
        world.people["manager"],
        by=world.users["hr"],
        kind=Leave.Kind.SICK,
        start=D(2026, 3, 2),
        end=D(2026, 3, 13),
    )
    assert Leave.objects.count() == 3


@pytest.mark.django_db
def test_leave_dates_are_checked(world: World) -> None:
    with pytest.raises(EvaluationError, match="must not be before the first"):
        _leave(world, D(2026, 3, 5), D(2026, 3, 4))
    with pytest.raises(EvaluationError, match="leave must fall within that time"):
        _leave(world, D(2019, 12, 20), D(2020, 1, 5))  # the person started on 1/1/2020
    with pytest.raises(EvaluationError, match="Choose the kind"):
        _leave(world, D(2026, 3, 5), D(2026, 3, 6), kind="holiday")
    assert Leave.objects.count() == 0


@pytest.mark.django_db
def test_a_leave_can_be_moved_over_its_own_days_not_over_another(world: World) -> None:
    first = _leave(world, D(2026, 3, 2), D(2026, 3, 6))
    _leave(world, D(2026, 3, 16), D(2026, 3, 20))

    update_leave(first, by=world.users["hr"], end=D(2026, 3, 10))
    with pytest.raises(EvaluationError, match="already has"):
        update_leave(first, by=world.users["hr"], end=D(2026, 3, 16))

    first.refresh_from_db()
    assert first.end == D(2026, 3, 10)
    entry = AuditLog.objects.get(action="leave.updated")
    assert (entry.data["before"], entry.data["after"]) == (
        {"end": "2026-03-06"},
        {"end": "2026-03-10"},
    )
    delete_leave(first, by=world.users["hr"], reason="Hủy quyết định")
    assert AuditLog.objects.get(action="leave.deleted").data["reason"] == "Hủy quyết định"


@pytest.mark.django_db
def test_leave_days_in_a_period_by_kind_in_one_query(world: World) -> None:
    _leave(world, D(2026, 2, 25), D(2026, 3, 4))  # 4 days in March
    _leave(world, D(2026, 3, 20), D(2026, 3, 31), kind=Leave.Kind.STUDY)  # 12
    record_leave(
        world.people["manager"],
        by=world.users["hr"],
        kind=Leave.Kind.MATERNITY,
        start=D(2026, 1, 1),
        end=D(2026, 6, 30),
    )
    ids = [world.people[key].pk for key in ("staff", "manager", "head")]

    with CaptureQueriesContext(connection) as queries:
        days = leave_days_in(ids, D(2026, 3, 1), D(2026, 3, 31))

    assert len(queries) == 1
    assert days == {
        world.people["staff"].pk: {"sick": 4, "study": 12},
        world.people["manager"].pk: {"maternity": 31},
    }
    assert leave_days_in(ids, D(2026, 7, 1), D(2026, 7, 31)) == {}


# The organisation's policy


@pytest.mark.django_db
def test_hr_sets_the_policy_and_units_below_follow_it(world: World) -> None:
    policy = save_policy(world.dept, by=world.users["hr"], appeal_days=5)

    assert policy_for(world.division) == policy
    assert policy_for(world.dept_other).pk is None  # defaults
    created = AuditLog.objects.get(action="policy.updated")
    assert created.data["before"] == {}
    assert created.data["after"]["appeal_days"] == 5

    save_policy(world.dept, by=world.users["hr"], annual_decision_month=1)

    changed = AuditLog.objects.filter(action="policy.updated").order_by("-id").first()
    assert changed is not None
    assert (changed.data["before"], changed.data["after"]) == (
        {"annual_decision_month": 12},
        {"annual_decision_month": 1},
    )
    assert EvaluationPolicy.objects.get().appeal_days == 5


@pytest.mark.django_db
def test_policy_values_are_checked_and_only_hr_sets_them(world: World) -> None:
    with pytest.raises(EvaluationError, match="Month 2 has no day 30"):
        save_policy(
            world.dept, by=world.users["hr"], annual_decision_month=2, annual_decision_day=30
        )
    with pytest.raises(EvaluationError, match="from 1 to 90"):
        save_policy(world.dept, by=world.users["hr"], appeal_days=0)
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        save_policy(world.dept, by=world.users["head"], appeal_days=5)
    assert EvaluationPolicy.objects.count() == 0


# Vetoes read discipline when a sheet is decided


def _open(world: World, month: datetime.date, rulebook: Rulebook | None = None) -> Period:
    """A month of the province with deadlines well after its end."""
    days = (month - timezone.localdate()).days + 70
    return open_period(
        world.province,
        month,
        by=world.users["hr"],
        rulebook=rulebook,
        deadlines=future_deadlines(max(days, 10)),
    )


def _reviewed(world: World, period: Period) -> Sheet:
    """The staff member's sheet with full general scores (30 points, no tasks: the band is
    "not completed"), reviewed by the manager proposing "completed"."""
    sheet = sheet_of(period, world.people["staff"])
    owner = world.users["staff"]
    save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="completed")
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(
        sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="completed"
    )


REASON = "Đã hoàn thành các việc trọng tâm của tháng."


@pytest.mark.django_db
def test_a_discipline_effective_on_31_december_vetoes_december_not_january(
    world: World, nd335_raising: Rulebook, time_machine: Any
) -> None:
    """On rules that let the head raise the level above the band ("completed" for 30 points),
    so that only the veto refuses it."""
    time_machine.move_to(datetime.datetime(2027, 2, 10, 9, 0, tzinfo=VIETNAM), tick=True)
    _discipline(world, decided_on=D(2026, 12, 20), effective_from=D(2026, 12, 31))
    november = _reviewed(world, _open(world, D(2026, 11, 1), nd335_raising))
    december = _reviewed(world, _open(world, D(2026, 12, 1), nd335_raising))
    january = _reviewed(world, _open(world, D(2027, 1, 1), nd335_raising))
    head = world.users["head"]

    # December: the discipline took effect within the year up to the period's last day.
    with pytest.raises(EvaluationError, match="whatever the score"):
        decide_sheet(december, by=head, level="completed", reason=REASON)
    december = decide_sheet(december, by=head, level="not_completed")
    assert december.veto == "discipline_reprimand_or_higher"
    assert "31/12/2026" in december.veto_reason
    # November ends before it took effect; January is the next year: neither is vetoed.
    assert decide_sheet(november, by=head, level="completed", reason=REASON).veto == ""
    assert decide_sheet(january, by=head, level="completed", reason=REASON).veto == ""


@pytest.mark.django_db
def test_a_discipline_recorded_after_a_decision_leaves_it_and_reaches_the_next(
    world: World, nd335_raising: Rulebook
) -> None:
    """On rules that let the head raise the level above the band ("completed" for 30 points),
    so that only the veto refuses it in November."""
    head = world.users["head"]
    october = _reviewed(world, _open(world, D(2026, 10, 1), nd335_raising))
    october = decide_sheet(october, by=head, level="completed", reason=REASON)
    november = _reviewed(world, _open(world, D(2026, 11, 1), nd335_raising))

    _discipline(world, decided_on=D(2026, 10, 3), effective_from=D(2026, 10, 5))

    october.refresh_from_db()
    assert (october.status, october.decided_level, october.veto) == ("decided", "completed", "")
    assert decided_sheets_vetoed_by(world.people["staff"], D(2026, 10, 5)) == [october]
    with pytest.raises(EvaluationError, match="whatever the score"):
        decide_sheet(november, by=head, level="completed", reason=REASON)
    assert decide_sheet(november, by=head, level="not_completed").veto != ""


@pytest.mark.django_db
def test_a_person_who_left_cannot_get_leave_after_leaving(world: World) -> None:
    person = PersonFactory(unit=world.division, active_to=D(2026, 6, 30))
    with pytest.raises(EvaluationError, match="within that time"):
        record_leave(
            person, by=world.users["hr"], kind="sick", start=D(2026, 6, 29), end=D(2026, 7, 2)
        )
    leave = record_leave(
        person, by=world.users["hr"], kind="sick", start=D(2026, 6, 29), end=D(2026, 6, 30)
    )
    assert leave.end == D(2026, 6, 30)
