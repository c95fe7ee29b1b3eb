from typing import Any

from danhgia.organisations.models import ImportBatch, Role, UnitRole
from tests.conftest import World
from tests.factories import PersonFactory
from tests.matrix import Row


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
    Row("home", "200 200 200 200 200 200 200 200"),
    Row("set_language", "302 302 302 302 302 302 302 302", method="post", data={"language": "vi"}),
    Row("accounts:login", "200 302 302 302 302 302 302 302"),
    Row("accounts:logout", "302 302 302 302 302 302 302 302", method="post"),
    # The SSO failure page exists only with OIDC configured (tests/accounts/test_oidc.py).
    Row("accounts:sso_unknown", "404 404 404 404 404 404 404 404"),
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
