"""Reads of the evaluations app scoped to a user, and the lists the cycle works through."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.evaluations.models import Delegation, Period, Sheet
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.queries import active_roles, units_visible_to


def sheets_visible_to(user: User) -> QuerySet[Sheet]:
    """The user's own sheets, those they review or decide, and every sheet of a unit in scope
    (the unit as it was when the period opened)."""
    if not user.is_authenticated:
        return Sheet.objects.none()
    condition = Q(person__user=user) | Q(reviewer=user) | Q(decider=user)
    if delegations_in_force(user):
        condition |= delegated_condition(user, "reviewer") | delegated_condition(user, "decider")
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


def in_unit(unit: Unit) -> Q:
    """The one definition of "the sheets of a unit": those whose unit is `unit` or below it,
    the unit as it was when the sheet was made (a person transferred during the month keeps
    the sheet of the unit they left; a newcomer's sheet is in the unit they joined). Every page
    that counts or lists a unit's sheets (decision page, dashboards, supervision, publication)
    reads it, so that they give the same numbers."""
    return Q(unit__path__startswith=unit.path)


def sheets_in(periods: Iterable[Period], unit: Unit) -> QuerySet[Sheet]:
    """The sheets of `unit` (`in_unit`) in `periods` (one, or every period of a month)."""
    return Sheet.objects.filter(in_unit(unit), period__in=list(periods))


def unit_sheet_counts(
    periods: Iterable[Period], units: Iterable[Unit]
) -> dict[int, tuple[int, int]]:
    """{unit id: (sheets, decided)} of each unit in `periods` by `in_unit`, in one query."""
    units = list(units)
    if not units:
        return {}
    decided = Q(status=Sheet.Status.DECIDED)
    aggregates: dict[str, Count] = {}
    for unit in units:
        aggregates[f"s{unit.pk}"] = Count("pk", filter=in_unit(unit))
        aggregates[f"d{unit.pk}"] = Count("pk", filter=in_unit(unit) & decided)
    row = Sheet.objects.filter(period__in=list(periods)).aggregate(**aggregates)
    return {unit.pk: (row[f"s{unit.pk}"], row[f"d{unit.pk}"]) for unit in units}


def sheets_of_unit(period: Period, unit: Unit) -> QuerySet[Sheet]:
    """Every sheet of `period` in `unit` and below, in roster order, for the decision page."""
    return (
        sheets_in([period], unit)
        .select_related("person", "unit", "reviewer", "decider")
        .order_by("unit__path", "person__sort_key", "pk")
    )


_DELEGATIONS_CACHE = "_evaluations_delegations"


def delegations_in_force(user: User) -> list[Delegation]:
    """Delegations the user received that are in force today, while they are a deputy head
    (cached on the user object for the request, like the user's roles; no query for anyone
    who holds no deputy head role today)."""
    if not user.is_authenticated:
        return []
    if not any(role.role == Role.DEPUTY_HEAD for role in active_roles(user)):
        return []
    cached = getattr(user, _DELEGATIONS_CACHE, None)
    if cached is not None:
        return cached
    today = clock.today()
    found = list(
        Delegation.objects.filter(
            deputy=user, revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today
        ).select_related("unit", "head")
    )
    setattr(user, _DELEGATIONS_CACHE, found)
    return found


def delegated_condition(user: User, field: str) -> Q:
    """Sheets where `field` (reviewer or decider) names a head who delegated to `user` a unit
    above the sheet's unit, as a Q (matches nothing without a delegation)."""
    condition = Q(pk__in=[])
    for delegation in delegations_in_force(user):
        condition |= Q(
            **{f"{field}_id": delegation.head_id, "unit__path__startswith": delegation.unit.path}
        )
    return condition


def sheets_decided_by(user: User, period: Period, unit: Unit) -> QuerySet[Sheet]:
    """The sheets of `unit` (and below) in `period` that `user` decides: named, or for a head
    who delegated the scope to them."""
    return sheets_of_unit(period, unit).filter(
        Q(decider=user) | delegated_condition(user, "decider")
    )


def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    """Delegations the user gave or received, and those of units in their scope."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    condition = Q(head=user) | Q(deputy=user)
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return Delegation.objects.filter(condition)
