"""Schedules pages. Stubs until built: each raises 404."""

from django.http import Http404, HttpRequest, HttpResponse


def week_view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_entry_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_entry_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_publish(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def schedule_print(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
