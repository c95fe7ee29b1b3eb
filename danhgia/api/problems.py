"""Errors as problem details (RFC 9457), in the language of Accept-Language."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from danhgia.api.services import ApiError
from danhgia.work.services import WorkError

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
        return None
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
