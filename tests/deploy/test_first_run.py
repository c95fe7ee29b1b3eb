"""The first-run steps of docs/deploy.md work as written: the `manage.py shell -c` block that
creates the root unit and gives the first login its roles is taken from the document itself."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from danhgia.accounts.models import User
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period
from danhgia.organisations.models import Role, Unit, UnitRole

DEPLOY_MD = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def _first_run_snippet() -> str:
    text = DEPLOY_MD.read_text(encoding="utf-8")
    match = re.search(r"manage\.py shell -c '\n(.*?)\n'\n", text, re.DOTALL)
    assert match, "docs/deploy.md lost its first-run shell block"
    return match.group(1)


@pytest.mark.django_db
def test_first_run_block_creates_root_and_administrator(client) -> None:
    User.objects.create_user(username="quantri", password="mot-mat-khau-dai-2026")
    exec(_first_run_snippet(), {})  # noqa: S102 (our own document)

    root = Unit.objects.get(code="QNM")
    assert root.parent is None
    roles = set(UnitRole.objects.filter(user__username="quantri", unit=root).values_list("role"))
    assert roles == {(Role.SYSTEM_ADMIN,), (Role.HR_OFFICER,)}
    assert AuditLog.objects.count() == 3  # the unit and both roles are in the audit log

    client.force_login(User.objects.get(username="quantri"))
    for url in ["/nhap-xuat/", "/danh-gia/ky/", "/don-vi/"]:
        assert client.get(url).status_code == 200, url

    call_command("open_period", "--organisation", "QNM", "--month", "2026-12")
    assert Period.objects.filter(organisation=root, start__month=12).exists()
