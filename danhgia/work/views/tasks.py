"""Tasks pages. Stubs until built: each raises 404."""

from django.http import Http404, HttpRequest, HttpResponse


def my_tasks(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_board(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_assign(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_progress(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_complete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def extension_request(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def extension_answer(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_assess(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_reassign(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def task_cancel(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def evidence_download(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
