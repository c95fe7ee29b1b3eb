"""Plans pages. Stubs until built: each raises 404."""

from django.http import Http404, HttpRequest, HttpResponse


def plan_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_item_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_item_remove(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_submit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_approve(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_return(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
