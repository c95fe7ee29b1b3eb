"""Reads of the annual classification scoped to a user."""

from django.db.models import Q, QuerySet

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import active_roles, units_visible_to


def annual_sheets_visible_to(user: User) -> QuerySet[AnnualSheet]:
    """The user's own annual sheets, those they decide, and every sheet of a unit in scope."""
    if not user.is_authenticated:
        return AnnualSheet.objects.none()
    condition = Q(person__user=user) | Q(decider=user)
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return AnnualSheet.objects.filter(condition)


def annual_periods_visible_to(user: User) -> QuerySet[AnnualPeriod]:
    """Annual classifications of organisations in scope, and those where the user has a sheet
    to see."""
    if not user.is_authenticated:
        return AnnualPeriod.objects.none()
    condition = Q(pk__in=annual_sheets_visible_to(user).values("annual_period_id"))
    if active_roles(user):
        condition |= Q(organisation__in=units_visible_to(user))
    return AnnualPeriod.objects.filter(condition)


def annual_sheets_of_unit(period: AnnualPeriod, unit: Unit) -> QuerySet[AnnualSheet]:
    """Every annual sheet of `period` in `unit` and below, in roster order."""
    return (
        AnnualSheet.objects.filter(annual_period=period, unit__path__startswith=unit.path)
        .select_related("person", "unit", "decider")
        .order_by("unit__path", "person__sort_key", "pk")
    )


def own_annual_sheets(user: User) -> QuerySet[AnnualSheet]:
    return (
        AnnualSheet.objects.filter(person__user=user)
        .select_related("annual_period__organisation", "annual_period__rulebook", "unit")
        .order_by("-annual_period__year")
    )
