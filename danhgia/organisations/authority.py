"""Who manages and who decides for a person in a month (Nghị định 90/2020 Art. 16).

Rule: walk up from the person's own unit; at each unit the holders of the wanted roles
during the month are candidates, the person themself excluded. The first unit with a
candidate answers. So the head of a unit decides for its staff and for staff of its divisions
(divisions have managers, not heads), the head of the superior unit decides for a unit's
head, a vacant headship passes the decision up, and an acting head counts as head.
Among several candidates in one unit, the one in office at the end of the month wins, then
the most recently appointed, then a substantive head before an acting one.
"""

import calendar
import datetime
from collections.abc import Iterable

from danhgia.accounts.models import User
from danhgia.organisations.models import Person, Role, Unit, UnitRole


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _pick(candidates: list[UnitRole], last_day: datetime.date) -> UnitRole:
    def rank(role: UnitRole) -> tuple[bool, datetime.date, bool]:
        in_office_at_end = role.valid_to is None or role.valid_to >= last_day
        return (in_office_at_end, role.valid_from, not role.acting)

    return max(candidates, key=rank)


def _holders_by_unit(
    person: Person, month: datetime.date, roles: Iterable[str]
) -> tuple[list[int], dict[int, list[UnitRole]]]:
    """The person's unit and its ancestors (nearest first), and role holders in each."""
    first, last = month_bounds(month)
    unit: Unit = person.unit
    ancestor_ids = unit.ancestor_ids or [unit.pk]
    holders = (
        UnitRole.objects.overlapping(first, last)
        .filter(unit_id__in=ancestor_ids, role__in=list(roles))
        .exclude(user_id=person.user_id or 0)
        .select_related("user")
    )
    by_unit: dict[int, list[UnitRole]] = {}
    for holder in holders:
        by_unit.setdefault(holder.unit_id, []).append(holder)
    return list(reversed(ancestor_ids)), by_unit


def decider_for(person: Person, month: datetime.date) -> User | None:
    """The user who decides `person`'s level for the month containing `month`, or None."""
    nearest_first, by_unit = _holders_by_unit(person, month, [Role.HEAD])
    last = month_bounds(month)[1]
    for unit_id in nearest_first:
        if by_unit.get(unit_id):
            return _pick(by_unit[unit_id], last).user
    return None


def manager_for(person: Person, month: datetime.date) -> User | None:
    """The direct manager who reviews `person` that month: the nearest manager, else head."""
    nearest_first, by_unit = _holders_by_unit(person, month, [Role.MANAGER, Role.HEAD])
    last = month_bounds(month)[1]
    for unit_id in nearest_first:
        found = by_unit.get(unit_id, [])
        managers = [role for role in found if role.role == Role.MANAGER]
        if managers or found:
            return _pick(managers or found, last).user
    return None
