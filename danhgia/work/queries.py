"""Reads of the work app scoped to a user."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from danhgia.accounts.models import User
from danhgia.organisations.queries import active_roles, units_visible_to
from danhgia.work.models import Task, WeeklySchedule


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Tasks the user owns, coordinates or assigned, and every task of a unit in scope."""
    if not user.is_authenticated:
        return Task.objects.none()
    coordinated = Task.coordinators.through.objects.filter(
        task_id=OuterRef("pk"), person__user=user
    )
    condition: Q = Q(owner__user=user) | Q(assigned_by=user) | Q(Exists(coordinated))
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return Task.objects.filter(condition)


def schedules_visible_to(user: User) -> QuerySet[WeeklySchedule]:
    """Schedules of units in scope and of the units the user's person belongs to (and above)."""
    if not user.is_authenticated:
        return WeeklySchedule.objects.none()
    condition = Q(unit__in=units_visible_to(user))
    person = getattr(user, "person", None)
    if person is not None:
        condition |= Q(unit_id__in=person.unit.ancestor_ids)
    return WeeklySchedule.objects.filter(condition)
