"""The pages a user sees when a request fails: in the user's language, in the site's layout,
saying what happened and what to do next, with a way back home (and the menu, for a
signed-in user).

400, 403, 404 and a refused form (CSRF) render with the request, so the menu and the
language switch work. A server error (500, 503) renders without the request context: the
menu reads the database, and the page must work while the database is out of reach.

A lost database connection (OperationalError or InterfaceError reaching the top of a request)
is not a bug but an outage: it answers 503 with Retry-After, says nothing was saved and asks
the user to try again in a moment. Every other uncaught error answers 500.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from danhgia.api.problems import server_error_detail

RETRY_AFTER_SECONDS = 10
API_PREFIX = "/api/"
TEMPLATE = "error_page.html"

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400 (a malformed request, SuspiciousOperation)."""
    return _page(
        _("The request could not be understood"),
        [
            _("The server could not read what your browser sent."),
            _("Go back to the home page and try again."),
        ],
        status=400,
        request=request,
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: a PermissionDenied raised by a view."""
    return _page(
        _("You cannot open this page"),
        [
            _("This page or action is not open to your account."),
            _("If you think you should have access, ask your unit's HR officer."),
        ],
        status=403,
        request=request,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an unknown address, or an Http404 raised by a view (also for objects out of
    the user's scope: they do not exist for them)."""
    return _page(
        _("Page not found"),
        [
            _("There is no page at this address, or it is not in your scope."),
            _("Check the address, or start again from the home page."),
        ],
        status=404,
        request=request,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without a valid security token (an old tab, cookies off)."""
    return _page(
        _("The form has expired"),
        [
            _(
                "For your safety, the form was not accepted: it was opened too long ago, or "
                "your browser blocks this site's cookies."
            ),
            _("Nothing was saved. Go back, reload the page and send the form again."),
        ],
        status=403,
        request=request,
    )


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


def _page(
    title: str, paragraphs: list[str], *, status: int, request: HttpRequest | None = None
) -> HttpResponse:
    """The error page; with `request`, in the full layout (menu, language switch). Should that
    fail (a request too broken for the context processors), the page without them."""
    template = loader.get_template(TEMPLATE)
    context = {"title": title, "paragraphs": paragraphs, "status": status}
    body = None
    if request is not None:
        try:
            body = template.render(context, request)
        except Exception:  # noqa: BLE001 -- an error page must not fail in turn
            logger.exception("Error page %s rendered without the request context", status)
    if body is None:
        body = template.render(context)
    return HttpResponse(body, status=status)
