"""A head delegates the review and decision of a unit to a deputy for some days; revoke.

The deputy then acts for the head on the sheets of that unit and below that name the head
(`holders.holds_decision`); the head's quota still applies, the audit row names the deputy.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.models import Delegation
from danhgia.evaluations.permissions import can_delegate, can_revoke_delegation
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import day
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over

MAX_DAYS = 366


def name_of(user: User) -> str:
    """The person's full name behind a login, else the login name."""
    person = getattr(user, "person", None)
    return person.full_name if person is not None else user.username


def _fields(delegation: Delegation) -> dict[str, object]:
    return {
        "head": delegation.head_id,
        "deputy": delegation.deputy_id,
        "unit": delegation.unit.code,
        "valid_from": delegation.valid_from,
        "valid_to": delegation.valid_to,
        "reason": delegation.reason,
    }


@transaction.atomic
def delegate_decisions(
    *,
    head: User,
    deputy: User,
    unit: Unit,
    valid_from: datetime.date,
    valid_to: datetime.date,
    reason: str = "",
) -> Delegation:
    """`head` hands `deputy` their review and decision of `unit` (and below) from `valid_from`
    to `valid_to`. Logs `delegation.created`; notifies the deputy.

    Raises EvaluationError when `head` does not hold the headship over the unit, the deputy is
    not a deputy head over it, the dates are in the past, reversed or longer than a year, or
    the same delegation is already in force for some of those days.
    """
    if not can_delegate(head, unit):
        raise EvaluationError(
            _("Only the head of %(unit)s can delegate its decisions.") % {"unit": unit.name}
        )
    if deputy.pk == head.pk:
        raise EvaluationError(_("Choose a deputy other than yourself."))
    if not has_role_over(deputy, {Role.DEPUTY_HEAD}, unit):
        raise EvaluationError(
            _("%(name)s is not a deputy head over %(unit)s: choose one of your deputies.")
            % {"name": name_of(deputy), "unit": unit.name}
        )
    today = clock.today()
    if valid_from < today:
        raise EvaluationError(_("A delegation starts today at the earliest."))
    if valid_to < valid_from:
        raise EvaluationError(_("The last day comes before the first day."))
    if (valid_to - valid_from).days >= MAX_DAYS:
        raise EvaluationError(_("A delegation lasts at most one year: give a shorter one."))
    overlapping = Delegation.objects.filter(
        head=head,
        deputy=deputy,
        unit=unit,
        revoked_at__isnull=True,
        valid_from__lte=valid_to,
        valid_to__gte=valid_from,
    ).first()
    if overlapping is not None:
        raise EvaluationError(
            _("%(unit)s is already delegated to this deputy from %(start)s to %(end)s.")
            % {
                "unit": unit.name,
                "start": day(overlapping.valid_from),
                "end": day(overlapping.valid_to),
            }
        )
    delegation = Delegation.objects.create(
        head=head,
        deputy=deputy,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason.strip(),
        created_at=clock.now(),
    )
    log_action(delegation, "delegation.created", by=head, data={"after": _fields(delegation)})
    notify(
        deputy,
        _(
            "%(head)s delegated to you the review and decision of %(unit)s "
            "from %(start)s to %(end)s."
        )
        % {
            "head": name_of(head),
            "unit": unit.name,
            "start": day(valid_from),
            "end": day(valid_to),
        },
        kind="delegation.created",
    )
    return delegation


@transaction.atomic
def revoke_delegation(delegation: Delegation, *, by: User) -> Delegation:
    """End a delegation now (decisions already made stay). Logs `delegation.revoked`;
    notifies the deputy. Raises EvaluationError for anyone but the head who gave it or HR,
    or a delegation already revoked."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("unit", "deputy")
        .get(pk=delegation.pk)
    )
    if delegation.revoked_at is not None:
        raise EvaluationError(_("This delegation was already revoked."))
    if not can_revoke_delegation(by, delegation):
        raise EvaluationError(_("Only the head who gave this delegation or HR can revoke it."))
    delegation.revoked_at = clock.now()
    delegation.revoked_by = by
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        delegation,
        "delegation.revoked",
        by=by,
        data={"before": _fields(delegation), "revoked_at": delegation.revoked_at},
    )
    notify(
        delegation.deputy,
        _("The delegation of %(unit)s to you was revoked.") % {"unit": delegation.unit.name},
        kind="delegation.revoked",
    )
    return delegation
