"""Monthly work plans: my plans and those waiting for me, the plan editor (items added and
removed with htmx partial swaps), submit, approve, return.

Plans are fetched through `queries.plans_visible_to` (anything else is 404); the predicates
of `permissions` decide the rest (403); the services guard the states and say what is wrong.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.audit import action_label
from danhgia.core.http import paginate
from danhgia.core.models import AuditLog
from danhgia.organisations.authority import month_bounds
from danhgia.organisations.models import Person, Unit
from danhgia.organisations.queries import active_roles
from danhgia.work import permissions, queries
from danhgia.work.models import PlanItem, Task, WorkPlan
from danhgia.work.plan_forms import PlanCreateForm, PlanItemForm, ReasonForm
from danhgia.work.services import WorkError
from danhgia.work.services import plans as services

PLAN_RELATIONS = ("unit", "person__user", "person__unit", "submitted_by", "approved_by")


def _with_counts(plans: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    live = Q(items__removed_at__isnull=True)
    return plans.select_related("unit", "person").annotate(item_count=Count("items", filter=live))


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    leading = queries.units_where(user, permissions.ASSIGNERS)
    return render(
        request,
        "work/plan_list.html",
        {
            "mine": _with_counts(WorkPlan.objects.filter(person__user=user))[:12],
            "waiting": paginate(
                request,
                _with_counts(queries.plans_waiting_for(user)).order_by("submitted_at", "pk"),
            ),
            "unit_plans": _with_counts(
                WorkPlan.objects.filter(person__isnull=True, unit__in=leading)
            )[:24],
        },
    )


def _leading_units(request: AuthenticatedRequest) -> list[Unit]:
    """Units the user may start a unit plan for: the units of their leading roles."""
    roles = [role for role in active_roles(request.user) if role.role in permissions.ASSIGNERS]
    return sorted({role.unit_id: role.unit for role in roles}.values(), key=lambda u: u.path)


@login_required
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    person: Person | None = getattr(request.user, "person", None)
    form = PlanCreateForm(request.POST or None, person=person, units=_leading_units(request))
    if request.method == "POST" and form.is_valid():
        unit = form.chosen_unit
        try:
            if unit is None and person is not None:
                plan = services.create_plan(person.unit, person, form.chosen_month, by=request.user)
            elif unit is not None:
                plan = services.create_plan(unit, None, form.chosen_month, by=request.user)
            else:
                raise PermissionDenied
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("work:plan_edit", pk=plan.pk)
    return render(request, "work/plan_create.html", {"form": form})


def _fetch_plan(request: AuthenticatedRequest, pk: int) -> WorkPlan:
    plans = queries.plans_visible_to(request.user).select_related(*PLAN_RELATIONS)
    return get_object_or_404(plans, pk=pk)


def _item_form(plan: WorkPlan, data: Any = None) -> PlanItemForm:
    last_day = month_bounds(plan.month)[1]
    position = plan.person.job_position if plan.person is not None else None
    products = queries.product_types_valid_on(plan.unit, last_day, position).order_by("code")
    people = None
    if plan.person is None:
        people = (
            Person.objects.active_on(plan.month)
            .filter(unit__path__startswith=plan.unit.path)
            .order_by("sort_key", "pk")
        )
    return PlanItemForm(data, plan=plan, products=products, people=people)


def _history(plan: WorkPlan) -> list[AuditLog]:
    entries = list(
        AuditLog.objects.filter(object_type="work.workplan", object_id=str(plan.pk))
        .select_related("actor__person")
        .order_by("id")
    )
    for entry in entries:
        entry.label = action_label(entry.action)  # type: ignore[attr-defined]
    return entries


def _is_live(item: PlanItem) -> bool:
    return item.removed_at is None and (
        item.task is None or item.task.status != Task.Status.CANCELLED
    )


def _editor_context(
    request: AuthenticatedRequest,
    plan: WorkPlan,
    *,
    item_form: PlanItemForm | None = None,
    item_error: tuple[int, str] | None = None,
) -> dict[str, Any]:
    user = request.user
    items = list(plan.items.select_related("owner", "product_type", "task"))
    for item in items:
        used = item.task.coefficient if item.task else None
        item.coefficient = used or (item.product_type.coefficient if item.product_type else 1)  # type: ignore[attr-defined]
    live = [item for item in items if _is_live(item)]
    can_edit = permissions.can_edit_plan(user, plan)
    can_change = permissions.can_change_approved_plan(user, plan)
    if (can_edit or can_change) and item_form is None:
        item_form = _item_form(plan)
    return {
        "plan": plan,
        "items": live,
        "gone": [item for item in items if not _is_live(item)],
        "total": sum((item.quantity * item.coefficient for item in live), Decimal(0)),  # type: ignore[attr-defined]
        "item_form": item_form if can_edit or can_change else None,
        "item_error": item_error,
        "can_edit": can_edit,
        "can_change": can_change,
        "can_submit": permissions.can_submit_plan(user, plan),
        "can_decide": plan.status == WorkPlan.Status.SUBMITTED
        and permissions.can_approve_plan(user, plan),
        "reason_form": ReasonForm(),
        "history": _history(plan),
    }


@login_required
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _fetch_plan(request, pk)
    return render(request, "work/plan_edit.html", _editor_context(request, plan))


def _respond(
    request: AuthenticatedRequest, plan: WorkPlan, context: dict[str, Any] | None = None
) -> HttpResponse:
    """After an item change: the editor's body for htmx, else the page (redirect on success)."""
    if request.htmx:
        return render(
            request, "work/plan_edit.html#body", context or _editor_context(request, plan)
        )
    if context is None:
        return redirect("work:plan_edit", pk=plan.pk)
    return render(request, "work/plan_edit.html", context)


