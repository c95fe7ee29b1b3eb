"""Notification pages: the signed-in user's notifications, and marking them all read.

Core sits below accounts (layers): these views use `request.user` from a plain HttpRequest.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from danhgia.core import clock
from danhgia.core.http import paginate
from danhgia.core.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, newest first within each, 50 a page."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    notifications = (
        Notification.objects.filter(recipient_id=request.user.pk)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )
    return render(
        request, "core/notification_list.html", {"page": paginate(request, notifications)}
    )


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read; back to `next` (same site only).

    A plain update, not a service: read marks are the user's own view state, not audited.
    """
    Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
        read_at=clock.now()
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:notifications")
    return redirect(target)
