"""Every URL × every persona: the status each must get.

Out of scope is 404, in scope but not allowed is 403, anonymous is sent to the login page
(302). A URL pattern without a row here fails `test_every_url_has_a_row`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from danhgia.organisations.models import ImportBatch, Role, UnitRole
from tests.conftest import World
from tests.factories import PersonFactory

PERSONAS = [
    "anonymous",
    "staff",
    "staff_other",
    "manager",
    "head",
    "head_other",
    "hr",
    "supervisor",
]


@dataclass
class Row:
    name: str
    expect: str  # one status per persona, in PERSONAS order
    args: Callable[[World], list[Any]] = lambda world: []
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    def statuses(self) -> dict[str, int]:
        codes = [int(code) for code in self.expect.split()]
        assert len(codes) == len(PERSONAS), self.name
        return dict(zip(PERSONAS, codes, strict=True))


def _manager_role(world: World) -> list[Any]:
    return [UnitRole.objects.get(unit=world.division, role=Role.MANAGER).pk]


def _person_without_login(world: World) -> list[Any]:
    return [PersonFactory(unit=world.division, full_name="Bùi Thị Mới").pk]


def _hr_import(world: World) -> list[Any]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    batch = ImportBatch(
        kind="people",
        original_name="nhan-su.csv",
        sha256="0" * 64,
        uploaded_by=world.users["hr"],
        uploaded_at=timezone.now(),
        status=ImportBatch.Status.REJECTED,
        errors=[],
    )
    batch.file.save("nhan-su.csv", ContentFile(b"x"), save=False)
    batch.save()
    return [batch.pk]


ROWS = [
    Row("home", "302 200 200 200 200 200 200 200"),
    Row("set_language", "302 302 302 302 302 302 302 302", method="post", data={"language": "vi"}),
    Row("accounts:login", "200 302 302 302 302 302 302 302"),
    Row("accounts:logout", "302 302 302 302 302 302 302 302", method="post"),
    Row("accounts:password_change", "302 200 200 200 200 200 200 200"),
    Row("accounts:password_change_done", "302 200 200 200 200 200 200 200"),
    Row("accounts:password_reset", "200 200 200 200 200 200 200 200"),
    Row("accounts:password_reset_done", "200 200 200 200 200 200 200 200"),
    Row(
        "accounts:password_reset_confirm",
        "200 200 200 200 200 200 200 200",
        args=lambda world: ["MQ", "bad-token"],
    ),
    Row("accounts:password_reset_complete", "200 200 200 200 200 200 200 200"),
    Row("organisations:unit_tree", "302 200 200 200 200 200 200 200"),
    Row("organisations:unit_create", "302 403 403 403 403 403 200 403"),
    Row(
        "organisations:unit_detail",
        "302 404 404 200 200 404 200 200",
        args=lambda world: [world.division.pk],
    ),
    Row(
        "organisations:unit_edit",
        "302 404 404 403 403 404 200 403",
        args=lambda world: [world.division.pk],
    ),
    Row(
        "organisations:role_assign",
        "302 404 404 403 403 404 200 403",
        args=lambda world: [world.division.pk],
    ),
    Row(
        "organisations:role_end",
        "302 404 404 403 403 404 302 403",
        args=_manager_role,
        method="post",
        data={"on": "31/12/2030"},
    ),
    Row("organisations:person_list", "302 200 200 200 200 200 200 200"),
    Row("organisations:person_create", "302 403 403 403 403 403 200 403"),
    Row(
        "organisations:person_detail",
        "302 200 404 200 200 404 200 200",
        args=lambda world: [world.people["staff"].pk],
    ),
    Row(
        "organisations:person_edit",
        "302 403 404 403 403 404 200 403",
        args=lambda world: [world.people["staff"].pk],
    ),
    Row(
        "organisations:login_create",
        "302 404 404 403 403 404 302 403",
        args=_person_without_login,
        method="post",
    ),
    Row("organisations:import_start", "302 403 403 403 403 403 200 403"),
    Row(
        "organisations:import_template",
        "302 403 403 403 403 403 200 403",
        args=lambda world: ["people"],
    ),
    Row("organisations:import_preview", "302 404 404 404 404 404 200 404", args=_hr_import),
    Row(
        "organisations:export_data",
        "302 403 403 403 403 403 200 403",
        args=lambda world: ["people"],
    ),
]

ROWS_BY_NAME = {row.name: row for row in ROWS}


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row() -> None:
    missing = sorted(set(_url_names(get_resolver())) - set(ROWS_BY_NAME))
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_status(row: Row, persona: str, world: World, login: Any) -> None:
    client = login(None if persona == "anonymous" else world.users[persona])
    url = reverse(row.name, args=row.args(world))
    response = getattr(client, row.method)(url, row.data)
    assert response.status_code == row.statuses()[persona], (url, persona)
