"""Catalogue pages. Stubs until built: each raises 404."""

from django.http import Http404, HttpRequest, HttpResponse


def catalogue(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def product_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def product_revise(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def product_import(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def product_import_preview(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def product_template(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
