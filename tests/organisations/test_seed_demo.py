"""The demo province: deterministic, idempotent, audited, and shaped for the authority rules."""

import datetime
import unicodedata
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from danhgia.accounts.models import User
from danhgia.core.models import AuditLog
from danhgia.core.text import fold
from danhgia.organisations.authority import decider_for
from danhgia.organisations.demo.province import (
    DEMO_LOGINS,
    PASSWORD,
    demo_logins,
    plan_people,
)
from danhgia.organisations.models import JobPosition, Person, Role, Unit, UnitRole
from tests.factories import UnitFactory

MONTH = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # The command hashes the shared password with the first hasher; PBKDF2 would spend ~0.4 s
    # per seed and per authenticate() call. Which hasher runs is a setting, not the behaviour.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(stop_after: str = "province") -> str:
    """The demo province alone (`--stop-after province`): the later stages have their tests."""
    out = StringIO()
    call_command("seed_demo", "--stop-after", stop_after, stdout=out)
    return out.getvalue()


def person_of(username: str) -> Person:
    return Person.objects.select_related("unit", "user").get(user__username=username)


def plain_staff_of(unit_code: str) -> Person:
    """A staff member of the unit who holds no role (the demo evaluations give them logins)."""
    return (
        Person.objects.select_related("unit")
        .filter(unit__code=unit_code, is_leader=False, user__unit_roles__isnull=True)
        .order_by("employee_code")[0]
    )


def decider(person: Person, month: datetime.date = MONTH) -> str:
    user = decider_for(person, month)
    return user.username if user else ""


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "roles": UnitRole.objects.count(),
        "positions": JobPosition.objects.count(),
        "audit": AuditLog.objects.count(),
    }


def test_plan_is_the_same_on_every_call() -> None:
    assert plan_people() == plan_people()
    assert [username for _label, username, _name in demo_logins()] == [
        username for username, _label in DEMO_LOGINS
    ]


@pytest.mark.django_db
def test_builds_about_300_people_with_vietnamese_names() -> None:
    seed()

    names = list(Person.objects.values_list("full_name", flat=True))
    assert 280 <= len(names) <= 320
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert all(3 <= len(name.split()) <= 4 for name in names)
    with_diacritics = [name for name in names if fold(name) != name.lower()]
    assert len(with_diacritics) >= 0.9 * len(names)
    assert len(set(names)) == len(names)


@pytest.mark.django_db
def test_unit_paths_follow_the_tree_and_districts_are_history() -> None:
    seed()

    for unit in Unit.objects.select_related("parent"):
        expected_prefix = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{expected_prefix}{unit.pk}/"
    districts = Unit.objects.filter(code__in=["HNTM", "TXDB"]).select_related("merged_into")
    assert {(d.valid_to, d.merged_into.code if d.merged_into else "") for d in districts} == {
        (datetime.date(2025, 6, 30), "XTM"),
        (datetime.date(2025, 6, 30), "PDB"),
    }


@pytest.mark.django_db
def test_every_demo_login_authenticates_with_the_shared_password() -> None:
    seed()

    for username, _label in DEMO_LOGINS:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert user.username == username


@pytest.mark.django_db
def test_output_lists_the_demo_logins_and_a_second_run_changes_nothing() -> None:
    output = seed()
    before = counts()

    second_output = seed()

    assert counts() == before
    assert "đã có sẵn: không thay đổi gì" in second_output
    for out in (output, second_output):
        assert "Tài khoản demo (mật khẩu chung: danhgia-demo-2026)" in out
        for _label, username, full_name in demo_logins():
            assert f"  {username}  " in out
            assert full_name in out
    for _label, username, full_name in demo_logins():
        assert person_of(username).full_name == full_name


@pytest.mark.django_db
def test_refuses_to_mix_with_other_data() -> None:
    UnitFactory(code="KHAC", name="Đơn vị khác")

    with pytest.raises(CommandError, match="CSDL trống"):
        seed()

    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_acting_head_vacant_head_head_of_two_units_and_who_decides() -> None:
    seed()

    heads = UnitRole.objects.active_on(MONTH).filter(role=Role.HEAD)
    acting = heads.get(acting=True)
    assert (acting.unit.code, acting.user.username) == ("SKHDT", "phutrach.skhdt")
    assert not heads.filter(unit__code="LTLS").exists()
    two_units = heads.filter(user__username="chutich.dienban").values_list("unit__code", flat=True)
    assert sorted(two_units) == ["PDB", "PDBD"]
    assert decider(person_of("chuyenvien.ccvc")) == "giamdoc.snv"
    assert decider(person_of("giamdoc.snv")) == "chutich.tinh"
    assert decider(plain_staff_of("LTLS")) == "giamdoc.snv"  # vacant head: passes up
    assert decider(plain_staff_of("SKHDT-DN")) == "phutrach.skhdt"  # acting head decides
    assert decider(plain_staff_of("PDBD-KT")) == "chutich.dienban"  # head of two units
    assert decider(person_of("chutich.tramy")) == "chutich.tinh"
    assert decider(person_of("giaovien.tcv")) == "hieutruong.tcv"


@pytest.mark.django_db
def test_history_people_who_left_and_joined() -> None:
    seed()

    left = Person.objects.filter(active_to__isnull=False)
    assert left.count() >= 3
    assert not left.active_on(MONTH).exists()
    assert Person.objects.filter(active_from__year=2026).count() == 1
    retired = plain_staff_of("HNTM")
    assert decider(retired, datetime.date(2025, 6, 1)) == "chutich.tramy"  # district's last head


@pytest.mark.django_db
def test_everything_is_in_an_intact_audit_log() -> None:
    seed()

    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"unit.created", "unit.merged", "person.created", "role.assigned"} <= actions
    assert AuditLog.objects.filter(action="person.created").count() == Person.objects.count()
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "intact" in out.getvalue()
