"""The permission matrix is complete, and its completeness check really catches a URL without
a row (here: one added to a copy of the site's URLs, at the top level and in a namespace)."""

from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver, include, path
from django.urls.resolvers import URLResolver

from config import urls as site_urls
from tests.test_permission_matrix import ROWS_BY_NAME, _url_names


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


class _UrlConf:
    urlpatterns = [
        *site_urls.urlpatterns,
        path("khong-co-dong/", _view, name="unlisted"),
        path("them/", include(([path("ngoai-le/", _view, name="unlisted_inner")], "extra"))),
    ]


def _missing(resolver: URLResolver) -> set[str]:
    return set(_url_names(resolver)) - set(ROWS_BY_NAME)


def test_the_site_has_a_row_for_every_url() -> None:
    assert _missing(get_resolver()) == set()


def test_a_url_without_a_row_is_caught() -> None:
    assert _missing(get_resolver(_UrlConf))  # type: ignore[arg-type] == {"unlisted", "extra:unlisted_inner"}
