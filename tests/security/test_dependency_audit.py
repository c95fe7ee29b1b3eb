"""scripts/audit_dependencies.py: a known vulnerability fails CI; an audit that could not run is
a notice (or a failure with PIP_AUDIT_REQUIRED=1), never reported as clean."""

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_pip_audit(monkeypatch: pytest.MonkeyPatch, stdout: str, stderr: str = "") -> None:
    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert "--skip-editable" in command
        return subprocess.CompletedProcess(command, 1, stdout, stderr)

    monkeypatch.setattr(subprocess, "run", run)


def test_a_known_vulnerability_fails(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [
                    {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": ["CVE-2025-1"]}
                ],
            },
            {"name": "openpyxl", "version": "3.1.5", "vulns": []},
        ]
    }
    _fake_pip_audit(monkeypatch, json.dumps(report))
    assert _load().main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE django 5.2.0: PYSEC-2025-1 CVE-2025-1 (fix: 5.2.1)" in out


def test_clean_audit_passes(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    _fake_pip_audit(monkeypatch, json.dumps(report))
    assert _load().main() == 0
    assert "No known vulnerabilities in 1 audited packages" in capsys.readouterr().out


def test_unreachable_service_is_a_notice(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    _fake_pip_audit(monkeypatch, "", "requests.exceptions.ConnectionError: no route")
    assert _load().main() == 0
    assert "NOTICE: dependency audit not done" in capsys.readouterr().out

    monkeypatch.setenv("PIP_AUDIT_REQUIRED", "1")
    assert _load().main() == 1


def test_nothing_audited_is_not_clean(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    _fake_pip_audit(monkeypatch, json.dumps(report))
    assert _load().main() == 0
    out = capsys.readouterr().out
    assert "NOTICE" in out and "No known vulnerabilities" not in out
