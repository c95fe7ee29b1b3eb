"""Single sign-on with OpenID Connect (mozilla-django-oidc), on only when configured.

The provider says who signed in; danhgia decides whether that person has a login here. One
claim (settings.OIDC_MATCH_CLAIM) is matched against EXISTING users only: `email` against
`User.email` (case-insensitive), `employee_code` against the linked `Person.employee_code`.
No user is ever created (OIDC_CREATE_USER = False): an unknown, ambiguous or deactivated person
is sent to the failure page (`accounts:sso_unknown`). A national ID number cannot be matched
yet: no model holds one.
"""

import logging
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from danhgia.accounts.models import User

logger = logging.getLogger(__name__)


def match_claim() -> str:
    return str(getattr(settings, "OIDC_MATCH_CLAIM", "email"))


def users_matching(claim: str, value: str) -> QuerySet[User]:
    """The active users the provider's `claim` with `value` names (none for an empty value)."""
    value = value.strip()
    if not value:
        return User.objects.none()
    active = User.objects.filter(is_active=True)
    if claim == "email":
        return active.filter(email__iexact=value)
    if claim == "employee_code":
        return active.filter(person__employee_code=value)
    raise ValueError(f"Unsupported OIDC_MATCH_CLAIM {claim!r}.")


class MatchingBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, matching one existing user by the configured claim."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(str(claims.get(match_claim()) or "").strip())

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        users = users_matching(match_claim(), str(claims.get(match_claim()) or ""))
        # Two logins with the same e-mail cannot be told apart: refuse rather than guess (the
        # library would answer 400 for more than one).
        if users.count() > 1:
            logger.warning("SSO: %s matches several users; refused.", match_claim())
            return User.objects.none()
        return users

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library's check of the ID token; an expired or otherwise invalid token (a
        provider's clock far from ours, a replay) is a bad request (400), not a server error."""
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.exceptions.InvalidTokenError as error:
            logger.warning("SSO: the ID token was refused: %s", error)
            raise SuspiciousOperation("The ID token is not valid.") from error
        return payload

    def create_user(self, claims: dict[str, Any]) -> User:
        """Never reached with OIDC_CREATE_USER = False; kept closed should that change."""
        raise PermissionError("danhgia never creates a user from single sign-on.")


def provider_logout_url(request: HttpRequest) -> str:
    """Where logging out sends the browser: the provider's end_session_endpoint with the
    id_token_hint of this session and our login page as post_logout_redirect_uri, or our login
    page when the provider has none or the session did not come from it (password login)."""
    after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    endpoint = str(getattr(settings, "OIDC_OP_END_SESSION_ENDPOINT", ""))
    id_token = request.session.get("oidc_id_token")
    if not endpoint or not id_token:
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"
