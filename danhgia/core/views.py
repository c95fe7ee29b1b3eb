"""Notification pages: the signed-in user's notifications as digests, opening one, marking
them all read.

Core sits below accounts (layers): these views use `request.user` from a plain HttpRequest.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from danhgia.core import clock
from danhgia.core.digests import digest_page, open_digest
from danhgia.core.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications as digests (one a day and a kind), unread first."""
    page = digest_page(request.user, request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest) -> HttpResponse:
    """Open a digest: its notices are read, and the user goes where they act on them."""
    return redirect(open_digest(request.user, request.POST.get("digest", ""), clock.now()))


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
