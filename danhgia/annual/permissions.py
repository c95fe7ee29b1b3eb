"""Typed predicates of the annual classification. Views turn False into 403 (after a scoped
fetch: 404).

The decider of an annual sheet is fixed at the opening (the head over the person's unit as
in December). Who holds its decision now is the rule of every round
(`evaluations.holders.holds_decision`): the named decider while in office, a deputy head to
whom they delegated the unit, or, when the decider is gone, every head whose role covers the
unit. Nobody decides their own level.
"""

from collections.abc import Iterable

from django.db.models import Q

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.evaluations.holders import holds_decision
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over

MANAGERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_manage_annual(user: User, organisation: Unit | None = None) -> bool:
    """HR officers and system administrators open, recompute and close the annual
    classification of their scope (any organisation when None)."""
    return has_role_over(user, MANAGERS, organisation)


def is_owner(user: User, sheet: AnnualSheet) -> bool:
    return user.is_authenticated and sheet.person.user_id == user.pk


def decidable_annual(user: User) -> Q:
    """The annual sheets the user may decide now: held for decision by the one rule of every
    round (`evaluations.holders.holds_decision`: the named decider in office, a deputy by
    delegation, a stand-in when the decider is gone), waiting, in a classification not closed."""
    return (
        holds_decision(user)
        & Q(status=AnnualSheet.Status.PENDING)
        & ~Q(annual_period__state=AnnualPeriod.State.CLOSED)
    )


def acts_as_decider(user: User, sheet: AnnualSheet) -> bool:
    """The user holds the sheet's decision (`holds_decision`, on this sheet)."""
    return (
        user.is_authenticated
        and sheet.pk is not None
        and AnnualSheet.objects.filter(holds_decision(user), pk=sheet.pk).exists()
    )


def can_decide(user: User, sheet: AnnualSheet) -> bool:
    """A sheet waiting for a decision, in a classification not closed, held by the user."""
    return (
        user.is_authenticated
        and sheet.pk is not None
        and AnnualSheet.objects.filter(decidable_annual(user), pk=sheet.pk).exists()
    )


def decidable_ids(user: User, sheets: Iterable[AnnualSheet]) -> set[int]:
    """`can_decide` for the rows of a page, in one query."""
    if not user.is_authenticated:
        return set()
    ids = [sheet.pk for sheet in sheets]
    return set(
        AnnualSheet.objects.filter(decidable_annual(user), pk__in=ids).values_list("pk", flat=True)
    )


def can_open_decision_page(user: User, unit: Unit, decides_some: bool) -> bool:
    """A head over the unit, or anyone named to decide some sheet in it."""
    return decides_some or has_role_over(user, {Role.HEAD}, unit)


def can_view_sheet(user: User, sheet: AnnualSheet) -> bool:
    """The person, their decider and every role whose scope covers the unit."""
    if not user.is_authenticated:
        return False
    if is_owner(user, sheet) or sheet.decider_id == user.pk:
        return True
    return has_role_over(user, set(Role.values), sheet.unit)
