"""Errors as problem details (RFC 9457), in the language of Accept-Language.

Every answer of the API that is not a success is a problem: the errors DRF knows, ours
(ApiError, WorkError), a request Django finds suspicious (400) and any other exception (500,
logged like Django logs a server error) — never Django's HTML error page.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from danhgia.api.services import ApiError
from danhgia.work.services import WorkError

logger = logging.getLogger("django.request")

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"


def _title(code: int) -> str:
    titles = {
        400: _("Invalid request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
        500: _("Server error"),
    }
    return titles.get(code, _("Error"))


def problem(code: int, detail: str, errors: Any = None) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": _title(code),
        "status": code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=code, content_type=CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApiError):
        return problem(exc.status, str(exc))
    if isinstance(exc, WorkError):
        return problem(status.HTTP_400_BAD_REQUEST, str(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return _unexpected(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        result = problem(
            response.status_code,
            _("Some fields are not valid: see errors, correct them and send again."),
            errors=exc.detail,
        )
    else:
        detail = getattr(exc, "detail", "")
        result = problem(response.status_code, str(detail) or _title(response.status_code))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def _unexpected(exc: Exception, context: dict[str, Any]) -> Response:
    """A suspicious request is the client's error (400); anything else is ours (500, logged
    with the request, as Django logs an uncaught exception). The transaction is rolled back."""
    set_rollback()
    if isinstance(exc, SuspiciousOperation):
        return problem(status.HTTP_400_BAD_REQUEST, _("The request cannot be read."))
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", ""),
        exc_info=exc,
        extra={"status_code": 500, "request": getattr(request, "_request", None)},
    )
    return problem(status.HTTP_500_INTERNAL_SERVER_ERROR, server_error_detail())


def server_error_detail() -> str:
    return _("The server could not finish the request; the error was recorded. Try again later.")
