"""Notification pages. Stubs until built: each raises 404."""

from django.http import Http404, HttpRequest, HttpResponse


def notification_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    raise Http404
