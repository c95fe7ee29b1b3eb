"""The pages a user sees when the server fails: plain, in the user's language, and saying
what to do next. They render without the database (no request context processors), so they
work while the database is out of reach.

A lost database connection (OperationalError or InterfaceError reaching the top of a request)
is not a bug but an outage: it answers 503 with Retry-After, says nothing was saved and asks
the user to try again in a moment. Every other uncaught error answers 500.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from danhgia.api.problems import server_error_detail

RETRY_AFTER_SECONDS = 10
API_PREFIX = "/api/"


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the `except` block of the uncaught exception."""
    error = sys.exc_info()[1]
    if request.path.startswith(API_PREFIX):
        return _api_problem(error)
    if isinstance(error, OperationalError | InterfaceError):
        response = _page(
            _("The system is busy"),
            [
                _("The system cannot reach its database for a moment."),
                _(
                    "What you just sent was not saved. Use your browser's Back button (what you "
                    "typed is still in the form) and send it again in a few seconds."
                ),
            ],
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _page(
        _("Something went wrong"),
        [
            _("The server could not finish your request. The error was recorded."),
            _("Go back and try again; if it happens again, tell your unit's HR officer."),
        ],
        status=500,
    )


def _api_problem(error: BaseException | None) -> HttpResponse:
    """The API answers problem details (RFC 9457), never an HTML page: this covers what fails
    outside an API view (the views' own errors go through danhgia.api.problems)."""
    outage = isinstance(error, OperationalError | InterfaceError)
    code = 503 if outage else 500
    body = {
        "type": "about:blank",
        "title": _("Service unavailable") if outage else _("Server error"),
        "status": code,
        "detail": server_error_detail(),
    }
    response = JsonResponse(body, status=code, content_type="application/problem+json")
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page(title: str, paragraphs: list[str], *, status: int) -> HttpResponse:
    template = loader.get_template("error_page.html")
    body = template.render({"title": title, "paragraphs": paragraphs})
    return HttpResponse(body, status=status)
