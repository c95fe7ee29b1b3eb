"""Typed predicates of the work app. Views turn False into 403 (after a scoped fetch: 404)."""

from danhgia.accounts.models import User
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.work.models import DeadlineExtension, Task, WeeklySchedule, WorkPlan

ASSIGNERS: set[str] = {Role.HEAD, Role.DEPUTY_HEAD, Role.MANAGER}
CATALOGUE_EDITORS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN, Role.HEAD}
SCHEDULE_EDITORS: set[str] = {Role.HEAD, Role.DEPUTY_HEAD, Role.OFFICE}


def _is_owner(user: User, task: Task) -> bool:
    return task.owner.user_id is not None and task.owner.user_id == user.pk


# Tasks


def can_assign_in(user: User, unit: Unit | None = None) -> bool:
    """Heads, deputies and managers assign tasks to people within their scope."""
    return has_role_over(user, ASSIGNERS, unit)


def can_report_progress(user: User, task: Task) -> bool:
    """Only the owner reports progress, adds evidence and completes, while the task is open."""
    return task.is_open and _is_owner(user, task)


def can_comment(user: User, task: Task) -> bool:
    is_coordinator = task.coordinators.filter(user_id=user.pk).exists()
    return _is_owner(user, task) or is_coordinator or task.assigned_by_id == user.pk


def can_request_extension(user: User, task: Task) -> bool:
    return task.is_open and _is_owner(user, task)


def can_answer_extension(user: User, extension: DeadlineExtension) -> bool:
    return extension.task.assigned_by_id == user.pk


def can_assess(user: User, task: Task) -> bool:
    """Whoever assigned the work evaluates it (Quảng Nam practice)."""
    return task.status == Task.Status.DONE and task.assigned_by_id == user.pk


def can_manage_task(user: User, task: Task) -> bool:
    """Reassign or cancel: the assigner, or a head, deputy or manager over the task's unit."""
    return task.assigned_by_id == user.pk or can_assign_in(user, task.unit)


# Product catalogue


def can_edit_catalogue(user: User, unit: Unit | None = None) -> bool:
    return has_role_over(user, CATALOGUE_EDITORS, unit)


# Monthly plans


def can_edit_plan(user: User, plan: WorkPlan) -> bool:
    """A person edits their own plan; leaders edit their unit's plan; until approval
    (afterwards additions and removals go through the approver, and are logged)."""
    if plan.person_id is not None and plan.person is not None:
        own = plan.person.user_id == user.pk
        return own and plan.status == WorkPlan.Status.DRAFT
    return plan.status == WorkPlan.Status.DRAFT and can_assign_in(user, plan.unit)


def can_approve_plan(user: User, plan: WorkPlan) -> bool:
    """Managers and heads over the plan's unit approve, never their own plan."""
    if plan.person is not None and plan.person.user_id == user.pk:
        return False
    return can_assign_in(user, plan.unit)


# Weekly schedules


def can_edit_schedule(user: User, unit: Unit) -> bool:
    """The unit's office (and its head and deputies) keep its weekly schedule."""
    return has_role_over(user, SCHEDULE_EDITORS, unit)


def can_view_schedule(user: User, schedule: WeeklySchedule) -> bool:
    """Published schedules are for the unit's people and those with scope; drafts for editors."""
    if can_edit_schedule(user, schedule.unit):
        return True
    return schedule.is_published
