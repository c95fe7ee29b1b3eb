"""Reads scoped to a user. Anything outside a user's scope does not exist for them (404)."""

import datetime

from django.db.models import Count, Q, QuerySet

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.organisations.models import Person, PersonQuerySet, Role, Unit, UnitRole

_CACHE_ATTR = "_danhgia_active_roles"


def active_roles(user: User, day: datetime.date | None = None) -> list[UnitRole]:
    """The user's roles in force today (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    if day is None:
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is not None:
            return cached
    roles = list(
        UnitRole.objects.active_on(day or clock.today()).filter(user=user).select_related("unit")
    )
    if day is None:
        setattr(user, _CACHE_ATTR, roles)
    return roles


def _scope_filter(roles: list[UnitRole], prefix: str = "") -> Q | None:
    """A Q selecting the units covered by `roles` (`prefix` for a relation, e.g. "unit__")."""
    if any(role.role == Role.SYSTEM_ADMIN for role in roles):
        return Q()
    condition: Q | None = None
    for role in roles:
        part = (
            Q(**{f"{prefix}path__startswith": role.unit.path})
            if role.include_subunits
            else Q(**{f"{prefix}pk": role.unit_id})
        )
        condition = part if condition is None else condition | part
    return condition


def units_visible_to(user: User) -> QuerySet[Unit]:
    condition = _scope_filter(active_roles(user))
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.filter(condition)


def people_visible_to(user: User) -> PersonQuerySet:
    """People in the units the user's roles cover, and always the user's own person."""
    if not user.is_authenticated:
        return Person.objects.none()  # type: ignore[return-value]
    condition = _scope_filter(active_roles(user), prefix="unit__")
    own = Q(user=user)
    return Person.objects.filter(own | condition if condition is not None else own)  # type: ignore[return-value]


def unit_tree(user: User) -> list[Unit]:
    """Visible units in tree order, each annotated with `people_count` (one query)."""
    return list(units_visible_to(user).annotate(people_count=Count("people")).order_by("path"))


def heads_by_unit(unit_ids: list[int], day: datetime.date) -> dict[int, list[UnitRole]]:
    """Head and deputy roles in force on `day` for the given units (one query)."""
    roles = (
        UnitRole.objects.active_on(day)
        .filter(unit_id__in=unit_ids, role__in=[Role.HEAD, Role.DEPUTY_HEAD, Role.MANAGER])
        .select_related("user__person")
        .order_by("role", "valid_from")
    )
    result: dict[int, list[UnitRole]] = {}
    for role in roles:
        result.setdefault(role.unit_id, []).append(role)
    return result


def people_of_unit(unit: Unit, *, include_subunits: bool = False) -> QuerySet[Person]:
    people = (
        Person.objects.filter(unit__path__startswith=unit.path)
        if include_subunits
        else Person.objects.filter(unit=unit)
    )
    return people.select_related("unit", "job_position")
