"""Production settings: `check --deploy` is clean, and the headers a browser relies on are sent."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        HTTPS="1",
        ALLOWED_HOSTS="danhgia.example.gov.vn",
        DANHGIA_REQUIRE_SECRET_KEY="1",
        DANHGIA_VAR_DIR=str(tmp_path),
        AUDIT_ANCHOR_KEY=secrets.token_hex(32),
        **extra,
    )
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _check_deploy(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_behind_a_proxy_still_passes(tmp_path: Path) -> None:
    result = _check_deploy(_production_env(tmp_path, BEHIND_PROXY="1"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_audit_anchor_key_is_flagged(tmp_path: Path) -> None:
    """Without AUDIT_ANCHOR_KEY (or its file) anyone could forge the audit anchors."""
    env = _production_env(tmp_path)
    del env["AUDIT_ANCHOR_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "core.W001" in result.stdout + result.stderr


def test_the_audit_anchor_key_can_be_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "anchor.key"
    key_file.write_text(secrets.token_hex(32) + "\n")
    env = _production_env(tmp_path, AUDIT_ANCHOR_KEY_FILE=str(key_file))
    del env["AUDIT_ANCHOR_KEY"]
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unreadable_or_empty_key_file_stops_the_start(tmp_path: Path) -> None:
    """A key file named but missing or empty never falls back to the development key."""
    empty = tmp_path / "empty.key"
    empty.write_text("\n")
    for path, message in [(empty, "is empty"), (tmp_path / "missing.key", "cannot be read")]:
        env = _production_env(tmp_path, AUDIT_ANCHOR_KEY_FILE=str(path))
        del env["AUDIT_ANCHOR_KEY"]
        result = _check_deploy(env)
        assert result.returncode != 0
        assert message in result.stderr, result.stderr


def test_development_settings_are_not_production(tmp_path: Path) -> None:
    """The check does warn without HTTPS: it really looks at the settings."""
    env = _production_env(tmp_path)
    env["HTTPS"] = "0"
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_https_headers_and_secure_cookies(world: World) -> None:
    client = Client()
    plain = client.get("/tai-khoan/dang-nhap/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")

    secure = client.get("/tai-khoan/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert secure["X-Frame-Options"] == "DENY"
    assert secure["X-Content-Type-Options"] == "nosniff"
    assert secure["Referrer-Policy"] == "same-origin"
    assert secure.cookies["csrftoken"]["secure"]

    signed_in = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "staff", "password": "mat-khau-thu-nghiem-1"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert signed_in.status_code == 302
    session_cookie = signed_in.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
