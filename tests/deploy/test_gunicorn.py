"""The production application server: gunicorn, with the settings of deploy/gunicorn.conf.py and
two workers, serves the login page, and whitenoise the static files it links to (docs/deploy.md).

The server runs in a child process with the production environment (DEBUG off, a real-looking
SECRET_KEY) against its own migrated SQLite database in a temporary `DANHGIA_VAR_DIR`; it binds
port 0 and the test reads the port gunicorn chose from its log, so no port is ever guessed.
Static files are served from the finders (no `collectstatic`, which takes ~20 s): whitenoise's
middleware is what is under test, and `make demo` exercises `collectstatic`.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def _environment(var_dir: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST", "REDIS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DANHGIA_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'danhgia.sqlite3'}",
        DEBUG="0",
        SECRET_KEY="gunicorn-test-" + "k" * 50,
        DANHGIA_REQUIRE_SECRET_KEY="1",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return environment


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """Yield the server's base URL and the log lines read so far; stop it afterwards."""
    var_dir = tmp_path_factory.mktemp("gunicorn-var")
    environment = _environment(var_dir)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=REPO,
        env=environment,
        check=True,
        timeout=120,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "deploy/gunicorn.conf.py",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            "127.0.0.1:0",
            "--timeout",
            "30",
            "--graceful-timeout",
            "10",
            "--log-level",
            "info",
        ],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    log: list[str] = []
    url = ""
    deadline = time.monotonic() + START_TIMEOUT
    try:
        # Wait until the master listens and both workers have booted.
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break  # the server exited
            log.append(line.rstrip())
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if match:
                url = match.group(1)
            if url and sum("Booting worker" in entry for entry in log) >= 2:
                break
        assert url, "gunicorn did not start:\n" + "\n".join(log)
        yield url, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # graceful stop of the master and its workers
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()
    assert process.returncode == 0, "gunicorn did not stop cleanly:\n" + "\n".join(log)


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": "vi"})
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (local server)
        return response.status, dict(response.headers.items()), response.read()


def test_two_workers_boot(server: tuple[str, list[str]]) -> None:
    _url, log = server
    assert sum("Booting worker" in line for line in log) == 2


def test_login_page(server: tuple[str, list[str]]) -> None:
    url, _log = server
    status, headers, body = _get(url + "/tai-khoan/dang-nhap/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b'name="password"' in body
    assert b"csrfmiddlewaretoken" in body


def test_static_file_through_whitenoise(server: tuple[str, list[str]]) -> None:
    url, _log = server
    _status, _headers, page = _get(url + "/tai-khoan/dang-nhap/")
    match = re.search(rb'href="(/static/css/app[^"]*\.css)"', page)
    assert match, "the login page links no stylesheet"
    status, headers, body = _get(url + match.group(1).decode())
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert body == (REPO / "static" / "css" / "app.css").read_bytes()


def test_many_requests_answered(server: tuple[str, list[str]]) -> None:
    """Twenty requests in a row all answer (both workers share the listening socket)."""
    url, _log = server
    statuses = [_get(url + "/tai-khoan/dang-nhap/")[0] for _ in range(20)]
    assert statuses == [200] * 20
