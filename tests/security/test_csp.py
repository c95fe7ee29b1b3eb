"""Strict Content-Security-Policy: no 'unsafe-inline' anywhere, and no page of the site carries
inline script, inline style or on*= handlers (they would be blocked by that policy).

Every GET URL of the permission matrix is fetched as the first persona allowed to see it."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import World
from tests.matrix import PERSONAS
from tests.test_permission_matrix import ROWS

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)

PAGES = [
    pytest.param(row, persona, id=row.name)
    for row in ROWS
    if row.method == "get"
    for persona in [next((p for p in PERSONAS if row.statuses()[p] == 200), None)]
    if persona is not None
]


def test_policy_has_no_unsafe_sources() -> None:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, sources in directives.items():
        for source in sources:
            assert "unsafe" not in source, (name, source)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


# The one page meant for other sites' iframes (public results for a portal): it drops
# X-Frame-Options and names its frame ancestors in the CSP instead (decisions of issue 6).
FRAMABLE = {"publication:public_month_embed"}


def assert_strict_html(response: Any, where: str, *, framable: bool = False) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    if framable:
        assert "frame-ancestors" in policy, where
    else:
        assert response.get("X-Frame-Options") == "DENY", where
        assert "frame-ancestors 'none'" in policy, where
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER, JS_URL):
        found = pattern.search(html)
        assert found is None, (where, html[max(found.start() - 80, 0) : found.end() + 80])


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), PAGES)
def test_page_is_csp_strict(row: Any, persona: str, world: World, login: Any) -> None:
    client = login(None if persona == "anonymous" else world.users[persona])
    url = reverse(row.name, args=row.args(world))
    response = client.get(url, row.data)
    assert response.status_code == 200, url
    assert_strict_html(response, f"{url} as {persona}", framable=row.name in FRAMABLE)


@pytest.mark.django_db
def test_login_and_error_pages_are_csp_strict(client: Any, world: World) -> None:
    assert_strict_html(client.get(reverse("accounts:login")), "login")
    client.force_login(world.users["staff_other"])
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert "unsafe-inline" not in missing.get("Content-Security-Policy", "")
