"""Records HR keeps about people that the evaluation reads: discipline, findings, leave; the
organisation's policy of the cycle (transfers are in `transfers.py`).

Only HR officers and system administrators over the person's unit (the organisation for a
policy) write here. Vetoes read discipline and findings when a sheet is decided, so a record
changes the sheets still to be decided and never a decided one (decided sheets are immutable:
reopening or an appeal changes them). Every write logs before and after.
"""

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import Discipline, EvaluationPolicy, Finding, Leave, Sheet
from danhgia.evaluations.permissions import PERIOD_MANAGERS
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import day
from danhgia.organisations.models import Person, Unit
from danhgia.organisations.permissions import has_role_over

DISCIPLINE_FIELDS = (
    "form",
    "channel",
    "public_duty",
    "decision_number",
    "decided_on",
    "effective_from",
    "effective_to",
    "note",
)
LEAVE_FIELDS = ("kind", "start", "end", "reference", "note")
POLICY_FIELDS = (
    "appeal_days",
    "appeal_answer_days",
    "reminder_days_before",
    "annual_decision_month",
    "annual_decision_day",
)


def require_hr(by: User, unit: Unit) -> None:
    if not has_role_over(by, PERIOD_MANAGERS, unit):
        raise EvaluationError(
            _("Only the HR officer or a system administrator over %(unit)s keeps these records.")
            % {"unit": unit.name}
        )


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {
        "before": {key: before.get(key) for key in keys},
        "after": {key: after[key] for key in keys},
    }


def locked_person(person: Person) -> Person:
    """The person's row locked: records of one person are written one at a time."""
    return Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)


# Discipline


def _check_discipline(values: dict[str, Any]) -> None:
    today = clock.today()
    if not str(values["decision_number"]).strip():
        raise EvaluationError(_("Give the number of the discipline decision."))
    if values["form"] not in Discipline.Form.values:
        raise EvaluationError(_("Choose a form of discipline."))
    if values["channel"] not in Discipline.Channel.values:
        raise EvaluationError(_("Choose administrative or Party discipline."))
    if values["decided_on"] > today:
        raise EvaluationError(_("The decision date cannot be in the future."))
    if values["effective_from"] < values["decided_on"]:
        raise EvaluationError(
            _("A discipline takes effect on or after the day it was decided (%(date)s).")
            % {"date": day(values["decided_on"])}
        )
    end = values.get("effective_to")
    if end is not None and end < values["effective_from"]:
        raise EvaluationError(_("The end of the discipline must not be before its start."))


def decided_sheets_vetoed_by(person: Person, effective_from: datetime.date) -> list[Sheet]:
    """The person's decided sheets a discipline effective on `effective_from` would have
    vetoed (periods ending that day or later in the same calendar year). They stay as they
    are: HR reopens them if the decision must change."""
    year_end = datetime.date(effective_from.year, 12, 31)
    return list(
        Sheet.objects.filter(
            person=person,
            status=Sheet.Status.DECIDED,
            period__end__gte=effective_from,
            period__end__lte=year_end,
        )
        .select_related("period")
        .order_by("period__start")
    )


@transaction.atomic
def record_discipline(
    person: Person,
    *,
    by: User,
    form: str,
    channel: str,
    decision_number: str,
    decided_on: datetime.date,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    public_duty: bool = True,
    note: str = "",
) -> Discipline:
    """Record a disciplinary measure. Sheets decided from now on see it (vetoes); decided
    sheets do not change. Logs `discipline.recorded`. Raises EvaluationError for anyone but
    HR or an admin over the person's unit, a missing decision number, a decision date in
    the future, or dates out of order."""
    person = locked_person(person)
    require_hr(by, person.unit)
    values = {
        "form": form,
        "channel": channel,
        "public_duty": public_duty,
        "decision_number": decision_number.strip(),
        "decided_on": decided_on,
        "effective_from": effective_from,
        "effective_to": effective_to,
        "note": note.strip(),
    }
    _check_discipline(values)
    discipline = Discipline.objects.create(
        person=person, recorded_at=clock.now(), recorded_by=by, **values
    )
    log_action(
        discipline,
        "discipline.recorded",
        by=by,
        data={"person": person.employee_code, "before": {}, "after": values},
    )
    return discipline


