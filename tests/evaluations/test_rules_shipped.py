"""The shipped rulebooks: present in a fresh database, created idempotently, parseable."""

import importlib
import operator

import pytest
from django.apps import apps

from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.schema import RULEBOOK_PARTS, parse_rulebook
from danhgia.evaluations.shipped import SHIPPED_RULEBOOKS, ensure_shipped_rulebooks

migration = importlib.import_module("danhgia.evaluations.migrations.0002_shipped_rulebooks")
second = importlib.import_module("danhgia.evaluations.migrations.0006_nd335_v2_and_nd90")
third = importlib.import_module("danhgia.evaluations.migrations.0007_nd335_v3_band_ceiling")
fourth = importlib.import_module("danhgia.evaluations.migrations.0009_nd335_v4_and_vien_chuc")
FIELDS = [
    "code",
    "version",
    "name",
    "legal_source",
    "applies_from",
    "local_defaults",
    *RULEBOOK_PARTS,
]


def stored() -> list[dict[str, object]]:
    return list(Rulebook.objects.order_by("pk").values(*FIELDS))


@pytest.mark.django_db
def test_a_migrated_database_has_every_rulebook_as_shipped() -> None:
    assert stored() == list(SHIPPED_RULEBOOKS)
    assert Rulebook.objects.filter(organisation=None, created_by=None).count() == 7


def test_the_migrations_hold_the_same_data_as_the_code() -> None:
    assert list(SHIPPED_RULEBOOKS) == (
        migration.RULEBOOKS + second.RULEBOOKS + third.RULEBOOKS + fourth.RULEBOOKS
    )


@pytest.mark.django_db
def test_ensure_creates_what_is_missing_and_leaves_the_rest() -> None:
    nd335 = Rulebook.objects.get(code="ND335-2025", version=1)
    Rulebook.objects.filter(code="QNAM-2022").delete()
    Rulebook.objects.filter(code="ND90-2020").delete()

    first = ensure_shipped_rulebooks()
    again = ensure_shipped_rulebooks()

    assert [(rulebook.code, rulebook.version) for rulebook in first] == [
        ("ND335-2025", 1),
        ("QNAM-2022", 1),
        ("ND335-2025", 2),
        ("ND90-2020", 1),
        ("ND335-2025", 3),
        ("ND335-2025", 4),
        ("VC-2025", 1),
    ]
    assert first[0].pk == nd335.pk
    assert [rulebook.pk for rulebook in again] == [rulebook.pk for rulebook in first]
    # Compared as data, not as text: PostgreSQL's jsonb stores the keys in its own order.
    by_version = operator.itemgetter("code", "version")
    assert sorted(stored(), key=by_version) == sorted(SHIPPED_RULEBOOKS, key=by_version)


@pytest.mark.django_db
def test_the_migration_function_is_idempotent() -> None:
    Rulebook.objects.all().delete()

    for _ in range(2):
        migration.create_shipped_rulebooks(apps, None)
        second.create_rulebooks(apps, None)
        third.create_rulebooks(apps, None)
        fourth.create_rulebooks(apps, None)

    assert stored() == list(SHIPPED_RULEBOOKS)


@pytest.mark.django_db
def test_the_stored_rulebooks_parse() -> None:
    configs = [parse_rulebook(rulebook) for rulebook in ensure_shipped_rulebooks()]

    assert [config.task_scoring.strategy for config in configs] == [
        "nd335_abc",
        "qn2022_weighted",
        "nd335_abc",
        "nd335_abc",
        "nd335_abc",
        "nd335_abc",
        "nd335_abc",
    ]
