"""A head delegates a unit's review and decision to a deputy: the deputy decides for the head
(the head's quota, the deputy named in the audit), never their own sheet; revoked or expired
delegations give nothing; the page to delegate and revoke."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danhgia.accounts.models import User
from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Delegation, Period, Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.delegations import delegate_decisions, revoke_delegation
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_, scores, sheet_of
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english", "english_pages")

GOOD = scores(5, 5, 5)


@pytest.fixture
def deputy(world: World) -> User:
    user = UserFactory(username="deputy")
    world.people["deputy"] = PersonFactory(
        full_name="Phó Giám Đốc", unit=world.dept, user=user, title="Phó Giám đốc"
    )
    UnitRole.objects.create(
        user=user, unit=world.dept, role=Role.DEPUTY_HEAD, valid_from=datetime.date(2020, 1, 1)
    )
    world.users["deputy"] = user
    return user


def _delegate(world: World, deputy: User, days: int = 7, **extra: object) -> Delegation:
    today = timezone.localdate()
    options: dict[str, object] = {
        "head": world.users["head"],
        "deputy": deputy,
        "unit": world.dept,
        "valid_from": today,
        "valid_to": today + datetime.timedelta(days=days),
    }
    options.update(extra)
    return delegate_decisions(**options)  # type: ignore[arg-type]


def _reviewed(world: World, period: Period, key: str = "staff") -> Sheet:
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=GOOD, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(sheet, by=world.users["manager"], scores=GOOD, proposed_level="good")


@pytest.mark.django_db
def test_a_deputy_decides_for_the_head_while_the_delegation_is_in_force(
    world: World, deputy: User, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period)
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=deputy, level="good")
    delegation = _delegate(world, deputy, reason="Giám đốc đi công tác")
    deputy = User.objects.get(pk=deputy.pk)  # a new request: no cached delegations
    assert Notification.objects.filter(recipient=deputy, kind="delegation.created").exists()
    sheet = decide_sheet(sheet_of(period, world.people["staff"]), by=deputy, level="good")
    assert (sheet.decided_by, sheet.decider) == (deputy, world.users["head"])
    entry = AuditLog.objects.get(action="sheet.decided")
    assert entry.actor == deputy
    assert entry.data["on_behalf_of"] == world.users["head"].pk
    created = AuditLog.objects.get(action="delegation.created")
    assert created.data["after"]["unit"] == world.dept.code
    assert delegation.in_force_on(timezone.localdate())


@pytest.mark.django_db
def test_a_deputy_never_decides_their_own_sheet(
    world: World, deputy: User, open_october: OpenOctober
) -> None:
    period = open_october()
    _delegate(world, deputy)
    own = sheet_of(period, world.people["deputy"])
    assert own.decider == world.users["head"]
    save_self_evaluation(own, by=deputy, scores=GOOD, proposed_level="good")
    own = submit_self_evaluation(own, by=deputy)
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(own, by=deputy, level="good")


@pytest.mark.django_db
def test_revoked_or_expired_delegations_give_nothing(
    world: World, deputy: User, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period)
    delegation = _delegate(world, deputy)
    with pytest.raises(EvaluationError, match="Only the head who gave"):
        revoke_delegation(delegation, by=world.users["head_other"])
    revoke_delegation(delegation, by=world.users["head"])
    with pytest.raises(EvaluationError, match="already revoked"):
        revoke_delegation(delegation, by=world.users["hr"])
    deputy = User.objects.get(pk=deputy.pk)  # a new request: no cached delegations
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=deputy, level="good")
    # A delegation whose last day has passed.
    expired = _delegate(world, deputy)
    Delegation.objects.filter(pk=expired.pk).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=9),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    deputy = User.objects.get(pk=deputy.pk)
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=deputy, level="good")
    assert AuditLog.objects.filter(action="delegation.revoked").count() == 1


@pytest.mark.django_db
def test_only_a_head_delegates_to_one_of_their_deputies(world: World, deputy: User) -> None:
    today = timezone.localdate()
    with pytest.raises(EvaluationError, match="Only the head of"):
        delegate_decisions(
            head=world.users["manager"],
            deputy=deputy,
            unit=world.division,
            valid_from=today,
            valid_to=today,
        )
    with pytest.raises(EvaluationError, match="not a deputy head"):
        _delegate(world, world.users["manager"])
    with pytest.raises(EvaluationError, match="not a deputy head"):
        delegate_decisions(
            head=world.users["head_other"],
            deputy=deputy,
            unit=world.dept_other,
            valid_from=today,
            valid_to=today,
        )
    with pytest.raises(EvaluationError, match="other than yourself"):
        _delegate(world, world.users["head"])
    with pytest.raises(EvaluationError, match="today at the earliest"):
        _delegate(world, deputy, valid_from=today - datetime.timedelta(days=1))
    with pytest.raises(EvaluationError, match="before the first day"):
        _delegate(world, deputy, valid_to=today - datetime.timedelta(days=1))
    with pytest.raises(EvaluationError, match="at most one year"):
        _delegate(world, deputy, days=400)
    _delegate(world, deputy)
    with pytest.raises(EvaluationError, match="already delegated"):
        _delegate(world, deputy, days=3)
    assert Delegation.objects.count() == 1


@pytest.mark.django_db
def test_accept_all_by_a_deputy_counts_the_heads_quota(
    world: World, deputy: User, open_october: OpenOctober, make_task: MakeTask
) -> None:
    for key in ("staff", "manager"):
        make_task(key, by="head", done_on=oct_(10), meets_quality=True)
    period = open_october()
    _reviewed(world, period)
    own = sheet_of(period, world.people["manager"])
    save_self_evaluation(own, by=world.users["manager"], scores=GOOD, proposed_level="good")
    submit_self_evaluation(own, by=world.users["manager"])
    _delegate(world, deputy)
    result = accept_all_proposals(period, world.dept, by=deputy)
    assert [sheet.person for sheet in result.decided] == [world.people["staff"]]
    # The manager's sheet is reviewed by the head (nobody else): listed, not decided unseen.
    assert [skipped.sheet.person for skipped in result.skipped] == [world.people["manager"]]
    decided = Sheet.objects.get(person=world.people["staff"], period=period)
    assert decided.decided_by == deputy
    assert decided.total == Decimal("85.00")


@pytest.mark.django_db
def test_the_delegation_page(
    world: World, deputy: User, client: Client, open_october: OpenOctober
) -> None:
    url = reverse("evaluations:delegation_list")
    client.force_login(world.users["head"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delegate to a deputy" in page.content.decode()
    today = timezone.localdate()
    data = {
        "unit": world.dept.pk,
        "deputy": deputy.pk,
        "valid_from": today.isoformat(),
        "valid_to": (today - datetime.timedelta(days=2)).isoformat(),
        "reason": "Nghỉ phép",
    }
    kept = client.post(url, data)
    assert kept.status_code == 422
    assert "Nghỉ phép" in kept.content.decode()  # what was typed is kept
    assert "before the first day" in kept.content.decode()
    data["valid_to"] = (today + datetime.timedelta(days=5)).isoformat()
    assert client.post(url, data).status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.deputy, delegation.unit, delegation.reason) == (
        deputy,
        world.dept,
        "Nghỉ phép",
    )
    # The deputy sees the delegation and the department on their decision list.
    period = open_october()
    client.force_login(deputy)
    assert "Phó Giám Đốc" in client.get(url).content.decode()
    decisions = client.get(reverse("evaluations:decision_list")).content.decode()
    assert reverse("evaluations:decision_page", args=[period.pk, world.dept.pk]) in decisions
    page = client.get(reverse("evaluations:decision_page", args=[period.pk, world.dept.pk]))
    assert page.status_code == 200
    # The deputy cannot delegate further; the head revokes.
    assert client.post(url, data).status_code == 403
    client.force_login(world.users["head"])
    revoke = reverse("evaluations:delegation_revoke", args=[delegation.pk])
    assert client.post(revoke).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_by == world.users["head"]


@pytest.mark.django_db
def test_a_delegation_lapses_when_the_deputy_is_no_longer_deputy(
    world: World, deputy: User, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period)
    _delegate(world, deputy)
    UnitRole.objects.filter(user=deputy).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    deputy = User.objects.get(pk=deputy.pk)
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=deputy, level="good")
