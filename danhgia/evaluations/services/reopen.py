"""Reopening: a decided sheet goes back to its head, a decided or closed period back to
"reviewing", each with a mandatory reason, audited and notified.

The earlier decision is never lost: reopening a sheet copies the decided fields into a
`SheetVersion` (cause "reopened") and counts the sheet's `version` up. Reopening a period
changes no sheet by itself; it only lets sheets of that month be reopened and decided again
before a new decision deadline.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.models import Appeal, Period, Sheet, SheetVersion
from danhgia.evaluations.permissions import (
    OPEN_PERIOD_STATES,
    REOPENABLE_PERIOD_STATES,
    can_reopen_period,
    can_reopen_sheet,
)
from danhgia.evaluations.rounds.month import DECISION_FIELDS, MONTH
from danhgia.evaluations.rounds.reopen import reopen_note
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import day, hr_contact, locked, sheet_url, snapshot
from danhgia.evaluations.services.sheets import rescore_leaders
from danhgia.evaluations.services.versions import figures_changed

# What a SheetVersion keeps of a decision: the decided fields and the figures they rested on.
VERSION_FIELDS = [
    *DECISION_FIELDS,
    "total",
    "band",
    "self_level",
    "manager_level",
    "manager_general",
    "self_general",
    "task_points",
]
# What reopening clears (status is set, not cleared), and to what.
CLEARED: dict[str, Any] = {
    "decided_level": "",
    "decision_reason": "",
    "veto": "",
    "veto_reason": "",
    "quota_exception": False,
    "decided_by": None,
    "decided_at": None,
}


def decision_data(sheet: Sheet) -> dict[str, Any]:
    """The sheet's current decision as JSON-ready data for a SheetVersion."""
    data = snapshot(sheet, VERSION_FIELDS)
    data["decided_by"] = sheet.decided_by_id
    data["decided_at"] = sheet.decided_at.isoformat() if sheet.decided_at else None
    for name in ("total", "manager_general", "self_general", "task_points"):
        data[name] = None if data[name] is None else str(data[name])
    return data


def keep_version(sheet: Sheet, *, cause: str, reason: str, by: User) -> SheetVersion:
    """Copy the current decision into SheetVersion(number=sheet.version) and count the sheet's
    version up (the caller saves the sheet)."""
    version = SheetVersion.objects.create(
        sheet=sheet,
        number=sheet.version,
        cause=cause,
        reason=reason,
        data=decision_data(sheet),
        created_at=clock.now(),
        created_by=by,
    )
    sheet.version += 1
    return version


def _require_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise EvaluationError(
            _("Give the reason for reopening %(what)s: it is kept with the earlier decision.")
            % {"what": what}
        )
    return reason


