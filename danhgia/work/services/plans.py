"""Monthly work plans (kế hoạch công tác tháng): create, fill, submit, return, approve, and
change after approval. Guard, change, log.

A draft is its author's working copy: its item edits are not logged one by one; the items are
recorded when the plan is submitted and when it is approved. Approval turns every item into a
task (source "plan") owned by the item's owner and assigned by the approver, and locks the
plan: afterwards only the approver or a head over the unit adds or removes items, each change
creating or cancelling a task at once and writing an audit row that the plan page shows.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.core.periods import month_label as period_month_label
from danhgia.core.text import nfc
from danhgia.organisations.authority import manager_for
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import PlanItem, ProductType, Task, WorkPlan
from danhgia.work.permissions import (
    can_approve_plan,
    can_change_approved_plan,
    can_create_plan,
    can_edit_plan,
    can_return_plan,
    can_submit_plan,
)
from danhgia.work.services import WorkError
from danhgia.work.services.tasks import assign_task, cancel_task

PLAN_ACTION_LABELS: dict[str, Any] = {
    "plan.created": gettext_lazy("plan created"),
    "plan.submitted": gettext_lazy("plan submitted"),
    "plan.returned": gettext_lazy("plan returned"),
    "plan.approved": gettext_lazy("plan approved"),
    "plan.item_added": gettext_lazy("item added after approval"),
    "plan.item_removed": gettext_lazy("item removed after approval"),
}


def month_label(month: datetime.date) -> str:
    return period_month_label(month)


def _lock(plan: WorkPlan) -> WorkPlan:
    return (
        WorkPlan.objects.select_for_update(of=("self",))
        .select_related("unit", "person__user", "person__unit")
        .get(pk=plan.pk)
    )


def _plan_url(plan: WorkPlan) -> str:
    return reverse("work:plan_edit", args=[plan.pk])


@transaction.atomic
def create_plan(unit: Unit, person: Person | None, month: datetime.date, *, by: User) -> WorkPlan:
    """Start the plan of `person` (None: of `unit` as a whole) for the month containing `month`.

    Logs `plan.created`. Raises WorkError when `by` may not create it, the person is not in
    `unit`, or that plan already exists.
    """
    month = month.replace(day=1)
    if person is not None and person.unit_id != unit.pk:
        raise WorkError(_("A personal plan belongs to the person's own unit."))
    if not can_create_plan(by, unit, person):
        raise WorkError(_("You cannot create this plan."))
    existing = WorkPlan.objects.filter(month=month)
    existing = existing.filter(person=person) if person else existing.filter(unit=unit, person=None)
    if existing.exists():
        raise WorkError(_("There is already a plan for %(month)s.") % {"month": month_label(month)})
    plan = WorkPlan.objects.create(unit=unit, person=person, month=month)
    log_action(
        plan,
        "plan.created",
        by=by,
        data={
            "unit": unit.code,
            "person": person.employee_code if person else None,
            "month": month,
        },
    )
    return plan


def _check_item(
    plan: WorkPlan,
    *,
    title: str,
    due_date: datetime.date,
    quantity: Decimal,
    product_type: ProductType | None,
    owner: Person | None,
) -> tuple[str, Person]:
    """The cleaned title and the owner of a new item, or WorkError saying what is wrong."""
    title = nfc(title)
    if not title:
        raise WorkError(_("Give the item a title."))
    if quantity <= 0:
        raise WorkError(_("The quantity must be greater than zero."))
    if due_date < plan.month:
        raise WorkError(
            _("The due date must not be before the month of the plan (%(month)s).")
            % {"month": month_label(plan.month)}
        )
    if plan.person is not None:
        if owner is not None and owner.pk != plan.person.pk:
            raise WorkError(_("Every item of a personal plan belongs to that person."))
        owner = plan.person
    elif owner is None:
        raise WorkError(_("Choose the one person accountable for this item."))
    elif not owner.unit.path.startswith(plan.unit.path):
        raise WorkError(
            _("%(name)s does not work in %(unit)s.")
            % {"name": owner.full_name, "unit": plan.unit.name}
        )
    if not owner.is_active_on(due_date):
        raise WorkError(_("%(name)s is not working on the due date.") % {"name": owner.full_name})
    if product_type is not None:
        if product_type.unit_id not in plan.unit.ancestor_ids:
            raise WorkError(
                _("%(product)s is not in the product catalogue of %(unit)s.")
                % {"product": product_type.name, "unit": plan.unit.name}
            )
        position = product_type.job_position_id
        if position is not None and position != owner.job_position_id:
            raise WorkError(
                _("%(product)s is a product of another job position than %(name)s's.")
                % {"product": product_type.name, "name": owner.full_name}
            )
    return title, owner


@transaction.atomic
def add_item(
    plan: WorkPlan,
    *,
    by: User,
    title: str,
    due_date: datetime.date,
    quantity: Decimal = Decimal(1),
    product_type: ProductType | None = None,
    owner: Person | None = None,
) -> PlanItem:
    """Add a line to a draft plan (owner: the plan's person, or a person of the unit).

    Raises WorkError when the plan is not a draft, `by` may not edit it, or the item is wrong.
    """
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.DRAFT:
        raise WorkError(
            _(
                "Only a draft plan can be changed. After approval, the approver adds or "
                "removes items."
            )
        )
    if not can_edit_plan(by, plan):
        raise WorkError(_("You cannot change this plan."))
    title, owner = _check_item(
        plan,
        title=title,
        due_date=due_date,
        quantity=quantity,
        product_type=product_type,
        owner=owner,
    )
    return PlanItem.objects.create(
        plan=plan,
        title=title,
        due_date=due_date,
        quantity=quantity,
        product_type=product_type,
        owner=owner,
    )


@transaction.atomic
def delete_item(item: PlanItem, *, by: User) -> None:
    """Delete a line of a draft plan. Raises WorkError when the plan is no longer a draft."""
    plan = _lock(item.plan)
    if plan.status != WorkPlan.Status.DRAFT:
        raise WorkError(_("Only a draft plan can be changed."))
    if not can_edit_plan(by, plan):
        raise WorkError(_("You cannot change this plan."))
    PlanItem.objects.filter(pk=item.pk, plan=plan).delete()


def _item_record(item: PlanItem) -> dict[str, Any]:
    return {
        "item": item.pk,
        "title": item.title,
        "owner": item.owner.employee_code,
        "product_type": item.product_type.code if item.product_type else None,
        "quantity": item.quantity,
        "due_date": item.due_date,
        "task": item.task_id,
    }


def _live_items(plan: WorkPlan) -> list[PlanItem]:
    return list(plan.items.filter(removed_at__isnull=True).select_related("owner", "product_type"))


@transaction.atomic
def submit_plan(plan: WorkPlan, *, by: User) -> WorkPlan:
    """Hand a draft with at least one item to the approver; notify the person's direct
    manager. Logs `plan.submitted` with the items.

    Raises WorkError when the plan is not a draft (submitted twice), `by` may not submit it
    or it has no item.
    """
    plan = _lock(plan)
    if plan.status == WorkPlan.Status.SUBMITTED:
        raise WorkError(_("This plan has already been submitted."))
    if plan.status != WorkPlan.Status.DRAFT:
        raise WorkError(_("This plan has already been approved."))
    if not can_submit_plan(by, plan):
        raise WorkError(_("You cannot submit this plan."))
    items = _live_items(plan)
    if not items:
        raise WorkError(_("Add at least one item before submitting the plan."))
    plan.status = WorkPlan.Status.SUBMITTED
    plan.submitted_at = clock.now()
    plan.submitted_by = by
    plan.save(update_fields=["status", "submitted_at", "submitted_by"])
    log_action(plan, "plan.submitted", by=by, data={"items": [_item_record(i) for i in items]})
    if plan.person is not None:
        notify(
            manager_for(plan.person, plan.month),
            _("%(name)s submitted the work plan for %(month)s.")
            % {"name": plan.person.full_name, "month": month_label(plan.month)},
            url=_plan_url(plan),
            kind="plan.submitted",
        )
    return plan


@transaction.atomic
def return_plan(plan: WorkPlan, *, by: User, reason: str) -> WorkPlan:
    """Send a submitted plan back to draft with a reason; notify who submitted it.
    Logs `plan.returned`.

    Raises WorkError when the plan is not submitted, `by` may not approve it (own plan,
    submitted it, out of scope) or the reason is empty.
    """
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise WorkError(_("Only a submitted plan can be returned."))
    if not can_return_plan(by, plan):
        raise WorkError(_("You cannot approve or return this plan."))
    reason = nfc(reason)
    if not reason:
        raise WorkError(_("Say why the plan is returned."))
    submitter = plan.submitted_by
    plan.status = WorkPlan.Status.DRAFT
    plan.return_reason = reason
    plan.submitted_at = None
    plan.submitted_by = None
    plan.save(update_fields=["status", "return_reason", "submitted_at", "submitted_by"])
    log_action(plan, "plan.returned", by=by, data={"reason": reason})
    notify(
        submitter,
        _("Your work plan for %(month)s was returned: %(reason)s")
        % {"month": month_label(plan.month), "reason": reason},
        url=_plan_url(plan),
        kind="plan.returned",
    )
    return plan


def version_on(product: ProductType, day: datetime.date) -> ProductType:
    """The version of `product`'s code in force on `day` (`product` itself when none is)."""
    found = (
        ProductType.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            unit_id=product.unit_id,
            code=product.code,
            valid_from__lte=day,
        )
        .order_by("-valid_from")
        .first()
    )
    return found or product