@transaction.atomic
def update_discipline(discipline: Discipline, *, by: User, **fields: Any) -> Discipline:
    """Correct a discipline record (any of DISCIPLINE_FIELDS). Decided sheets do not change.
    Logs `discipline.updated` with the changed fields. Same errors as `record_discipline`."""
    unknown = sorted(set(fields) - set(DISCIPLINE_FIELDS))
    if unknown:
        raise ValueError(f"unknown discipline fields: {unknown}")
    discipline = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("person__unit")
        .get(pk=discipline.pk)
    )
    require_hr(by, discipline.person.unit)
    before = _values(discipline, DISCIPLINE_FIELDS)
    after = {**before, **fields}
    after["decision_number"] = str(after["decision_number"]).strip()
    after["note"] = str(after["note"]).strip()
    _check_discipline(after)
    for name, value in after.items():
        setattr(discipline, name, value)
    discipline.save(update_fields=list(DISCIPLINE_FIELDS))
    log_action(
        discipline,
        "discipline.updated",
        by=by,
        data={"person": discipline.person.employee_code, **_changed(before, after)},
    )
    return discipline


@transaction.atomic
def delete_discipline(discipline: Discipline, *, by: User, reason: str) -> None:
    """Delete a discipline recorded by mistake, with the reason. Decided sheets keep the veto
    they were decided with. Logs `discipline.deleted` with everything it held."""
    discipline = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("person__unit")
        .get(pk=discipline.pk)
    )
    require_hr(by, discipline.person.unit)
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("Give the reason for deleting this record."))
    before = _values(discipline, DISCIPLINE_FIELDS)
    log_action(
        discipline,
        "discipline.deleted",
        by=by,
        data={
            "person": discipline.person.employee_code,
            "reason": reason,
            "before": before,
            "after": {},
        },
    )
    discipline.delete()


# Findings


@transaction.atomic
def record_finding(
    person: Person,
    *,
    by: User,
    kind: str,
    concluded_on: datetime.date,
    reference: str,
    note: str = "",
) -> Finding:
    """Record a conclusion of the competent authority (degradation; corruption or waste in
    the unit a leader leads). Logs `finding.recorded`. Raises EvaluationError for anyone but
    HR or an admin over the person's unit, an unknown kind, a missing reference or a date in
    the future."""
    person = locked_person(person)
    require_hr(by, person.unit)
    if kind not in Finding.Kind.values:
        raise EvaluationError(_("Choose the kind of conclusion."))
    if not reference.strip():
        raise EvaluationError(_("Give the reference of the conclusion (document number)."))
    if concluded_on > clock.today():
        raise EvaluationError(_("The conclusion date cannot be in the future."))
    values = {
        "kind": kind,
        "concluded_on": concluded_on,
        "reference": reference.strip(),
        "note": note.strip(),
    }
    finding = Finding.objects.create(person=person, **values)
    log_action(
        finding,
        "finding.recorded",
        by=by,
        data={"person": person.employee_code, "before": {}, "after": values},
    )
    return finding


# Leave