@login_required
@require_POST
def plan_item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _fetch_plan(request, pk)
    approved = plan.status == WorkPlan.Status.APPROVED
    allowed = (
        permissions.can_change_approved_plan(request.user, plan)
        if approved
        else permissions.can_author_plan(request.user, plan)
    )
    if not allowed:
        raise PermissionDenied
    form = _item_form(plan, request.POST)
    if form.is_valid():
        add = services.add_item_after_approval if approved else services.add_item
        try:
            add(plan, by=request.user, **form.cleaned_data)
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _respond(request, plan)
    return _respond(request, plan, _editor_context(request, plan, item_form=form))


@login_required
@require_POST
def plan_item_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visible = queries.plans_visible_to(request.user)
    item = get_object_or_404(
        PlanItem.objects.filter(plan__in=visible).select_related(
            *(f"plan__{name}" for name in PLAN_RELATIONS)
        ),
        pk=pk,
    )
    plan = item.plan
    approved = plan.status == WorkPlan.Status.APPROVED
    allowed = (
        permissions.can_change_approved_plan(request.user, plan)
        if approved
        else permissions.can_author_plan(request.user, plan)
    )
    if not allowed:
        raise PermissionDenied
    try:
        if approved:
            reason_form = ReasonForm(request.POST)
            if reason_form.has_error("reason", "max_length"):
                raise WorkError(" ".join(str(error) for error in reason_form.errors["reason"]))
            reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
            services.remove_item(item, by=request.user, reason=reason)
        else:
            services.delete_item(item, by=request.user)
    except WorkError as error:
        if not request.htmx:
            messages.error(request, str(error))
            return redirect("work:plan_edit", pk=plan.pk)
        return _respond(
            request, plan, _editor_context(request, plan, item_error=(item.pk, str(error)))
        )
    return _respond(request, plan)


@login_required
@require_POST
def plan_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _fetch_plan(request, pk)
    if not permissions.can_author_plan(request.user, plan):
        raise PermissionDenied
    try:
        services.submit_plan(plan, by=request.user)
    except WorkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan was submitted for approval."))
    return redirect("work:plan_edit", pk=plan.pk)


@login_required
@require_POST
def plan_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _fetch_plan(request, pk)
    if not permissions.can_approve_plan(request.user, plan):
        raise PermissionDenied
    try:
        services.approve_plan(plan, by=request.user)
    except WorkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan was approved; its items are now tasks."))
    return redirect("work:plan_edit", pk=plan.pk)


@login_required
@require_POST
def plan_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _fetch_plan(request, pk)
    if not permissions.can_return_plan(request.user, plan):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.return_plan(plan, by=request.user, reason=reason)
    except WorkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan was returned to its author."))
    return redirect("work:plan_edit", pk=plan.pk)
