"""Reads of the evaluations app scoped to a user, and the lists the cycle works through."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from danhgia.accounts.models import User
from danhgia.evaluations.holders import (
    delegated_to,
    delegations_in_force,
    holds_decision,
    reviewable_by,
)
from danhgia.evaluations.models import Delegation, Period, Sheet
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import active_roles, units_visible_to


def sheets_visible_to(user: User) -> QuerySet[Sheet]:
    """The user's own sheets, those they review or decide, and every sheet of a unit in scope
    (the unit as it was when the period opened)."""
    if not user.is_authenticated:
        return Sheet.objects.none()
    condition = Q(person__user=user) | Q(reviewer=user) | Q(decider=user)
    if delegations_in_force(user):
        condition |= delegated_to(user, "reviewer") | delegated_to(user, "decider")
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
    """The sheets waiting for the user's review: named, by delegation or standing in, and the
    decider's when nobody else reviews (`holders.reviewable_by`): "my sheets" lists them."""
    return Sheet.objects.filter(reviewable_by(user)).select_related("person", "unit", "period")


def sheets_decided_by(user: User, period: Period, unit: Unit) -> QuerySet[Sheet]:
    """The sheets of `unit` (and below) in `period` whose decision the user holds (whatever
    their state: `holders.holds_decision`)."""
    return sheets_of_unit(period, unit).filter(holds_decision(user))


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


def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    """Delegations the user gave or received, and those of units in their scope."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    condition = Q(head=user) | Q(deputy=user)
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return Delegation.objects.filter(condition)
