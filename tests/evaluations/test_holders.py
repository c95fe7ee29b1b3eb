"""Who holds a sheet now (`evaluations/holders.py`): a deputy by delegation and a stand-in see
exactly the sheets they may act on, on every page (my sheets, the decision list and page,
accept-all, the reminders); an expired or revoked delegation gives nothing; and every list
agrees with the predicates, and both with the rule written out, on every sheet of a small
generated organisation.

World of October (reviewer → decider): staff (manager → head), manager, hr, deputy (head →
head, so the head decides them straight from "submitted"), head (nobody → nobody: the heads
covering the department stand in), staff_other (head_other → head_other).
"""

import datetime
import random
from collections import Counter
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.evaluations import permissions
from danhgia.evaluations.holders import (
    delegations_in_force,
    holder_counts,
    holds_decision,
    holds_for_decision,
    holds_for_review,
    holds_review,
)
from danhgia.evaluations.models import Delegation, Period, Sheet
from danhgia.evaluations.queries import sheets_to_review
from danhgia.evaluations.services.decisions import accept_all_proposals
from danhgia.evaluations.services.delegations import delegate_decisions, revoke_delegation
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, Unit, UnitKind, UnitRole
from danhgia.reminders.models import Reminder
from danhgia.reminders.services import send_reminders
from tests.conftest import VIETNAM, World
from tests.evaluations.conftest import OpenOctober, scores, sheet_of
from tests.factories import PersonFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "pinned")]

