"""Import and export of units and people. Filled in by the import work; stubs until then."""

from django.http import Http404, HttpRequest, HttpResponse


def import_start(request: HttpRequest) -> HttpResponse:
    raise Http404


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    raise Http404


def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def export_data(request: HttpRequest, kind: str) -> HttpResponse:
    raise Http404
