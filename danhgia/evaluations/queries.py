"""Reads of the evaluations app scoped to a user, and the lists the cycle works through."""

from django.db.models import Q, QuerySet

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period, Sheet
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import active_roles, units_visible_to


def sheets_visible_to(user: User) -> QuerySet[Sheet]:
    """The user's own sheets, those they review or decide, and every sheet of a unit in scope
    (the unit as it was when the period opened)."""
    if not user.is_authenticated:
        return Sheet.objects.none()
    condition = Q(person__user=user) | Q(reviewer=user) | Q(decider=user)
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return Sheet.objects.filter(condition)


def periods_visible_to(user: User) -> QuerySet[Period]:
    """Periods of organisations in scope, and periods where the user has a sheet to see."""
    if not user.is_authenticated:
        return Period.objects.none()
    condition = Q(pk__in=sheets_visible_to(user).values("period_id"))
    if active_roles(user):
        condition |= Q(organisation__in=units_visible_to(user))
    return Period.objects.filter(condition)


def sheets_to_review(user: User) -> QuerySet[Sheet]:
    """Submitted sheets the user is named to review (stand-ins find them through their unit)."""
    return Sheet.objects.filter(
        reviewer=user,
        status=Sheet.Status.SUBMITTED,
        period__state__in=[Period.State.OPEN, Period.State.REVIEWING],
    ).select_related("person", "unit", "period")


def sheets_of_unit(period: Period, unit: Unit) -> QuerySet[Sheet]:
    """Every sheet of `period` in `unit` and below, in roster order, for the decision page."""
    return (
        Sheet.objects.filter(period=period, unit__path__startswith=unit.path)
        .select_related("person", "unit", "reviewer", "decider")
        .order_by("unit__path", "person__sort_key", "pk")
    )


def sheets_decided_by(user: User, period: Period, unit: Unit) -> QuerySet[Sheet]:
    """The sheets of `unit` (and below) in `period` that `user` is named to decide."""
    return sheets_of_unit(period, unit).filter(decider=user)
