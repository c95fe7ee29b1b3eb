"""HR's pages of events out (webhooks): the subscriptions (create, change, disable), the
delivery log and "send again". Out of scope: 404; not HR or an administrator: 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.api.forms import SubscriptionForm
from danhgia.api.permissions import (
    can_manage_integrations,
    deliveries_managed_by,
    integrations_managed_by,
    subscriptions_managed_by,
)
from danhgia.api.services import ApiError
from danhgia.api.webhooks import change_subscription, create_subscription, replay_delivery

DELIVERY_LOG_ROWS = 100


@login_required
def subscription_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the subscriptions of the user's scope. POST: a new one; its secret is shown once."""
    if not can_manage_integrations(request.user):
        raise PermissionDenied
    integrations = integrations_managed_by(request.user)
    form = SubscriptionForm(request.POST or None, integrations=integrations)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _subscription, secret = create_subscription(
                form.cleaned_data["integration"],
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["kinds"],
                by=request.user,
            )
        except ApiError as error:
            form.add_error(None, str(error))
        else:
            form = SubscriptionForm(integrations=integrations)
            messages.success(
                request, _("Subscribed. Copy the signing secret now: it is shown only this once.")
            )
    subscriptions = subscriptions_managed_by(request.user).select_related("integration")
    status = 422 if request.method == "POST" and not secret else 200
    response = render(
        request,
        "api/subscription_list.html",
        {"form": form, "secret": secret, "subscriptions": subscriptions},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response


@login_required
def subscription_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the form of one subscription. POST: change its address, events or state."""
    subscription = get_object_or_404(
        subscriptions_managed_by(request.user).select_related("integration"), pk=pk
    )
    initial = {
        "url": subscription.url,
        "kinds": subscription.kinds,
        "is_active": subscription.is_active,
    }
    form = SubscriptionForm(request.POST or None, initial=initial, integrations=None)
    if request.method == "POST" and form.is_valid():
        try:
            change_subscription(
                subscription,
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["kinds"],
                is_active=form.cleaned_data["is_active"],
                by=request.user,
            )
        except ApiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The subscription is saved."))
            return redirect("api:subscription_list")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "api/subscription_edit.html",
        {"form": form, "subscription": subscription},
        status=status,
    )


@login_required
def delivery_list(request: AuthenticatedRequest) -> HttpResponse:
    """The latest deliveries of the user's scope: state, attempts, the last answer."""
    if not can_manage_integrations(request.user):
        raise PermissionDenied
    deliveries = deliveries_managed_by(request.user).select_related(
        "event", "subscription__integration"
    )[:DELIVERY_LOG_ROWS]
    return render(request, "api/delivery_list.html", {"deliveries": deliveries})


@login_required
@require_POST
def delivery_replay(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(deliveries_managed_by(request.user), pk=pk)
    try:
        replay_delivery(delivery, by=request.user)
    except ApiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The event is queued to be sent again, with the same key."))
    return redirect("api:delivery_list")