def _make_task(item: PlanItem, plan: WorkPlan, by: User) -> Task:
    """The task of an item: owned by its owner in the owner's unit, scored with the catalogue
    version in force on its due date."""
    start = min(max(plan.month, clock.today()), item.due_date)
    return assign_task(
        title=item.title,
        unit=item.owner.unit,
        owner=item.owner,
        by=by,
        source=Task.Source.PLAN,
        start_date=start,
        due_date=item.due_date,
        product_type=version_on(item.product_type, item.due_date) if item.product_type else None,
        quantity=item.quantity,
    )


@transaction.atomic
def approve_plan(plan: WorkPlan, *, by: User) -> WorkPlan:
    """Approve a submitted plan: every item becomes a task assigned by `by` (its owners are
    notified), and the plan is locked. Logs `plan.approved` with the task ids.

    Raises WorkError when the plan is not submitted or `by` may not approve it (their own
    plan, a plan they submitted, a unit outside their scope).
    """
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise WorkError(_("Only a submitted plan can be approved."))
    if not can_approve_plan(by, plan):
        raise WorkError(_("You cannot approve or return this plan."))
    items = [item for item in _live_items(plan) if item.task_id is None]
    for item in items:
        item.task = _make_task(item, plan, by)
        item.save(update_fields=["task"])
    plan.status = WorkPlan.Status.APPROVED
    plan.approved_by = by
    plan.approved_at = clock.now()
    plan.return_reason = ""
    plan.save(update_fields=["status", "approved_by", "approved_at", "return_reason"])
    log_action(plan, "plan.approved", by=by, data={"items": [_item_record(i) for i in items]})
    return plan


