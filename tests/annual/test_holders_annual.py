"""The annual decision reads the one holder rule of every round (`evaluations.holders`): a
deputy by delegation and a stand-in for a head who is gone see exactly the annual results they
may decide on the decision page, accept-all acts on exactly those, and the reminders go to
them; a delegation not in force gives nothing anywhere."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.accounts.models import User
from danhgia.annual import permissions
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import accept_all_annual
from danhgia.core import clock
from danhgia.evaluations.models import Delegation
from danhgia.evaluations.services.delegations import delegate_decisions, revoke_delegation
from danhgia.organisations.models import Role, UnitRole
from danhgia.reminders.models import Reminder
from danhgia.reminders.services import send_reminders
from tests.annual.conftest import Decided, OpenYear
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STAFF = ("staff", "manager", "hr")


def _days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def _user_with_role(world: World, key: str, name: str, role: str) -> User:
    user: User = UserFactory(username=key)
    world.people[key] = PersonFactory(full_name=name, unit=world.dept, user=user)
    UnitRole.objects.create(user=user, unit=world.dept, role=role, valid_from=_days(-400))
    world.users[key] = user
    return user


@pytest.fixture
def year(world: World, decided: Decided, open_year: OpenYear) -> AnnualPeriod:
    """2025 of the department's staff, manager and hr (decided by the head), open."""
    for key in STAFF:
        decided(world.people[key], range(1, 13), 80)
    return open_year()


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _decidable_rows(client: Client, year: AnnualPeriod, world: World, user: User) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("annual:decision_page", args=[year.pk, world.dept.pk]))
    if response.status_code in (403, 404):
        return set()
    assert response.status_code == 200
    return {row["sheet"].person.full_name for row in response.context["rows"] if row["can_decide"]}


def _accepted(year: AnnualPeriod, world: World, user: User) -> set[str]:
    result = accept_all_annual(year, world.dept, by=_fresh(user))
    return {sheet.person.full_name for sheet in result.decided} | {
        skipped.sheet.person.full_name for skipped in result.skipped
    }


def _reminded(year: AnnualPeriod) -> dict[str, int]:
    send_reminders(year.decision_due - datetime.timedelta(days=1))
    rows = Reminder.objects.filter(rule="annual_decision", step="before", channel="app")
    return dict(rows.values_list("recipient__username", "count"))


def _people(world: World, *keys: str) -> set[str]:
    return {world.people[key].full_name for key in keys}


def _delegate(world: World, deputy: User) -> Delegation:
    return delegate_decisions(
        head=world.users["head"],
        deputy=deputy,
        unit=world.dept,
        valid_from=clock.today(),
        valid_to=_days(30),
        reason="Giám đốc đi công tác",
    )


def test_a_deputy_decides_exactly_the_heads_annual_results_of_the_delegated_unit(
    world: World, year: AnnualPeriod, client: Client
) -> None:
    deputy = _user_with_role(world, "deputy", "Phó Giám Đốc", Role.DEPUTY_HEAD)
    _delegate(world, deputy)
    named = set(
        AnnualSheet.objects.filter(annual_period=year, decider=world.users["head"]).values_list(
            "person__full_name", flat=True
        )
    )
    assert named == _people(world, *STAFF)
    assert _decidable_rows(client, year, world, deputy) == named
    assert _decidable_rows(client, year, world, world.users["head"]) == named
    # The other department's head holds none of them.
    assert _decidable_rows(client, year, world, world.users["head_other"]) == set()
    sheet = AnnualSheet.objects.get(annual_period=year, person=world.people["staff"])
    assert permissions.can_decide(_fresh(deputy), sheet)
    assert _reminded(year) == {"deputy": 3, "head": 3}
    assert _accepted(year, world, deputy) == named
    decided = AnnualSheet.objects.filter(annual_period=year, status=AnnualSheet.Status.DECIDED)
    assert set(decided.values_list("decided_by__username", flat=True)) <= {"deputy"}


@pytest.mark.parametrize("ending", ["revoked", "expired"])
def test_a_delegation_not_in_force_gives_no_annual_result(
    world: World, year: AnnualPeriod, client: Client, ending: str
) -> None:
    deputy = _user_with_role(world, "deputy", "Phó Giám Đốc", Role.DEPUTY_HEAD)
    delegation = _delegate(world, deputy)
    if ending == "revoked":
        revoke_delegation(delegation, by=world.users["head"])
    else:
        Delegation.objects.filter(pk=delegation.pk).update(valid_from=_days(-9), valid_to=_days(-1))
    assert _decidable_rows(client, year, world, deputy) == set()
    assert "deputy" not in _reminded(year)
    assert _accepted(year, world, deputy) == set()


def test_an_acting_head_stands_in_for_a_head_who_is_gone(
    world: World, year: AnnualPeriod, client: Client
) -> None:
    acting = _user_with_role(world, "acting", "Quyền Giám Đốc", Role.HEAD)
    UnitRole.objects.filter(user=acting).update(acting=True)
    # While the head is in office, the acting head holds none of the head's results.
    assert _decidable_rows(client, year, world, acting) & _people(world, *STAFF) == set()
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=_days(-1))
    assert _decidable_rows(client, year, world, acting) >= _people(world, *STAFF)
    assert _decidable_rows(client, year, world, world.users["head"]) == set()
    reminded = _reminded(year)
    assert "head" not in reminded and reminded["acting"] >= 3
    assert _accepted(year, world, acting) >= _people(world, *STAFF)
