"""Who may grant what (organisations.permissions): nobody grants a role above their own or
outside their units, nobody grants or ends a role of their own, only a system administrator
makes a system administrator; every grant and end is audited and notified to the person.

The rules hold in the service (whoever calls it), the form offers only what is allowed, and a
forbidden POST answers 403 with the reason in Vietnamese.
"""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from danhgia.accounts.models import User
from danhgia.core.models import AuditLog, Notification
from danhgia.organisations import services
from danhgia.organisations.models import Role, Unit, UnitRole
from danhgia.organisations.permissions import ROLE_RANK, grantable_roles
from tests.conftest import SINCE, World
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 1)
EVERY_ROLE_BUT_ADMIN = [role for role in ROLE_RANK if role != Role.SYSTEM_ADMIN]


def _dept_hr(world: World, include_subunits: bool = True) -> User:
    """An HR officer of Sở Nội vụ only (the world's `hr` covers the whole province)."""
    user = UserFactory(username="hr_snv")
    PersonFactory(user=user, unit=world.dept, full_name="Lý Thị Nhân Sự")
    UnitRole.objects.create(
        user=user,
        unit=world.dept,
        role=Role.HR_OFFICER,
        valid_from=SINCE,
        include_subunits=include_subunits,
    )
    return user


def _grant(by: User, grantee: User, unit: Unit, role: str, **options: Any) -> UnitRole:
    return services.assign_role(grantee, unit, role, by=by, valid_from=DAY, **options)


def _post_grant(client: Any, unit: Unit, person_pk: int, role: str, **extra: str) -> Any:
    data = {"person": person_pk, "role": role, "valid_from": "01/11/2026", **extra}
    return client.post(reverse("organisations:role_assign", args=[unit.pk]), data)


# The table


def test_who_may_grant_what(world: World) -> None:
    dept_hr = _dept_hr(world)
    assert grantable_roles(world.users["admin"], world.division) == ROLE_RANK
    assert grantable_roles(world.users["hr"], world.division) == EVERY_ROLE_BUT_ADMIN
    assert grantable_roles(dept_hr, world.division) == EVERY_ROLE_BUT_ADMIN
    assert grantable_roles(dept_hr, world.dept_other) == []
    assert grantable_roles(dept_hr, world.province) == []
    for key in ("head", "manager", "supervisor", "staff"):
        assert grantable_roles(world.users[key], world.division) == []


# Above one's own role


@pytest.mark.parametrize("granter", ["hr", "dept_hr"])
def test_only_a_system_administrator_makes_a_system_administrator(
    world: World, granter: str
) -> None:
    by = _dept_hr(world) if granter == "dept_hr" else world.users[granter]
    with pytest.raises(services.RoleGrantForbidden, match="quản trị hệ thống"):
        _grant(by, world.users["staff"], world.division, Role.SYSTEM_ADMIN)
    assert not UnitRole.objects.filter(role=Role.SYSTEM_ADMIN, user=world.users["staff"]).exists()
    made = _grant(world.users["admin"], world.users["staff"], world.province, Role.SYSTEM_ADMIN)
    assert made.role == Role.SYSTEM_ADMIN


@pytest.mark.parametrize("role", EVERY_ROLE_BUT_ADMIN)
def test_an_hr_officer_grants_roles_up_to_its_own_to_someone_else(world: World, role: str) -> None:
    granted = _grant(world.users["hr"], world.users["staff"], world.division, role)
    assert (granted.user, granted.role) == (world.users["staff"], role)


@pytest.mark.parametrize("key", ["head", "manager", "supervisor", "staff"])
def test_roles_that_grant_nothing_cannot_grant(world: World, key: str) -> None:
    with pytest.raises(services.RoleGrantForbidden):
        _grant(world.users[key], world.users["staff"], world.division, Role.OFFICE)


# Oneself


@pytest.mark.parametrize("key", ["hr", "admin"])
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.HEAD, Role.HR_OFFICER, Role.OFFICE])
def test_nobody_grants_a_role_to_themselves(world: World, key: str, role: str) -> None:
    user = world.users[key]
    with pytest.raises(services.RoleGrantForbidden):
        _grant(user, user, world.dept, role)
    assert UnitRole.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("key", ["hr", "admin"])
def test_nobody_ends_their_own_role(world: World, key: str) -> None:
    own = UnitRole.objects.get(user=world.users[key])
    with pytest.raises(services.RoleGrantForbidden, match="của chính mình"):
        services.end_role(own, on=DAY, by=world.users[key])
    own.refresh_from_db()
    assert own.valid_to is None


# Scope


def test_a_department_hr_officer_grants_only_within_its_department(world: World) -> None:
    dept_hr = _dept_hr(world)
    staff, staff_other = world.users["staff"], world.users["staff_other"]
    assert _grant(dept_hr, staff, world.division, Role.MANAGER).unit == world.division
    for unit in (world.dept_other, world.division_other, world.province):
        with pytest.raises(services.RoleGrantForbidden):
            _grant(dept_hr, staff, unit, Role.MANAGER)
    # A person of another department, even in a unit of its own.
    with pytest.raises(services.RoleGrantForbidden):
        _grant(dept_hr, staff_other, world.division, Role.MANAGER)


def test_an_hr_officer_of_one_unit_only_grants_no_sub_units(world: World) -> None:
    dept_hr = _dept_hr(world, include_subunits=False)
    staff = world.users["staff"]
    with pytest.raises(services.RoleGrantForbidden):
        _grant(dept_hr, staff, world.division, Role.OFFICE, include_subunits=False)
    with pytest.raises(services.RoleGrantForbidden):
        _grant(dept_hr, world.users["head"], world.dept, Role.OFFICE, include_subunits=True)
    granted = _grant(dept_hr, world.users["head"], world.dept, Role.OFFICE, include_subunits=False)
    assert granted.unit == world.dept


