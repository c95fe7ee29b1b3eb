"""Delegations: a head hands a deputy the review and decision of a unit for some days; the
deputy sees what was delegated to them; the head or HR revokes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.evaluations import permissions
from danhgia.evaluations.delegation_forms import DelegationForm
from danhgia.evaluations.queries import delegations_visible_to
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.delegations import delegate_decisions, revoke_delegation
from danhgia.organisations.models import Role, Unit, UnitRole
from danhgia.organisations.queries import active_roles

LIST_LIMIT = 200


def _headships(user: User) -> list[Unit]:
    return [role.unit for role in active_roles(user) if role.role == Role.HEAD]


def _scope_units(heads: list[Unit]) -> QuerySet[Unit]:
    """The units a head may delegate: those they head and everything below."""
    condition = Q(pk__in=[])
    for unit in heads:
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(condition).order_by("path")


def _deputies(heads: list[Unit]) -> QuerySet[User]:
    """Deputy heads in office today on the units the head heads (or below)."""
    condition = Q(pk__in=[])
    for unit in heads:
        condition |= Q(unit__path__startswith=unit.path)
    user_ids = (
        UnitRole.objects.active_on(clock.today())
        .filter(condition, role=Role.DEPUTY_HEAD)
        .values("user_id")
    )
    return User.objects.filter(pk__in=user_ids).select_related("person").order_by("username")


@login_required
def delegation_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET: delegations given, received and in scope. POST: a head delegates."""
    heads = _headships(request.user)
    received = [role for role in active_roles(request.user) if role.role == Role.DEPUTY_HEAD]
    visible = delegations_visible_to(request.user)
    if not (heads or received or permissions.can_manage_periods(request.user)):
        raise PermissionDenied
    form = None
    if heads:
        form = DelegationForm(
            request.POST or None, units=_scope_units(heads), deputies=_deputies(heads)
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            delegate_decisions(
                head=request.user,
                deputy=data["deputy"],
                unit=data["unit"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                reason=data["reason"],
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Delegation saved. The deputy was notified."))
            return redirect("evaluations:delegation_list")
    rows = [
        {
            "delegation": delegation,
            "state": delegation.state_on(clock.today()),
            "can_revoke": permissions.can_revoke_delegation(request.user, delegation),
        }
        for delegation in visible.select_related("unit", "head__person", "deputy__person").order_by(
            "-valid_from", "-pk"
        )[:LIST_LIMIT]
    ]
    status = 422 if request.method == "POST" else 200
    return render(
        request, "evaluations/delegation_list.html", {"form": form, "rows": rows}, status=status
    )


@login_required
@require_POST
def delegation_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(
        delegations_visible_to(request.user).select_related("unit"), pk=pk
    )
    if not permissions.can_revoke_delegation(request.user, delegation):
        raise PermissionDenied
    try:
        revoke_delegation(delegation, by=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Delegation revoked."))
    return redirect("evaluations:delegation_list")
