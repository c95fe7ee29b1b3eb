"""Small request helpers shared by views."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 50) -> Page:
    """Page `queryset` by the `page` query parameter; bad or out-of-range numbers clamp."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_string_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
