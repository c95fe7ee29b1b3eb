"""Who manages and who decides for a person in a month: edge cases."""

import datetime

import pytest

from danhgia.organisations.authority import decider_for, manager_for, month_bounds
from danhgia.organisations.models import Role, UnitKind, UnitRole
from tests.conftest import World
from tests.factories import PersonFactory, UnitFactory, UserFactory

NOV = datetime.date(2026, 11, 1)


def _head(user, unit, **extra):  # type: ignore[no-untyped-def]
    extra.setdefault("valid_from", datetime.date(2020, 1, 1))
    return UnitRole.objects.create(user=user, unit=unit, role=Role.HEAD, **extra)


@pytest.fixture
def province_head(world: World):  # type: ignore[no-untyped-def]
    user = UserFactory(username="chutich")
    PersonFactory(full_name="Chủ Tịch Tỉnh", unit=world.province, user=user)
    _head(user, world.province)
    return user


def test_month_bounds() -> None:
    assert month_bounds(datetime.date(2024, 2, 17)) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )


@pytest.mark.django_db
def test_head_of_own_unit_decides_for_division_staff(world: World) -> None:
    assert decider_for(world.people["staff"], NOV) == world.users["head"]


@pytest.mark.django_db
def test_division_manager_reviews_staff_and_head_reviews_manager(world: World) -> None:
    assert manager_for(world.people["staff"], NOV) == world.users["manager"]
    assert manager_for(world.people["manager"], NOV) == world.users["head"]
    assert decider_for(world.people["manager"], NOV) == world.users["head"]


@pytest.mark.django_db
def test_head_of_superior_unit_decides_for_a_head(world: World, province_head) -> None:  # type: ignore[no-untyped-def]
    assert decider_for(world.people["head"], NOV) == province_head
    assert manager_for(world.people["head"], NOV) == province_head


@pytest.mark.django_db
def test_nobody_above_the_top(world: World) -> None:
    assert decider_for(world.people["head"], NOV) is None


@pytest.mark.django_db
def test_vacant_head_passes_decision_up(world: World, province_head) -> None:  # type: ignore[no-untyped-def]
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=datetime.date(2026, 10, 31))
    assert decider_for(world.people["staff"], NOV) == province_head
    # October still had the head.
    assert decider_for(world.people["staff"], datetime.date(2026, 10, 1)) == world.users["head"]


@pytest.mark.django_db
def test_acting_head_decides_when_the_post_is_vacant(world: World, province_head) -> None:  # type: ignore[no-untyped-def]
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=datetime.date(2026, 10, 31))
    deputy = UserFactory(username="pho")
    PersonFactory(full_name="Phó Giám Đốc", unit=world.dept, user=deputy)
    _head(deputy, world.dept, acting=True, valid_from=datetime.date(2026, 11, 1))
    assert decider_for(world.people["staff"], NOV) == deputy


@pytest.mark.django_db
def test_head_in_office_at_month_end_wins_a_mid_month_handover(world: World) -> None:
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=datetime.date(2026, 11, 14))
    successor = UserFactory(username="moi")
    PersonFactory(full_name="Giám Đốc Mới", unit=world.dept, user=successor)
    _head(successor, world.dept, valid_from=datetime.date(2026, 11, 15))
    assert decider_for(world.people["staff"], NOV) == successor


@pytest.mark.django_db
def test_substantive_head_wins_over_acting_head_of_same_start(world: World) -> None:
    acting = UserFactory(username="quyen")
    PersonFactory(full_name="Quyền Giám Đốc", unit=world.dept, user=acting)
    _head(acting, world.dept, acting=True)
    assert decider_for(world.people["staff"], NOV) == world.users["head"]


@pytest.mark.django_db
def test_person_heading_two_units(world: World, province_head) -> None:  # type: ignore[no-untyped-def]
    """The head of Sở Nội vụ also heads a public-service unit elsewhere."""
    school = UnitFactory(
        code="TRUONG", name="Trường Thử", parent=world.dept_other, kind=UnitKind.PUBLIC_SERVICE
    )
    _head(world.users["head"], school)
    teacher = PersonFactory(full_name="Giáo Viên", unit=school)
    assert decider_for(teacher, NOV) == world.users["head"]
    # Their own unit is Sở Nội vụ: the province head decides for them, not themself.
    assert decider_for(world.people["head"], NOV) == province_head


@pytest.mark.django_db
def test_a_person_never_decides_for_themself(world: World) -> None:
    """A manager who is also made head of their own division is decided by the dept head."""
    _head(world.users["manager"], world.division)
    assert decider_for(world.people["manager"], NOV) == world.users["head"]
    assert decider_for(world.people["staff"], NOV) == world.users["manager"]
