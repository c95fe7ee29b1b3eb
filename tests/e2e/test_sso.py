"""Single sign-on end to end: a real OpenID Connect provider (django-oauth-toolkit, its own
process, tests/sso_provider/) and danhgia on pytest-django's live server, driven in Chromium.

The provider runs on 127.0.0.1, the app on localhost: two sites, as in production. Nothing of
the protocol is imitated: authorization code with PKCE, the token endpoint, an RS256 ID token
checked against the provider's JWKS, the userinfo endpoint, RP-initiated logout."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Page, expect

from danhgia.accounts.models import User
from tests.conftest import World
from tests.oidc import oidc_on

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "danhgia-e2e"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu-nghiem"  # noqa: S105
EMAIL = "an.nguyen@snv.example.vn"
PROVIDER_PASSWORD = "mat-khau-o-nha-cung-cap"  # noqa: S105
SSO_BUTTON = "Đăng nhập bằng tài khoản một cửa / SSO"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test provider stopped: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"The test provider did not answer {url} within {seconds} s.")


@pytest.fixture
def provider(live_server, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The provider's base URL (…/o), serving until the test ends."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SSO_PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "SSO_PROVIDER_RSA_KEY": _rsa_pem(),
        "SSO_CLIENT_ID": CLIENT_ID,
        "SSO_CLIENT_SECRET": CLIENT_SECRET,
        "SSO_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "SSO_POST_LOGOUT_URI": f"{live_server.url}/tai-khoan/dang-nhap/",
        "SSO_USER_EMAIL": EMAIL,
        "SSO_USER_PASSWORD": PROVIDER_PASSWORD,
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.sso_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/o"
    try:
        _wait_until_up(f"{base}/.well-known/jwks.json", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_provider(page: Page) -> None:
    page.get_by_role("link", name=SSO_BUTTON).click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/accounts/login/"))
    page.locator("input[name=username]").fill("provider-user")
    page.locator("input[name=password]").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


@pytest.mark.browser
# The provider runs in its own process on the real clock: its tokens would look expired to a
# test process travelled to another date, so this test runs only at the real instant.
@pytest.mark.undated
@pytest.mark.django_db(transaction=True)
def test_sign_in_through_the_provider_then_out_and_an_unknown_person(  # type: ignore[no-untyped-def]
    world: World, page: Page, provider: str, live_server, settings
) -> None:
    User.objects.filter(username="staff").update(email=EMAIL)
    with oidc_on(settings, provider, client_id=CLIENT_ID, client_secret=CLIENT_SECRET):
        page.goto("/tai-khoan/dang-nhap/")
        sign_in_at_provider(page)
        # Authorization code → token → ID token checked → userinfo → matched by e-mail → home.
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.locator("main")).to_contain_text("Nguyễn Văn An")

        # Logging out ends the provider's session too and comes back to our login page.
        page.locator("details.menu summary").click()
        page.locator("details.menu nav form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.goto("/")
        expect(page.locator("details.menu")).to_have_count(0)  # the public home: signed out

        # The provider asks for the password again (its session ended); this time nobody here
        # carries the e-mail: the Vietnamese page, and no user created.
        users_before = User.objects.count()
        User.objects.filter(username="staff").update(email="")
        page.goto("/tai-khoan/dang-nhap/")
        sign_in_at_provider(page)
        expect(page).to_have_url(f"{live_server.url}/tai-khoan/mot-cua/chua-co-tai-khoan/")
        expect(page.locator("main")).to_contain_text(
            "Tài khoản của bạn chưa có trong hệ thống đánh giá: hãy liên hệ bộ phận tổ chức cán bộ"
        )
        assert User.objects.count() == users_before