GOOD = scores(5, 5, 5)
NOW = datetime.datetime(2026, 11, 5, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def pinned(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


def _days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def _user_with_role(world: World, key: str, name: str, role: str, since: datetime.date) -> User:
    user = UserFactory(username=key)
    world.people[key] = PersonFactory(full_name=name, unit=world.dept, user=user)
    UnitRole.objects.create(user=user, unit=world.dept, role=role, valid_from=since)
    world.users[key] = user
    return user


@pytest.fixture
def deputy(world: World) -> User:
    return _user_with_role(world, "deputy", "Phó Giám Đốc", Role.DEPUTY_HEAD, _days(-400))


def _fresh(user: User) -> User:
    """The user as a new request loads them: no cached roles or delegations."""
    return User.objects.get(pk=user.pk)


def _submit(world: World, period: Period, key: str) -> Sheet:
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=GOOD, proposed_level="good")
    return submit_self_evaluation(sheet, by=owner)


def _delegate(world: World, deputy: User) -> Delegation:
    return delegate_decisions(
        head=world.users["head"],
        deputy=deputy,
        unit=world.dept,
        valid_from=clock.today(),
        valid_to=_days(30),
        reason="Giám đốc đi công tác",
    )


def _october_waiting(world: World, open_october: OpenOctober) -> Period:
    """Staff reviewed by the manager; manager, hr, deputy (if any) and head submitted."""
    period = open_october()
    for key in ("staff", "manager", "hr", "deputy", "head"):
        if key in world.people:
            _submit(world, period, key)
    submit_review(
        sheet_of(period, world.people["staff"]),
        by=world.users["manager"],
        scores=GOOD,
        proposed_level="good",
    )
    return period


def _names(sheets: list[Sheet] | set[Sheet]) -> set[str]:
    return {sheet.person.full_name for sheet in sheets}


def _people(world: World, *keys: str) -> set[str]:
    return {world.people[key].full_name for key in keys}


class Pages:
    """What one user's pages show: the sheets waiting for their review (my sheets), the
    waiting count of each unit of the decision list, the rows they may decide on the
    department's decision page, and the sheets accept-all acts on."""

    def __init__(self, client: Client, period: Period, unit: Unit) -> None:
        self.client, self.period, self.unit = client, period, unit

    def to_review(self, user: User) -> set[str]:
        self.client.force_login(user)
        response = self.client.get(reverse("evaluations:my_sheets"))
        assert response.status_code == 200
        return _names(response.context["to_review"])

    def decision_list(self, user: User) -> dict[str, int]:
        self.client.force_login(user)
        response = self.client.get(reverse("evaluations:decision_list"))
        assert response.status_code == 200
        return {unit.code: waiting for _period, unit, waiting in response.context["pairs"]}

    def decidable_rows(self, user: User) -> set[str] | None:
        """None when the page is refused (out of scope: 404, not a decider there: 403)."""
        self.client.force_login(user)
        url = reverse("evaluations:decision_page", args=[self.period.pk, self.unit.pk])
        response = self.client.get(url)
        if response.status_code in (403, 404):
            return None
        assert response.status_code == 200
        return _names([row["sheet"] for row in response.context["rows"] if row["can_decide"]])

    def accept_all(self, user: User) -> set[str]:
        result = accept_all_proposals(self.period, self.unit, by=_fresh(user))
        return _names(list(result.decided) + [skipped.sheet for skipped in result.skipped])


def _decision_reminders(period: Period) -> dict[str, int]:
    """Run the job the day before the decision deadline: {username: count} of the decision
    reminders sent."""
    send_reminders(period.decision_due - datetime.timedelta(days=1))
    rows = Reminder.objects.filter(rule="decision", step="before", channel="app")
    return dict(rows.values_list("recipient__username", "count"))


# A deputy by delegation


def test_a_deputy_sees_and_acts_on_exactly_the_heads_sheets_of_the_delegated_unit(
    world: World, deputy: User, open_october: OpenOctober, client: Client
) -> None:
    _delegate(world, deputy)
    period = _october_waiting(world, open_october)
    pages = Pages(client, period, world.dept)
    # The head reviews manager and hr (and the deputy) themself: so does the deputy, never
    # their own sheet; staff is reviewed, waiting for the decision.
    assert pages.to_review(deputy) == _people(world, "manager", "hr")
    assert pages.decision_list(deputy) == {"SNV": 3}
    assert pages.decidable_rows(deputy) == _people(world, "staff", "manager", "hr")
    # The named reviewer and decider still see theirs.
    assert pages.to_review(world.users["manager"]) == set()
    assert pages.to_review(world.users["head"]) == _people(world, "manager", "hr", "deputy")
    assert pages.decision_list(world.users["head"]) == {"SNV": 4}
    assert pages.decidable_rows(world.users["head"]) == _people(
        world, "staff", "manager", "hr", "deputy"
    )
    assert _decision_reminders(period) == {"deputy": 3, "head": 4}
    assert pages.accept_all(deputy) == _people(world, "staff", "manager", "hr")
    # Decided (a proposal equal to the band) or listed with the reason: by the deputy only.
    assert not Sheet.objects.filter(status=Sheet.Status.DECIDED).exclude(decided_by=deputy)


@pytest.mark.parametrize("ending", ["revoked", "expired", "not_yet", "no_longer_deputy"])
def test_a_delegation_not_in_force_gives_nothing_anywhere(
    world: World, deputy: User, open_october: OpenOctober, client: Client, ending: str
) -> None:
    delegation = _delegate(world, deputy)
    period = _october_waiting(world, open_october)
    if ending == "revoked":
        revoke_delegation(delegation, by=world.users["head"])
    elif ending == "expired":
        Delegation.objects.filter(pk=delegation.pk).update(valid_from=_days(-9), valid_to=_days(-1))
    elif ending == "not_yet":
        # Still not in force on the day the reminders are sent (decision_due - 1 = today + 19).
        Delegation.objects.filter(pk=delegation.pk).update(valid_from=_days(25))
    else:
        UnitRole.objects.filter(user=deputy).update(valid_to=_days(-1))
    pages = Pages(client, period, world.dept)
    assert delegations_in_force(_fresh(deputy)) == []
    assert pages.to_review(deputy) == set()
    assert pages.decision_list(deputy) == {}
    assert pages.decidable_rows(deputy) in (None, set())
    assert "deputy" not in _decision_reminders(period)
    assert pages.accept_all(deputy) == set()
    assert Sheet.objects.filter(status=Sheet.Status.DECIDED).count() == 0


# Stand-ins: the named one is gone


def test_an_acting_head_stands_in_for_a_head_who_is_gone_on_every_page(
    world: World, open_october: OpenOctober, client: Client
) -> None:
    period = _october_waiting(world, open_october)
    acting = _user_with_role(world, "acting", "Quyền Giám Đốc", Role.HEAD, _days(-1))
    UnitRole.objects.filter(pk=UnitRole.objects.get(user=acting).pk).update(acting=True)
    pages = Pages(client, period, world.dept)
    # While the head is in office, the acting head holds only the head's own sheet (nobody
    # is named to decide for the head).
    assert pages.decidable_rows(acting) == _people(world, "head")
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=_days(-1))
    everyone = _people(world, "staff", "manager", "hr", "head")
    assert pages.to_review(acting) == _people(world, "manager", "hr", "head")
    assert pages.decision_list(acting) == {"SNV": 4}
    assert pages.decidable_rows(acting) == everyone
    # The head who left holds nothing any more; the other department's head is not over it.
    assert pages.to_review(world.users["head"]) == set()
    assert pages.decision_list(world.users["head"]) == {}
    assert _decision_reminders(period) == {"acting": 4}
    assert pages.accept_all(acting) == everyone