def _guard_approved_change(plan: WorkPlan, by: User) -> None:
    if plan.status != WorkPlan.Status.APPROVED:
        raise WorkError(_("This plan is not approved yet: change it as a draft."))
    if not can_change_approved_plan(by, plan):
        raise WorkError(_("Only the approver or the head of the unit changes an approved plan."))


@transaction.atomic
def add_item_after_approval(
    plan: WorkPlan,
    *,
    by: User,
    title: str,
    due_date: datetime.date,
    quantity: Decimal = Decimal(1),
    product_type: ProductType | None = None,
    owner: Person | None = None,
) -> PlanItem:
    """Add an item to an approved plan: its task is created at once and the item is flagged
    `added_after_approval`. Logs `plan.item_added`.

    Raises WorkError when the plan is not approved, `by` is neither its approver nor a head
    over the unit, or the item is wrong.
    """
    plan = _lock(plan)
    _guard_approved_change(plan, by)
    title, owner = _check_item(
        plan,
        title=title,
        due_date=due_date,
        quantity=quantity,
        product_type=product_type,
        owner=owner,
    )
    item = PlanItem.objects.create(
        plan=plan,
        title=title,
        due_date=due_date,
        quantity=quantity,
        product_type=product_type,
        owner=owner,
        added_after_approval=True,
    )
    item.task = _make_task(item, plan, by)
    item.save(update_fields=["task"])
    log_action(plan, "plan.item_added", by=by, data=_item_record(item))
    return item


@transaction.atomic
def remove_item(item: PlanItem, *, by: User, reason: str) -> PlanItem:
    """Remove an item from an approved plan with a reason: the item stays in the plan's
    history (removed_at, removed_reason) and its open task is cancelled.
    Logs `plan.item_removed`.

    Raises WorkError when the plan is not approved, `by` is neither its approver nor a head
    over the unit, the item is already removed, its task is done, or the reason is empty.
    """
    plan = _lock(item.plan)
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("owner", "product_type")
        .get(pk=item.pk, plan=plan)
    )
    _guard_approved_change(plan, by)
    if item.removed_at is not None:
        raise WorkError(_("This item has already been removed."))
    task = Task.objects.select_for_update().get(pk=item.task_id) if item.task_id else None
    if task is not None and task.status == Task.Status.DONE:
        raise WorkError(_("The task of this item is done; it stays in the plan."))
    reason = nfc(reason)
    if not reason:
        raise WorkError(_("Say why the item is removed."))
    item.removed_at = clock.now()
    item.removed_reason = reason
    item.save(update_fields=["removed_at", "removed_reason"])
    cancelled = task is not None and task.is_open
    if task is not None and cancelled:
        cancel_task(task, by=by, reason=reason)
    log_action(
        plan,
        "plan.item_removed",
        by=by,
        data={**_item_record(item), "reason": reason, "task_cancelled": cancelled},
    )
    return item
