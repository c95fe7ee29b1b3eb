"""Typed predicates of the annual classification. Views turn False into 403 (after a scoped
fetch: 404).

The decider of an annual sheet is fixed at the opening (the head over the person's unit as
in December). When that head is gone (no longer holds a headship on the unit or above it,
today), a current head there stands in, so a departure never blocks the year. Nobody
decides their own level.
"""

from collections.abc import Iterable

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.core import clock
from danhgia.organisations.models import Role, Unit, UnitRole
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles

MANAGERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_manage_annual(user: User, organisation: Unit | None = None) -> bool:
    """HR officers and system administrators open, recompute and close the annual
    classification of their scope (any organisation when None)."""
    return has_role_over(user, MANAGERS, organisation)


def is_owner(user: User, sheet: AnnualSheet) -> bool:
    return user.is_authenticated and sheet.person.user_id == user.pk


def _head_above(user: User, unit: Unit) -> bool:
    chain = set(unit.ancestor_ids or [unit.pk])
    return any(role.role == Role.HEAD and role.unit_id in chain for role in active_roles(user))


# {user id: ids of the units where they hold a headship today}, for many sheets at once.
Headships = dict[int, set[int]]


def headships_of(user_ids: Iterable[int | None]) -> Headships:
    """Where each user is head today (one query): lets a page check stand-ins row by row."""
    found: Headships = {}
    roles = UnitRole.objects.active_on(clock.today()).filter(
        user_id__in=[pk for pk in set(user_ids) if pk is not None], role=Role.HEAD
    )
    for user_id, unit_id in roles.values_list("user_id", "unit_id"):
        found.setdefault(user_id, set()).add(unit_id)
    return found


def _decider_gone(sheet: AnnualSheet, headships: Headships | None) -> bool:
    if sheet.decider_id is None:
        return True
    if headships is None:
        headships = headships_of([sheet.decider_id])
    chain = set(sheet.unit.ancestor_ids or [sheet.unit_id])
    return not headships.get(sheet.decider_id, set()) & chain


def acts_as_decider(user: User, sheet: AnnualSheet, headships: Headships | None = None) -> bool:
    """The sheet's decider, or a head above the unit when the decider is gone."""
    if not user.is_authenticated or is_owner(user, sheet):
        return False
    if sheet.decider_id == user.pk:
        return True
    return _head_above(user, sheet.unit) and _decider_gone(sheet, headships)


def can_decide(
    user: User, sheet: AnnualSheet, period: AnnualPeriod, headships: Headships | None = None
) -> bool:
    """A sheet waiting for a decision, in a classification not closed, by its decider."""
    return (
        sheet.status == AnnualSheet.Status.PENDING
        and period.state != AnnualPeriod.State.CLOSED
        and acts_as_decider(user, sheet, headships)
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
