"""The month-end load test with its faults, small: 40 staff, their 4 managers and 2 heads
through bench/load/month_end.py (gunicorn with 4 workers, locust), gunicorn SIGKILLed once and
the database cut for 3 seconds. Nothing acknowledged is lost, nothing is written twice, and the
users met the faults and retried.

PostgreSQL only: the run copies a template database and cuts the connections to the server.
The databases are `danhgia_load_ci_<worker>_template` and `danhgia_load_ci_<worker>` on
DATABASE_URL's server; both are dropped afterwards. About 90 s.
"""

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("load_database", REPO / "bench/load/database.py")
assert _spec is not None and _spec.loader is not None
database = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(database)

# One pair of databases per test worker: `make test` keeps the module on one worker, so the run
# is built once, but the names must not clash with another worker's or run's (a developer's
# `--dist load` may still spread the module, and two runs on one name drop each other's).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEMPLATE = f"danhgia_load_ci_{WORKER}_template"
DATABASE = f"danhgia_load_ci_{WORKER}"
STAFF = 40

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the month-end load test needs PostgreSQL (DATABASE_URL=postgres://…): it copies "
        "a template database and cuts the application's connections to the server",
    ),
]


SEED = ["--users", str(STAFF), "--divisions", "2", "--database", TEMPLATE]
FAULTS = ["--kill-at", "20", "--cut-db-at", "40", "--cut-for", "3"]
PACE = ["--think", "0.2,0.6", "--poll", "1,2", "--spawn-rate", "20", "--patience", "60"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The orchestrator's exit, output and report (report.json)."""
    out = tmp_path_factory.mktemp("month-end")
    server = database.server_from_environment()
    try:
        seeded = subprocess.run(
            [sys.executable, "bench/load/seed.py", *SEED],
            cwd=REPO,
            timeout=300,
            capture_output=True,
            text=True,
        )
        if seeded.returncode != 0:  # say why: the seed's own error, not only its exit status
            pytest.fail(f"bench/load/seed.py failed:\n{seeded.stdout}\n{seeded.stderr}")
        done = subprocess.run(
            [
                sys.executable,
                "bench/load/month_end.py",
                *["--template", TEMPLATE, "--database", DATABASE, "--out", str(out)],
                *FAULTS,
                *PACE,
                *["--double-share", "0.15", "--max-time", "600"],
            ],
            cwd=REPO,
            timeout=900,
            capture_output=True,
            text=True,
        )
        yield done, json.loads((out / "report.json").read_text(encoding="utf-8"))
    finally:
        database.drop(server, DATABASE)
        database.drop(server, TEMPLATE)


def test_nothing_acknowledged_is_lost_or_written_twice(run: tuple[Any, dict[str, Any]]) -> None:
    done, report = run
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["lost"] == {"submit": 0, "review": 0, "decide": 0}
    assert report["duplicated"] == {"submit": 0, "review": 0, "decide": 0}
    assert report["unlogged"] == {"submit": 0, "review": 0, "decide": 0}
    assert report["unexplained_errors"] == []
    # Every audit row committed under the faults is chained once: the chain verifies.
    assert report["audit_chain"]["verified"], report["audit_chain"]
    assert report["audit_chain"]["rows"] >= report["acknowledged"]["submit"]
    # Nearly everyone got through despite the faults (a person gives up after 40 attempts).
    assert report["acknowledged"]["submit"] >= 0.9 * STAFF
    assert report["acknowledged"]["review"] >= 0.9 * STAFF
    assert report["in_database"]["decide"] >= 0.9 * STAFF
    assert "Month-end load test" in done.stdout


def test_users_met_the_faults_and_retried(run: tuple[Any, dict[str, Any]]) -> None:
    _, report = run
    summary = report["summary"]
    assert report["faults"]["kill"] is not None
    assert report["faults"]["cut"] is not None
    # The kill broke connections; people pressed reload and carried on.
    assert summary["retries_by_kind"].get("connection", 0) > 0
    killed, listening = report["faults"]["kill"]
    assert any(
        event["kind"] == "connection" and killed <= event["time"] for event in summary["events"]
    )
    assert listening - killed < 30


def test_double_clicks_were_answered_twice_and_written_once(
    run: tuple[Any, dict[str, Any]],
) -> None:
    _, report = run
    summary = report["summary"]
    assert summary["double_submitters"] > 0
    # Both clicks of a double submission come back to the sheet page; the sheet counts once.
    responses = summary["acknowledged"]["submit"]
    assert responses == report["acknowledged"]["submit"] + summary["double_submitters"]
