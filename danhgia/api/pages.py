"""The page where HR connects document systems to the API: create (the token is shown once),
list and revoke. Out of scope: 404; not HR or an administrator: 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.api.forms import IntegrationForm
from danhgia.api.permissions import (
    can_manage_integrations,
    integrations_managed_by,
    units_managed_by,
)
from danhgia.api.services import ApiError, create_integration, revoke_integration


@login_required
def integration_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the integrations of the user's scope. POST: a new one; its token is shown once."""
    if not can_manage_integrations(request.user):
        raise PermissionDenied
    form = IntegrationForm(request.POST or None, units=units_managed_by(request.user))
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            integration, token = create_integration(
                name=form.cleaned_data["name"], unit=form.cleaned_data["unit"], by=request.user
            )
        except ApiError as error:
            form.add_error(None, str(error))
        else:
            form = IntegrationForm(units=units_managed_by(request.user))
            messages.success(
                request,
                _("“%(name)s” is connected. Copy its key now: it is shown only this once.")
                % {"name": integration.name},
            )
    integrations = integrations_managed_by(request.user).select_related(
        "unit", "created_by__person", "revoked_by__person"
    )
    status = 422 if request.method == "POST" and not token else 200
    response = render(
        request,
        "api/integration_list.html",
        {
            "form": form,
            "token": token,
            "integrations": integrations.order_by("revoked_at", "name"),
            "docs_url": reverse("api:docs"),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may hold a token
    return response


@login_required
@require_POST
def integration_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    integration = get_object_or_404(integrations_managed_by(request.user), pk=pk)
    try:
        revoke_integration(integration, by=request.user)
    except ApiError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(name)s” is disconnected: its key no longer works.") % {"name": integration.name},
        )
    return redirect("api:integration_list")
