"""A delegation is "not yet in force" before its first day, "in force", "no longer in force"
after its last day, and "revoked": four states, told apart on the page (with a pinned clock)."""

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from danhgia.accounts.models import User
from danhgia.evaluations.models import Delegation
from danhgia.evaluations.services.delegations import delegate_decisions, revoke_delegation
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory

TODAY = datetime.date(2026, 10, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def pinned(time_machine: Any) -> None:
    time_machine.move_to(
        datetime.datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    )


@pytest.fixture
def deputy(world: World) -> User:
    user = UserFactory(username="deputy")
    PersonFactory(full_name="Phó Giám Đốc", unit=world.dept, user=user, title="Phó Giám đốc")
    UnitRole.objects.create(
        user=user, unit=world.dept, role=Role.DEPUTY_HEAD, valid_from=datetime.date(2020, 1, 1)
    )
    return user


def _delegate(world: World, deputy: User, start: datetime.date, end: datetime.date) -> Delegation:
    return delegate_decisions(
        head=world.users["head"],
        deputy=deputy,
        unit=world.dept,
        valid_from=start,
        valid_to=end,
        reason="",
    )


@pytest.mark.django_db
def test_the_four_states_of_a_delegation(
    world: World, deputy: User, pinned: None, login: Any
) -> None:
    # Delegations start today at the earliest and never overlap: one that has ended is
    # dated back after it is made.
    ended = _delegate(world, deputy, TODAY, TODAY)
    Delegation.objects.filter(pk=ended.pk).update(valid_from=TODAY - 9 * DAY, valid_to=TODAY - DAY)
    in_force = _delegate(world, deputy, TODAY, TODAY)
    upcoming = _delegate(world, deputy, TODAY + DAY, TODAY + 7 * DAY)  # from tomorrow
    revoked = _delegate(world, deputy, TODAY + 8 * DAY, TODAY + 9 * DAY)
    revoke_delegation(revoked, by=world.users["head"])

    states = {delegation.pk: delegation.state_on(TODAY) for delegation in Delegation.objects.all()}
    assert states == {
        upcoming.pk: Delegation.State.UPCOMING,
        in_force.pk: Delegation.State.IN_FORCE,
        ended.pk: Delegation.State.ENDED,
        revoked.pk: Delegation.State.REVOKED,
    }
    assert [upcoming.in_force_on(TODAY), in_force.in_force_on(TODAY)] == [False, True]
    assert upcoming.state_on(TODAY + DAY) == Delegation.State.IN_FORCE
    assert in_force.state_on(TODAY + DAY) == Delegation.State.ENDED

    html = login(world.users["head"]).get(reverse("evaluations:delegation_list")).content.decode()

    def shown(delegation: Delegation) -> str:
        found = re.search(
            rf'data-testid="delegation-state-{delegation.pk}"[^>]*>([^<]+)</span>', html
        )
        assert found is not None
        return found.group(1)

    assert [shown(d) for d in (upcoming, in_force, ended, revoked)] == [
        "chưa có hiệu lực",
        "đang có hiệu lực",
        "đã hết hiệu lực",
        "đã thu hồi",
    ]
    assert "không có hiệu lực" not in html
