"""Token authentication per integration, its permission and its rate limit."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from danhgia.api.models import Integration
from danhgia.api.services import hash_token


class IntegrationPrincipal:
    """`request.user` of an API call: the integration itself, never a person's account."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, integration: Integration) -> None:
        self.integration = integration

    def __str__(self) -> str:
        return f"integration:{self.integration.name}"


class IntegrationTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; revoked or unknown tokens get 401."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Integration] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as: Authorization: Bearer <token>.")
            )
        try:
            token = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        integration = (
            Integration.objects.select_related("unit", "created_by")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if integration is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: ask the administrator for a new one.")
            )
        if integration.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("This integration was revoked: ask the administrator for a new token.")
            )
        return IntegrationPrincipal(integration), integration

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class IsIntegration(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Integration)


class IntegrationRateThrottle(SimpleRateThrottle):
    """Requests per integration (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["integration"],
    read at each request so that settings can change it)."""

    scope = "integration"

    def get_rate(self) -> str | None:
        rates: Any = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        rate: str | None = rates.get(self.scope)
        return rate

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, Integration):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