def test_ending_a_role_takes_the_power_to_grant_it(world: World) -> None:
    dept_hr = _dept_hr(world)
    admin_role = UnitRole.objects.get(user=world.users["admin"])
    province_hr = UnitRole.objects.get(user=world.users["hr"])
    other_head = UnitRole.objects.get(user=world.users["head_other"])
    with pytest.raises(services.RoleGrantForbidden):
        services.end_role(admin_role, on=DAY, by=world.users["hr"])
    for role in (province_hr, other_head):
        with pytest.raises(services.RoleGrantForbidden):
            services.end_role(role, on=DAY, by=dept_hr)
    manager = UnitRole.objects.get(user=world.users["manager"])
    assert services.end_role(manager, on=DAY, by=dept_hr).valid_to == DAY
    assert services.end_role(province_hr, on=DAY, by=world.users["admin"]).valid_to == DAY


# Audit and notification


def test_grants_and_ends_are_audited_and_notified(world: World) -> None:
    hr, staff = world.users["hr"], world.users["staff"]
    role = _grant(hr, staff, world.division, Role.MANAGER)
    services.end_role(role, on=datetime.date(2026, 12, 31), by=hr)
    logs = AuditLog.objects.filter(object_id=str(role.pk)).order_by("pk")
    assert [(log.action, log.actor_id, log.data["role"], log.data["user"]) for log in logs] == [
        ("role.assigned", hr.pk, "manager", "staff"),
        ("role.ended", hr.pk, "manager", "staff"),
    ]
    notices = Notification.objects.filter(recipient=staff).order_by("pk")
    assert [(notice.kind, notice.message) for notice in notices] == [
        (
            "role.assigned",
            "Bạn được giao vai trò “quản lý trực tiếp” tại Phòng Công chức từ ngày 01/11/2026.",
        ),
        (
            "role.ended",
            "Vai trò “quản lý trực tiếp” của bạn tại Phòng Công chức kết thúc ngày 31/12/2026.",
        ),
    ]
    url = reverse("organisations:person_detail", args=[world.people["staff"].pk])
    assert {notice.url for notice in notices} == {url}


def test_a_refused_grant_changes_nothing(world: World) -> None:
    hr = world.users["hr"]
    with pytest.raises(services.RoleGrantForbidden):
        _grant(hr, hr, world.province, Role.SYSTEM_ADMIN)
    assert not AuditLog.objects.exists()
    assert not Notification.objects.exists()


# The pages


def test_the_form_offers_only_allowed_roles_and_other_people(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    page = client.get(reverse("organisations:role_assign", args=[world.division.pk]))
    form = page.context["form"]
    roles = [value for value, _label in form.fields["role"].widget.choices]
    people = [str(value) for value, _label in form.fields["person"].widget.choices if value]
    assert sorted(roles) == sorted(EVERY_ROLE_BUT_ADMIN)
    assert str(world.people["hr"].pk) not in people
    assert str(world.people["staff"].pk) in people
    assert 'value="system_admin"' not in page.content.decode()
    admin_page = login(world.users["admin"]).get(
        reverse("organisations:role_assign", args=[world.division.pk])
    )
    assert 'value="system_admin"' in admin_page.content.decode()


@pytest.mark.parametrize(
    ("who", "role", "message"),
    [
        ("hr", Role.SYSTEM_ADMIN, "Chỉ quản trị hệ thống mới giao được vai trò quản trị hệ thống."),
        ("self", Role.HEAD, "Không ai tự giao hoặc tự kết thúc vai trò của chính mình"),
        ("self", Role.SYSTEM_ADMIN, "Không ai tự giao hoặc tự kết thúc vai trò của chính mình"),
    ],
)
def test_a_forbidden_post_is_a_403_with_the_reason(
    world: World, login: Any, who: str, role: str, message: str
) -> None:
    client = login(world.users["hr"])
    person = world.people["hr"] if who == "self" else world.people["staff"]
    response = _post_grant(client, world.division, person.pk, role, include_subunits="on")
    assert response.status_code == 403
    assert message in response.content.decode()
    assert UnitRole.objects.filter(role=role, unit=world.division).count() == 0


def test_a_forbidden_post_outside_the_scope_is_a_403(world: World, login: Any) -> None:
    client = login(_dept_hr(world))
    # Lê Thị Bình works in Sở Tài chính: not the department HR officer's to appoint.
    response = _post_grant(client, world.division, world.people["staff_other"].pk, Role.MANAGER)
    assert response.status_code == 200  # not among the people offered: the form refuses her
    assert "person" in response.context["form"].errors
    assert not UnitRole.objects.filter(user=world.users["staff_other"]).exists()


def test_ending_ones_own_role_on_the_page_is_a_403(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    own = UnitRole.objects.get(user=world.users["hr"])
    response = client.post(reverse("organisations:role_end", args=[own.pk]), {"on": "31/12/2026"})
    assert response.status_code == 403
    assert "Không ai tự giao hoặc tự kết thúc vai trò của chính mình" in response.content.decode()
    own.refresh_from_db()
    assert own.valid_to is None


def test_the_unit_page_offers_end_role_only_where_allowed(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    page = client.get(reverse("organisations:unit_detail", args=[world.province.pk]))
    offered = {role.user.username: role.can_end for role in page.context["roles"]}
    assert offered == {"hr": False, "supervisor": True, "admin": False}