def test_a_manager_stands_in_for_a_reviewer_who_is_gone(
    world: World, open_october: OpenOctober, client: Client
) -> None:
    period = open_october()
    _submit(world, period, "staff")
    successor = UserFactory(username="successor")
    PersonFactory(full_name="Trưởng Phòng Mới", unit=world.division, user=successor)
    UnitRole.objects.create(
        user=successor, unit=world.division, role=Role.MANAGER, valid_from=_days(-1)
    )
    pages = Pages(client, period, world.dept)
    assert pages.to_review(successor) == set()
    assert pages.to_review(world.users["manager"]) == _people(world, "staff")
    UnitRole.objects.filter(user=world.users["manager"]).update(valid_to=_days(-1))
    assert pages.to_review(successor) == _people(world, "staff")
    # The head also manages over the division: a stand-in too.
    assert pages.to_review(world.users["head"]) == _people(world, "staff")
    assert pages.to_review(world.users["manager"]) == set()
    send_reminders(period.review_due - datetime.timedelta(days=1))
    reminded = Reminder.objects.filter(rule="review", step="before", channel="app")
    assert dict(reminded.values_list("recipient__username", "count")) == {
        "head": 1,
        "successor": 1,
    }


# Every list agrees with every predicate, and both with the rule as written


def _generated(world: World, open_october: OpenOctober, seed: int) -> tuple[Period, list[User]]:
    """A department with two divisions of random staff (some without a login), a gone
    manager and their successor, an acting head, a deputy with a delegation of one division
    and another with an expired one; October's sheets in random states and names."""
    rng = random.Random(seed)
    deputy = _user_with_role(world, "deputy", "Phó Giám Đốc", Role.DEPUTY_HEAD, _days(-400))
    lapsed = _user_with_role(world, "lapsed", "Phó Giám Đốc Hai", Role.DEPUTY_HEAD, _days(-400))
    division_b = UnitFactory(
        code="SNV-TC", name="Phòng Tổ chức", parent=world.dept, kind=UnitKind.DIVISION
    )
    for number in range(6):
        unit = rng.choice([world.division, division_b, world.dept])
        user = UserFactory(username=f"gen{number}") if rng.random() < 0.8 else None
        PersonFactory(full_name=f"Người {number}", unit=unit, user=user)
    manager_b = UserFactory(username="manager_b")
    PersonFactory(full_name="Trưởng Phòng B", unit=division_b, user=manager_b)
    UnitRole.objects.create(
        user=manager_b, unit=division_b, role=Role.MANAGER, valid_from=_days(-400)
    )
    period = open_october()
    UnitRole.objects.filter(user=manager_b).update(valid_to=_days(-1))  # gone since
    successor = UserFactory(username="successor_b")
    PersonFactory(full_name="Trưởng Phòng B Mới", unit=division_b, user=successor)
    UnitRole.objects.create(
        user=successor, unit=division_b, role=Role.MANAGER, valid_from=_days(-1)
    )
    acting = UserFactory(username="acting_other")
    UnitRole.objects.create(
        user=acting, unit=world.dept_other, role=Role.HEAD, acting=True, valid_from=_days(-1)
    )
    UnitRole.objects.filter(user=world.users["head_other"]).update(valid_to=_days(-1))
    Delegation.objects.create(
        head=world.users["head"], deputy=deputy, unit=world.division, valid_from=_days(-2),
        valid_to=_days(5), created_at=NOW,
    )  # fmt: skip
    Delegation.objects.create(
        head=world.users["head"], deputy=lapsed, unit=world.dept, valid_from=_days(-20),
        valid_to=_days(-1), created_at=NOW,
    )  # fmt: skip
    statuses = list(Sheet.Status)
    candidates = [None, world.users["manager"], world.users["head"], manager_b]
    for sheet in Sheet.objects.filter(period=period).order_by("pk"):
        status = rng.choice(statuses)
        changes: dict[str, object] = {"status": status}
        if status == Sheet.Status.DECIDED:
            changes["decided_level"] = "good"
        if rng.random() < 0.3:
            changes["reviewer"] = rng.choice(candidates)
        if rng.random() < 0.2:
            changes["decider"] = rng.choice([None, world.users["head"]])
        Sheet.objects.filter(pk=sheet.pk).update(**changes)
    users = list(User.objects.order_by("pk"))
    return period, users


