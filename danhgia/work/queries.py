"""Reads of the work app scoped to a user."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from danhgia.accounts.models import User
from danhgia.organisations.models import JobPosition, Person, Role, Unit
from danhgia.organisations.queries import active_roles, units_visible_to
from danhgia.work.models import ProductType, Task, WeeklySchedule, WorkPlan
from danhgia.work.permissions import ASSIGNERS, SCHEDULE_EDITORS


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


# Catalogue, plans, schedules


def units_where(user: User, roles: set[str]) -> QuerySet[Unit]:
    """Units covered by the user's active roles among `roles` (as `has_role_over` decides)."""
    condition: Q | None = None
    for role in active_roles(user):
        if role.role not in roles:
            continue
        if role.role == Role.SYSTEM_ADMIN:
            return Unit.objects.all()
        part = Q(path__startswith=role.unit.path) if role.include_subunits else Q(pk=role.unit_id)
        condition = part if condition is None else condition | part
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.filter(condition)


def _own_unit_chain(user: User) -> list[int]:
    """Ids of the user's own unit and the units above it (empty without a person)."""
    person = getattr(user, "person", None)
    return person.unit.ancestor_ids if person is not None else []


def product_types_visible_to(user: User) -> QuerySet[ProductType]:
    """Catalogues of units in scope, and those that apply to the user's own unit (above it)."""
    if not user.is_authenticated:
        return ProductType.objects.none()
    condition = Q(unit__in=units_visible_to(user)) | Q(unit_id__in=_own_unit_chain(user))
    return ProductType.objects.filter(condition)


def product_types_valid_on(
    unit: Unit, day: datetime.date, job_position: JobPosition | None = None
) -> QuerySet[ProductType]:
    """The catalogue versions in force on `day` for `unit`: its own and those of units above.

    With `job_position`, only products of that position or of any position.
    """
    products = ProductType.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        unit_id__in=unit.ancestor_ids,
        valid_from__lte=day,
    )
    if job_position is not None:
        products = products.filter(Q(job_position__isnull=True) | Q(job_position=job_position))
    return products


def plans_visible_to(user: User) -> QuerySet[WorkPlan]:
    """Own plans, plans of units in scope, and the unit plans of the user's own unit chain."""
    if not user.is_authenticated:
        return WorkPlan.objects.none()
    condition = Q(person__user=user) | Q(person__isnull=True, unit_id__in=_own_unit_chain(user))
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return WorkPlan.objects.filter(condition)


def plans_waiting_for(user: User) -> QuerySet[WorkPlan]:
    """Submitted plans the user may approve: in their leading scope, not theirs, not submitted
    by them (the query form of `permissions.can_approve_plan`)."""
    return (
        WorkPlan.objects.filter(
            status=WorkPlan.Status.SUBMITTED, unit__in=units_where(user, ASSIGNERS)
        )
        .exclude(person__user=user)
        .exclude(submitted_by=user)
    )


def schedule_units_for(user: User) -> QuerySet[Unit]:
    """Units whose weekly schedule the user keeps (office, head, deputy)."""
    return units_where(user, SCHEDULE_EDITORS)


def week_units_for(user: User, week_start: datetime.date) -> list[Unit]:
    """Units offered in the week view's chooser, in tree order: the user's own unit and the
    units above it, the units of the user's schedule-keeping roles, and units in scope with
    a schedule that week (published, or kept by the user)."""
    shown = Q(published_at__isnull=False) | Q(unit__in=schedule_units_for(user))
    with_schedule = (
        schedules_visible_to(user).filter(shown, week_start=week_start).values("unit_id")
    )
    edited = [role.unit_id for role in active_roles(user) if role.role in SCHEDULE_EDITORS]
    condition = Q(pk__in=_own_unit_chain(user)) | Q(pk__in=edited) | Q(pk__in=with_schedule)
    return list(Unit.objects.filter(condition).order_by("path"))


# Tasks


def people_assignable_by(user: User, day: datetime.date) -> QuerySet[Person]:
    """Active people in the units where the user assigns tasks, never the user: whoever
    assigns a task assesses it, so nobody assigns to themself."""
    return (
        Person.objects.active_on(day)
        .filter(unit__in=units_where(user, ASSIGNERS))
        .exclude(user_id=user.pk)
        .select_related("unit")
        .order_by("unit__path", "sort_key", "id")
    )


def product_types_assignable_by(user: User, day: datetime.date) -> QuerySet[ProductType]:
    """Catalogue products in force on `day` somewhere the user assigns: those of the units
    in that scope and of the units above them (a catalogue applies to sub-units too)."""
    unit_ids: set[int] = set()
    for path in units_where(user, ASSIGNERS).values_list("path", flat=True):
        unit_ids.update(int(part) for part in path.strip("/").split("/") if part)
    return (
        ProductType.objects.filter(unit_id__in=unit_ids, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
        .order_by("code", "-valid_from")
    )


def task_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """What a row of a task list shows: owner (and their unit), product; by deadline."""
    return tasks.select_related("owner__unit", "product_type").order_by("deadline", "id")


def tasks_of_unit(user: User, unit: Unit) -> QuerySet[Task]:
    """Tasks of `unit` and of those of its sub-units that are in the user's scope."""
    units = units_visible_to(user).filter(path__startswith=unit.path)
    return task_rows(Task.objects.filter(unit__in=units))


def my_task_counts(person: Person, today: datetime.date, soon: datetime.date) -> dict[str, int]:
    """Counts for the top of "my tasks" (overdue, due by `soon`, done this month, open)."""
    first = today.replace(day=1)
    open_ = Q(status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS])
    return Task.objects.filter(owner=person).aggregate(
        overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        due_soon=Count("pk", filter=open_ & Q(deadline__gte=today, deadline__lte=soon)),
        done_this_month=Count(
            "pk",
            filter=Q(status=Task.Status.DONE, completed_on__gte=first, completed_on__lte=today),
        ),
        open=Count("pk", filter=open_),
    )
