"""Typed predicates of the work app. Views turn False into 403 (after a scoped fetch: 404)."""

from danhgia.accounts.models import User
from danhgia.organisations.models import Person, Role, Unit
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
    """HR officers and heads maintain the catalogue of the units in their scope (any unit
    when `unit` is None: may they maintain some catalogue at all?)."""
    return has_role_over(user, CATALOGUE_EDITORS, unit)


# Monthly plans


def _is_own_plan(user: User, plan: WorkPlan) -> bool:
    return plan.person is not None and plan.person.user_id == user.pk


def can_create_plan(user: User, unit: Unit, person: Person | None) -> bool:
    """A person starts their own plan; heads, deputies and managers start their unit's plan."""
    if person is not None:
        return person.user_id is not None and person.user_id == user.pk
    return can_assign_in(user, unit)


def can_author_plan(user: User, plan: WorkPlan) -> bool:
    """The person writes their own plan; heads, deputies and managers over the unit write a
    unit's plan. (Whatever the plan's status: see `can_edit_plan` for "now".)"""
    if plan.person is not None:
        return _is_own_plan(user, plan)
    return can_assign_in(user, plan.unit)


def can_edit_plan(user: User, plan: WorkPlan) -> bool:
    """Its author edits a plan until submission (after approval, additions and removals go
    through `can_change_approved_plan`)."""
    return plan.status == WorkPlan.Status.DRAFT and can_author_plan(user, plan)


def can_submit_plan(user: User, plan: WorkPlan) -> bool:
    return can_edit_plan(user, plan)


def can_approve_plan(user: User, plan: WorkPlan) -> bool:
    """Managers and heads over the plan's unit approve (or return) it; never their own plan
    and never a plan they submitted themselves."""
    if _is_own_plan(user, plan):
        return False
    if plan.submitted_by_id is not None and plan.submitted_by_id == user.pk:
        return False
    return can_assign_in(user, plan.unit)


def can_return_plan(user: User, plan: WorkPlan) -> bool:
    return can_approve_plan(user, plan)


def can_change_approved_plan(user: User, plan: WorkPlan) -> bool:
    """After approval only the approver, or a head over the unit, adds or removes items
    (never in their own plan); each change is logged and shown on the plan."""
    if plan.status != WorkPlan.Status.APPROVED or _is_own_plan(user, plan):
        return False
    if not can_assign_in(user, plan.unit):
        return False
    return plan.approved_by_id == user.pk or has_role_over(user, {Role.HEAD}, plan.unit)


# Weekly schedules


def can_edit_schedule(user: User, unit: Unit | None = None) -> bool:
    """The unit's office (and its head and deputies) keep its weekly schedule (any unit's
    when `unit` is None: do they keep some schedule at all?)."""
    return has_role_over(user, SCHEDULE_EDITORS, unit)


def can_view_schedule(user: User, schedule: WeeklySchedule) -> bool:
    """Published schedules are for the unit's people and those with scope; drafts for editors."""
    if can_edit_schedule(user, schedule.unit):
        return True
    return schedule.is_published
