"""Request types for views behind `login_required` (so mypy knows `request.user` is a User)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from danhgia.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails
