"""Turning single sign-on on inside a test: the settings config/settings.py would read from the
environment, and the URL configuration rebuilt so that /oidc/ exists (and gone again after)."""

import copy
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.urls import clear_url_caches

import config.urls


def _reload_urls() -> None:
    importlib.reload(config.urls)
    clear_url_caches()


@contextmanager
def oidc_on(
    settings: Any,
    provider: str,
    *,
    client_id: str = "danhgia",
    client_secret: str = "bi-mat-thu-nghiem",  # noqa: S107
    match_claim: str = "email",
    local_passwords: bool = True,
) -> Iterator[None]:
    """OIDC as if OIDC_RP_CLIENT_ID and the endpoints under `provider` (django-oauth-toolkit's
    layout, e.g. http://localhost:8123/o) were set; `settings` is pytest-django's fixture."""
    settings.OIDC_ENABLED = True
    settings.LOCAL_PASSWORDS = local_passwords
    # INSTALLED_APPS is left alone: mozilla_django_oidc has no models, templates or
    # migrations, and re-registering the apps mid-test costs more than it tests.
    backends = [*settings.AUTHENTICATION_BACKENDS, "danhgia.accounts.oidc.MatchingBackend"]
    if not local_passwords:
        backends.remove("django.contrib.auth.backends.ModelBackend")
    settings.AUTHENTICATION_BACKENDS = backends
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = client_secret
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email" if match_claim == "email" else "openid employee"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/.well-known/jwks.json"
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{provider}/logout/"
    settings.OIDC_MATCH_CLAIM = match_claim
    settings.OIDC_CREATE_USER = False
    settings.OIDC_STORE_ID_TOKEN = True
    settings.OIDC_USE_PKCE = True
    settings.OIDC_OP_LOGOUT_URL_METHOD = "danhgia.accounts.oidc.provider_logout_url"
    settings.OIDC_TIMEOUT = 10.0
    settings.LOGIN_REDIRECT_URL_FAILURE = "/tai-khoan/mot-cua/chua-co-tai-khoan/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append("/".join(provider.split("/")[:3]))
    settings.CONTENT_SECURITY_POLICY = policy
    _reload_urls()
    try:
        yield
    finally:
        settings.OIDC_ENABLED = False
        _reload_urls()