def _check_leave(person: Person, values: dict[str, Any], *, exclude: int | None) -> None:
    if values["kind"] not in Leave.Kind.values:
        raise EvaluationError(_("Choose the kind of leave."))
    start, end = values["start"], values["end"]
    if end < start:
        raise EvaluationError(_("The last day of leave must not be before the first."))
    if start < person.active_from or (person.active_to and end > person.active_to):
        raise EvaluationError(
            _("%(name)s works from %(first)s%(last)s: leave must fall within that time.")
            % {
                "name": person.full_name,
                "first": day(person.active_from),
                "last": f" {_('to')} {day(person.active_to)}" if person.active_to else "",
            }
        )
    overlapping = Leave.objects.filter(person=person, start__lte=end, end__gte=start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    other = overlapping.order_by("start").first()
    if other is not None:
        raise EvaluationError(
            _(
                "%(name)s already has %(kind)s from %(first)s to %(last)s. Change that record "
                "or choose other dates."
            )
            % {
                "name": person.full_name,
                "kind": other.get_kind_display(),
                "first": day(other.start),
                "last": day(other.end),
            }
        )


@transaction.atomic
def record_leave(
    person: Person,
    *,
    by: User,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    reference: str = "",
    note: str = "",
) -> Leave:
    """Record a leave (sick, maternity, unpaid, study); the sheets of its months show it and
    the annual rules read it. Logs `leave.recorded`. Raises EvaluationError for anyone but
    HR or an admin over the person's unit, dates out of order or outside the person's
    working time, or a leave overlapping another of the same person."""
    person = locked_person(person)
    require_hr(by, person.unit)
    values = {
        "kind": kind,
        "start": start,
        "end": end,
        "reference": reference.strip(),
        "note": note.strip(),
    }
    _check_leave(person, values, exclude=None)
    leave = Leave.objects.create(person=person, recorded_at=clock.now(), recorded_by=by, **values)
    log_action(
        leave,
        "leave.recorded",
        by=by,
        data={"person": person.employee_code, "before": {}, "after": values},
    )
    return leave


@transaction.atomic
def update_leave(leave: Leave, *, by: User, **fields: Any) -> Leave:
    """Correct a leave record (any of LEAVE_FIELDS). Logs `leave.updated` with the changed
    fields. Same errors as `record_leave`."""
    unknown = sorted(set(fields) - set(LEAVE_FIELDS))
    if unknown:
        raise ValueError(f"unknown leave fields: {unknown}")
    leave = Leave.objects.select_related("person").get(pk=leave.pk)
    person = locked_person(leave.person)
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    require_hr(by, person.unit)
    before = _values(leave, LEAVE_FIELDS)
    after = {**before, **fields}
    after["reference"] = str(after["reference"]).strip()
    after["note"] = str(after["note"]).strip()
    _check_leave(person, after, exclude=leave.pk)
    for name, value in after.items():
        setattr(leave, name, value)
    leave.save(update_fields=list(LEAVE_FIELDS))
    log_action(
        leave,
        "leave.updated",
        by=by,
        data={"person": person.employee_code, **_changed(before, after)},
    )
    return leave


@transaction.atomic
def delete_leave(leave: Leave, *, by: User, reason: str) -> None:
    """Delete a leave recorded by mistake, with the reason. Logs `leave.deleted`."""
    leave = Leave.objects.select_for_update().select_related("person__unit").get(pk=leave.pk)
    require_hr(by, leave.person.unit)
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("Give the reason for deleting this record."))
    log_action(
        leave,
        "leave.deleted",
        by=by,
        data={
            "person": leave.person.employee_code,
            "reason": reason,
            "before": _values(leave, LEAVE_FIELDS),
            "after": {},
        },
    )
    leave.delete()


# The organisation's policy


def _check_policy(values: dict[str, Any]) -> None:
    limits = {
        "appeal_days": (1, 90),
        "appeal_answer_days": (1, 90),
        "reminder_days_before": (0, 30),
        "annual_decision_month": (1, 12),
        "annual_decision_day": (1, 31),
    }
    for name, (low, high) in limits.items():
        value = values[name]
        if not isinstance(value, int) or not low <= value <= high:
            label = getattr(EvaluationPolicy._meta.get_field(name), "verbose_name", name)
            raise EvaluationError(
                _("%(field)s must be a whole number from %(low)d to %(high)d.")
                % {"field": str(label).capitalize(), "low": low, "high": high}
            )
    month, last = values["annual_decision_month"], 29  # February of a leap year
    if month != 2:
        last = calendar.monthrange(2025, month)[1]
    if values["annual_decision_day"] > last:
        raise EvaluationError(
            _("Month %(month)d has no day %(day)d.")
            % {"month": month, "day": values["annual_decision_day"]}
        )


@transaction.atomic
def save_policy(organisation: Unit, *, by: User, **values: Any) -> EvaluationPolicy:
    """Create or change the organisation's own policy (appeal and reminder days, the annual
    decision's due day); the units below it follow it unless they have their own. Logs
    `policy.updated` with before (empty when created) and after. Raises EvaluationError for
    anyone but HR or an admin over the organisation, or a value out of range."""
    unknown = sorted(set(values) - set(POLICY_FIELDS))
    if unknown:
        raise ValueError(f"unknown policy fields: {unknown}")
    require_hr(by, organisation)
    policy = EvaluationPolicy.objects.select_for_update().filter(organisation=organisation).first()
    creating = policy is None
    if policy is None:
        policy = EvaluationPolicy(organisation=organisation)
    before = {} if creating else _values(policy, POLICY_FIELDS)
    after = {**_values(policy, POLICY_FIELDS), **values}
    _check_policy(after)
    for name, value in after.items():
        setattr(policy, name, value)
    policy.updated_at = clock.now()
    policy.save()
    change = {"before": {}, "after": after} if creating else _changed(before, after)
    log_action(policy, "policy.updated", by=by, data={"organisation": organisation.code, **change})
    return policy
