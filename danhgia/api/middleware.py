from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
STASH = "danhgia.api.accept_language"


class KeepAcceptLanguageMiddleware:
    """The site ignores the browser's Accept-Language (Vietnamese first); API clients choose
    their language with it. Keep the header for /api/ before it is dropped (see
    danhgia.core.middleware.DefaultLanguageMiddleware); the API views read it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and "HTTP_ACCEPT_LANGUAGE" in request.META:
            request.META[STASH] = request.META["HTTP_ACCEPT_LANGUAGE"]
        return self.get_response(request)
