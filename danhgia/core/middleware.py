from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose otherwise: ignore the browser's Accept-Language.

    Headless and foreign browsers send `en-US`; our users expect Vietnamese first, and the
    language switch stores an explicit choice in the language cookie, which still wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in request (its session
    holds a user, before or after the view), or to one carrying credentials (an API token):
    pages, partials, redirects, errors, file downloads.

    A shared computer's browser cache or a proxy must never keep a person's evaluation, an
    export or an API answer. Whatever a view set (the public portal's `public, max-age`, an
    ETag) gives way: a signed-in person's page carries their name and menu. Anonymous
    answers keep the view's caching. Static files are served before this middleware runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session, not `request.user`: DRF views replace `request.user` with their own
        # (anonymous on the API, which authenticates by token only) for a signed-in browser.
        # Read before the view (signing out empties it) and after (signing in fills it); a
        # signed-in request's view loads the session anyway, so this costs no query.
        signed_in = _session_has_user(request)
        response = self.get_response(request)
        signed_in = signed_in or _session_has_user(request)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def _session_has_user(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session
