"""Single sign-on: who the provider's answer matches, and the pages around it.

The whole flow against a real provider (django-oauth-toolkit) is tests/e2e/test_sso.py; here
the backend gets the provider's claims directly (`ClaimsBackend` skips only the HTTP round trip
to the userinfo endpoint)."""

import os
import subprocess
import sys
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from danhgia.accounts.models import User
from danhgia.accounts.oidc import MatchingBackend, provider_logout_url
from tests.conftest import World
from tests.oidc import oidc_on

PROVIDER = "http://localhost:9/o"


class ClaimsBackend(MatchingBackend):
    """The backend with the provider's userinfo answer given, not fetched."""

    def __init__(self, claims: dict[str, Any]) -> None:
        super().__init__()
        self.claims = claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        return self.claims


def signed_in_as(claims: dict[str, Any]) -> User | None:
    return ClaimsBackend(claims).get_or_create_user("access", "id", {})


@pytest.fixture
def sso(settings):  # type: ignore[no-untyped-def]
    with oidc_on(settings, PROVIDER):
        yield settings


@pytest.mark.django_db
def test_email_matches_the_existing_user_whatever_its_case(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    an = world.users["staff"]
    an.email = "an.nguyen@snv.quangnam.gov.vn"
    an.save(update_fields=["email"])
    assert signed_in_as({"email": "An.Nguyen@SNV.quangnam.gov.vn"}) == an


@pytest.mark.django_db
def test_employee_code_matches_the_persons_login(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    sso.OIDC_MATCH_CLAIM = "employee_code"
    code = world.people["head"].employee_code
    assert signed_in_as({"employee_code": code, "email": "x@example.vn"}) == world.users["head"]


@pytest.mark.django_db
def test_an_unknown_person_gets_no_user_and_none_is_created(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    users_before = User.objects.count()
    assert signed_in_as({"email": "nguoi.la@example.vn"}) is None
    sso.OIDC_MATCH_CLAIM = "employee_code"
    assert signed_in_as({"employee_code": "KHONG-CO"}) is None
    assert User.objects.count() == users_before


@pytest.mark.django_db
def test_a_deactivated_user_is_not_matched(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    an = world.users["staff"]
    an.email = "an@example.vn"
    an.is_active = False
    an.save(update_fields=["email", "is_active"])
    assert signed_in_as({"email": "an@example.vn"}) is None


@pytest.mark.django_db
def test_two_users_with_one_email_are_refused_not_guessed(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(username__in=["staff", "manager"]).update(email="chung@example.vn")
    assert signed_in_as({"email": "chung@example.vn"}) is None


@pytest.mark.django_db
def test_claims_without_the_matching_claim_are_refused(world: World, sso) -> None:  # type: ignore[no-untyped-def]
    assert MatchingBackend().verify_claims({"sub": "1"}) is False
    assert MatchingBackend().verify_claims({"email": "an@example.vn"}) is True


@pytest.mark.django_db
def test_login_page_offers_sso_only_when_configured(client, settings) -> None:  # type: ignore[no-untyped-def]
    assert "tài khoản một cửa" not in client.get(reverse("accounts:login")).content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    with oidc_on(settings, PROVIDER):
        text = client.get(reverse("accounts:login")).content.decode()
        assert "Đăng nhập bằng tài khoản một cửa / SSO" in text
        assert f'href="{reverse("oidc_authentication_init")}"' in text
        assert 'name="password"' in text


@pytest.mark.django_db
def test_sso_button_sends_the_browser_to_the_provider(client, sso) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{PROVIDER}/authorize/?")
    assert "client_id=danhgia" in response["Location"]


@pytest.mark.django_db
def test_without_local_passwords_no_form_and_refused(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    with oidc_on(settings, PROVIDER, local_passwords=False):
        text = client.get(reverse("accounts:login")).content.decode()
        assert 'name="password"' not in text
        assert "Đăng nhập bằng tài khoản một cửa / SSO" in text
        response = client.post(
            reverse("accounts:login"), {"username": "staff", "password": "mat-khau-thu-nghiem-1"}
        )
        assert response.status_code == 403
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failure_page_is_vietnamese_and_only_with_sso(client, settings) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("accounts:sso_unknown")).status_code == 404
    with oidc_on(settings, PROVIDER):
        response = client.get(reverse("accounts:sso_unknown"))
    assert response.status_code == 200
    assert (
        "Tài khoản của bạn chưa có trong hệ thống đánh giá: hãy liên hệ bộ phận tổ chức cán bộ"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_logout_goes_to_the_providers_end_session_with_the_id_token(rf, sso) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.post("/oidc/logout/")
    request.session = SessionStore()
    assert provider_logout_url(request) == "http://testserver/tai-khoan/dang-nhap/"
    request.session["oidc_id_token"] = "eyJ.abc.def"
    assert provider_logout_url(request) == (
        f"{PROVIDER}/logout/?id_token_hint=eyJ.abc.def&post_logout_redirect_uri="
        "http%3A%2F%2Ftestserver%2Ftai-khoan%2Fdang-nhap%2F&client_id=danhgia"
    )


def _settings_error(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "DANHGIA_LOCAL"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import config.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr.strip().splitlines()[-1] if result.returncode else ""


def test_settings_name_what_is_missing_and_refuse_a_locked_door() -> None:
    assert _settings_error() == ""
    assert _settings_error(OIDC_RP_CLIENT_ID="danhgia") == (
        "RuntimeError: OIDC_RP_CLIENT_ID is set but these are not: OIDC_RP_CLIENT_SECRET, "
        "OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, "
        "OIDC_OP_JWKS_ENDPOINT."
    )
    assert _settings_error(DANHGIA_LOCAL_PASSWORDS="0") == (
        "RuntimeError: DANHGIA_LOCAL_PASSWORDS=0 needs OIDC_RP_CLIENT_ID: nobody could log in."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "staff", "hr"])
def test_oidc_urls_for_every_kind_of_visitor(world: World, login, sso, persona: str) -> None:  # type: ignore[no-untyped-def]
    """The permission matrix runs with OIDC off; these are its rows for /oidc/ when it is on:
    public sign-in URLs, the same answer for everyone."""
    client = login(None if persona == "anonymous" else world.users[persona])
    start = client.get(reverse("oidc_authentication_init"))
    assert (start.status_code, start["Location"].split("?")[0]) == (302, f"{PROVIDER}/authorize/")
    callback = client.get(reverse("oidc_authentication_callback"))
    assert (callback.status_code, callback["Location"]) == (302, reverse("accounts:sso_unknown"))
    assert client.get(reverse("oidc_logout")).status_code == 405
    logout = client.post(reverse("oidc_logout"))
    # A signed-in session without an ID token (a password login) ends here, not at the provider.
    back = (
        "/tai-khoan/dang-nhap/"
        if persona == "anonymous"
        else "http://testserver/tai-khoan/dang-nhap/"
    )
    assert (logout.status_code, logout["Location"]) == (302, back)
    assert "_auth_user_id" not in client.session


def test_an_expired_id_token_is_a_bad_request_not_a_crash(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A provider's clock far from ours makes its token look expired: 400, logged."""
    import jwt as pyjwt
    import pytest as _pytest
    from django.core.exceptions import SuspiciousOperation
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    from danhgia.accounts.oidc import MatchingBackend

    def expired(self, token, **kwargs):  # type: ignore[no-untyped-def]
        raise pyjwt.exceptions.ExpiredSignatureError("Signature has expired")

    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", expired)
    backend = MatchingBackend.__new__(MatchingBackend)

    with _pytest.raises(SuspiciousOperation):
        backend.verify_token("a.b.c", nonce=None)