def _written_rule(field: str, user: User, sheet: Sheet, day: datetime.date) -> bool:
    """The rule of `holders.py` as its docstring states it, in plain Python."""
    roles = permissions.DECIDER_ROLES if field == "decider" else {Role.MANAGER, Role.HEAD}
    named_id = getattr(sheet, f"{field}_id")
    chain = sheet.unit.ancestor_ids

    def in_office(user_id: int | None) -> bool:
        return (
            UnitRole.objects.active_on(day)
            .filter(user_id=user_id, role__in=roles, unit_id__in=chain)
            .exists()
        )

    present = named_id is not None and in_office(named_id)
    if present and named_id == user.pk:
        return True
    is_deputy = UnitRole.objects.active_on(day).filter(user=user, role=Role.DEPUTY_HEAD).exists()
    for delegation in Delegation.objects.filter(deputy=user, revoked_at__isnull=True):
        if (
            present
            and is_deputy
            and delegation.in_force_on(day)
            and delegation.head_id == named_id
            and sheet.unit.path.startswith(delegation.unit.path)
        ):
            return True
    if present:
        return False
    for role in UnitRole.objects.active_on(day).filter(user=user, role__in=roles):
        covers = (
            sheet.unit.path.startswith(role.unit.path)
            if role.include_subunits
            else role.unit_id == sheet.unit_id
        )
        if covers:
            return True
    return False


def _rule_holds(kind: str, user: User, sheet: Sheet, day: datetime.date) -> bool:
    if sheet.person.user_id == user.pk:
        return False
    holds = _written_rule("decider", user, sheet, day)
    if kind == "decision":
        return holds
    by_decider = sheet.reviewer_id is None or sheet.reviewer_id == sheet.decider_id
    return _written_rule("reviewer", user, sheet, day) or (by_decider and holds)


@pytest.mark.parametrize("seed", [1, 2])
def test_lists_predicates_and_the_written_rule_agree_on_every_sheet(
    world: World, open_october: OpenOctober, client: Client, seed: int
) -> None:
    period, users = _generated(world, open_october, seed)
    sheets = list(Sheet.objects.filter(period=period).select_related("person", "unit", "period"))
    day = clock.today()
    checks: dict[str, Callable[[User, Sheet], bool]] = {
        "review": holds_for_review,
        "decision": holds_for_decision,
    }
    for kind, queryset in (("review", holds_review), ("decision", holds_decision)):
        counts: Counter[tuple[int, int]] = Counter()
        for user in users:
            user = _fresh(user)
            listed = set(Sheet.objects.filter(queryset(user)).values_list("pk", flat=True))
            for sheet in sheets:
                expected = _rule_holds(kind, user, sheet, day)
                assert checks[kind](user, sheet) == expected, (kind, user, sheet)
                assert (sheet.pk in listed) == expected, (kind, user, sheet)
                if expected:
                    counts[(period.pk, user.pk)] += 1
        assert holder_counts(kind, Sheet.objects.filter(period=period), day) == counts, kind
    for user in users:
        user = _fresh(user)
        to_review = set(sheets_to_review(user).values_list("pk", flat=True))
        for sheet in sheets:
            assert (sheet.pk in to_review) == permissions.can_review(user, sheet)
        if not UnitRole.objects.filter(user=user).exists():
            continue  # no decision page for them
        for unit in (world.dept, world.dept_other):
            rows = Pages(client, period, unit).decidable_rows(user)
            if rows is None:  # not their page
                continue
            for sheet in sheets:
                if sheet.unit.path.startswith(unit.path):
                    decides = permissions.can_decide(user, sheet)
                    assert (sheet.person.full_name in rows) == decides, (user, sheet)
