import datetime

import pytest

from danhgia.core.models import AuditLog
from danhgia.organisations import services
from danhgia.organisations.models import Person, Role, Unit, UnitKind
from tests.conftest import World


@pytest.mark.django_db
def test_save_unit_sets_path_and_logs(world: World) -> None:
    unit = services.save_unit(
        Unit(code="SNV-TT", name="Thanh tra Sở", kind=UnitKind.DIVISION, parent=world.dept),
        by=world.users["hr"],
    )
    assert unit.path == f"{world.dept.path}{unit.pk}/"
    assert unit.depth == 2
    entry = AuditLog.objects.get(action="unit.created")
    assert (entry.actor, entry.object_id) == (world.users["hr"], str(unit.pk))


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(world: World) -> None:
    dept = Unit.objects.get(pk=world.dept.pk)
    dept.parent = world.dept_other
    services.save_unit(dept, by=world.users["hr"])
    division = Unit.objects.get(pk=world.division.pk)
    assert division.path == f"{world.dept_other.path}{dept.pk}/{division.pk}/"
    entry = AuditLog.objects.get(action="unit.updated")
    assert entry.data["before"]["parent"] == "TINH"
    assert entry.data["after"]["parent"] == "STC"


@pytest.mark.django_db
def test_a_unit_cannot_go_under_its_own_subunit(world: World) -> None:
    dept = Unit.objects.get(pk=world.dept.pk)
    dept.parent = world.division
    with pytest.raises(services.OrganisationError, match="dưới chính nó"):
        services.save_unit(dept, by=None)
    assert Unit.objects.get(pk=world.dept.pk).parent_id == world.province.pk


@pytest.mark.django_db
def test_merge_keeps_history(world: World) -> None:
    services.merge_unit(world.dept_other, into=world.dept, on=datetime.date(2025, 7, 1), by=None)
    merged = Unit.objects.get(pk=world.dept_other.pk)
    assert (merged.valid_to, merged.merged_into_id) == (datetime.date(2025, 6, 30), world.dept.pk)
    assert not merged.is_active_on(datetime.date(2025, 7, 1))
    assert merged.is_active_on(datetime.date(2025, 6, 30))
    assert AuditLog.objects.filter(action="unit.merged").count() == 1


@pytest.mark.django_db
def test_save_person_normalises_and_records_changes(world: World) -> None:
    import unicodedata

    person = world.people["staff"]
    person.full_name = unicodedata.normalize("NFD", "Nguyễn  Văn Ân")
    services.save_person(person, by=world.users["hr"])
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Ân"
    assert person.search_text == "nguyen van an e-staff"
    entry = AuditLog.objects.get(action="person.updated")
    assert entry.data["changes"] == {"full_name": ["Nguyễn Văn An", "Nguyễn Văn Ân"]}


@pytest.mark.django_db
def test_employee_code_is_unique(world: World) -> None:
    clone = Person(
        full_name="Trùng Mã", employee_code="E-staff", staff_category="cong_chuc",
        unit=world.division,
    )  # fmt: skip
    with pytest.raises(services.OrganisationError, match="E-staff"):
        services.save_person(clone, by=None)


@pytest.mark.django_db
def test_create_login_once(world: World) -> None:
    person = services.save_person(
        Person(full_name="Bùi Thị Mới", employee_code="NV-9", staff_category="cong_chuc",
               unit=world.division, email="moi@example.vn"),
        by=None,
    )  # fmt: skip
    user = services.create_login(person, by=world.users["hr"])
    assert (user.username, user.email, user.has_usable_password()) == (
        "nv-9",
        "moi@example.vn",
        False,
    )
    with pytest.raises(services.OrganisationError):
        services.create_login(person, by=None)


@pytest.mark.django_db
def test_roles_are_assigned_and_ended_with_audit(world: World) -> None:
    role = services.assign_role(
        world.users["staff"], world.division, Role.MANAGER, by=world.users["hr"],
        valid_from=datetime.date(2026, 1, 1),
    )  # fmt: skip
    services.end_role(role, on=datetime.date(2026, 6, 30), by=world.users["hr"])
    role.refresh_from_db()
    assert role.valid_to == datetime.date(2026, 6, 30)
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "role.assigned",
        "role.ended",
    ]
    with pytest.raises(services.OrganisationError):
        services.end_role(role, on=datetime.date(2025, 1, 1), by=None)


@pytest.mark.django_db
def test_rebuild_paths_detects_a_cycle(world: World) -> None:
    Unit.objects.filter(pk=world.province.pk).update(parent=world.division)
    with pytest.raises(services.OrganisationError, match="vòng lặp"):
        services.rebuild_unit_paths()