@transaction.atomic
def reopen_sheet(sheet: Sheet, *, by: User, reason: str) -> Sheet:
    """Send a decided sheet back to its head to decide again.

    The decision is kept as SheetVersion(cause "reopened", the reason), `version` counts up,
    the decided fields are cleared and the sheet waits for a decision again ("waiting for
    decision" once reviewed, else "waiting for review", from where the head who reviews it
    themself decides). Logs `sheet.reopened` with before/after and the reason; notifies the
    person, the reviewer and the decider.

    The quota (`rounds/reopen.py`): a reopening that takes away the exception share the unit
    needs is refused, naming the rows to reopen first; one that leaves the proposals over the
    quota goes through and says so to the decider (and on `sheet.quota_note`): the head must
    decide the level that restores it, and the period cannot close or be published before.

    Raises EvaluationError for anyone but HR or an admin over the unit or a head above the
    decider's unit, a sheet not decided, an appeal waiting for an answer, a period not open
    or reviewing (reopen the period first), the decision deadline passed, no reason, or the
    quota as above.
    """
    sheet = locked(sheet)
    if not sheet.is_decided:
        raise EvaluationError(_("This sheet is not decided: there is nothing to reopen."))
    if not can_reopen_sheet(by, sheet):
        raise EvaluationError(
            _("Only the HR officer or the head above the one who decided can reopen this sheet.")
        )
    reason = _require_reason(reason, _("the sheet"))
    period = sheet.period
    if period.state not in OPEN_PERIOD_STATES:
        raise EvaluationError(
            _(
                "The period %(period)s is %(state)s. The HR officer reopens the period first, "
                "with a new decision deadline; then the sheet can be reopened."
            )
            % {"period": period, "state": period.get_state_display()}
        )
    if clock.today() > period.decision_due:
        raise EvaluationError(
            _(
                "The decision deadline of %(period)s was %(date)s: nobody could decide this "
                "sheet again. Ask %(contact)s to move the deadline first."
            )
            % {"period": period, "date": day(period.decision_due), "contact": hr_contact(period)}
        )
    if Appeal.objects.filter(sheet=sheet, status=Appeal.Status.SUBMITTED).exists():
        raise EvaluationError(
            _(
                "%(name)s's appeal is waiting for an answer. Answer it (or wait until it is "
                "withdrawn) before reopening the sheet."
            )
            % {"name": sheet.person.full_name}
        )
    note = reopen_note(MONTH, period, sheet)
    before = decision_data(sheet)
    version = keep_version(sheet, cause=SheetVersion.Cause.REOPENED, reason=reason, by=by)
    sheet.status = Sheet.Status.REVIEWED if sheet.reviewed_at else Sheet.Status.SUBMITTED
    for name, value in CLEARED.items():
        setattr(sheet, name, value)
    sheet.save(update_fields=["status", "version", *CLEARED])
    figures_changed([sheet.period_id])
    rescore_leaders([sheet], by=by)  # their leaders' d counts the estimate again
    log_action(
        sheet,
        "sheet.reopened",
        by=by,
        data={
            "before": before,
            "after": {"status": sheet.status, "version": sheet.version, **CLEARED},
            "reason": reason,
            "sheet_version": version.number,
        },
    )
    message = _("The sheet of %(name)s for %(period)s was reopened: %(reason)s") % {
        "name": sheet.person.full_name,
        "period": period,
        "reason": reason,
    }
    sheet.quota_note = note  # type: ignore[attr-defined]  # what the page tells the reopener
    concerned = [
        user_id
        for user_id in (sheet.person.user_id, sheet.reviewer_id, sheet.decider_id)
        if user_id is not None and user_id != by.pk
    ]
    for user in User.objects.filter(pk__in=concerned).order_by("pk"):
        text = f"{message} {note}" if note and user.pk == sheet.decider_id else message
        notify(user, text, url=sheet_url(sheet), kind="sheet.reopened")
    return sheet


@transaction.atomic
def reopen_period(period: Period, *, by: User, reason: str, decision_due: datetime.date) -> Period:
    """Move a decided or closed period back to "reviewing" until a new decision deadline, so
    that sheets of that month can be reopened and decided again. No sheet changes here.

    Logs `period.reopened` with before/after (state, decision deadline, closed at) and the
    reason; notifies the deciders of the period's sheets. Raises EvaluationError for anyone
    but HR or an admin over the organisation, a period still open or reviewing, no reason,
    or a deadline before today or before the review deadline.
    """
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=period.pk)
    )
    if not can_reopen_period(by, period):
        raise EvaluationError(
            _("Only the HR officer or a system administrator over %(unit)s reopens its periods.")
            % {"unit": period.organisation.name}
        )
    if period.state not in REOPENABLE_PERIOD_STATES:
        raise EvaluationError(
            _(
                "The period %(period)s is %(state)s: it is still open, so its sheets can be "
                "reopened one by one."
            )
            % {"period": period, "state": period.get_state_display()}
        )
    reason = _require_reason(reason, _("the period"))
    today = clock.today()
    if decision_due < max(today, period.review_due):
        raise EvaluationError(
            _("The new decision deadline must be on or after %(date)s.")
            % {"date": day(max(today, period.review_due))}
        )
    before = {
        "state": period.state,
        "decision_due": period.decision_due,
        "closed_at": period.closed_at,
    }
    period.state = Period.State.REVIEWING
    period.decision_due = decision_due
    period.closed_at = None
    period.save(update_fields=["state", "decision_due", "closed_at"])
    log_action(
        period,
        "period.reopened",
        by=by,
        data={
            "before": before,
            "after": {"state": period.state, "decision_due": decision_due, "closed_at": None},
            "reason": reason,
        },
    )
    message = _(
        "%(period)s was reopened until %(date)s: sheets can be reopened and decided again. "
        "Reason: %(reason)s"
    ) % {"period": period, "date": day(decision_due), "reason": reason}
    deciders = (
        period.sheets.exclude(decider__isnull=True)
        .exclude(decider=by)
        .values_list("decider_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(deciders)).order_by("pk"):
        notify(user, message, kind="period.reopened")
    return period
