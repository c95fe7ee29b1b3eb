"""Publication fixtures: October 2026 of Sở Nội vụ (world.dept), decided, written straight to
the database.

Publication reads decided sheets and nothing else, so the month is built as rows (as the annual
tests do) rather than through the whole monthly cycle. Each person gets an e-mail address and a
phone number so that the tests can check they never leak.
"""

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person, Unit
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period
from tests.conftest import World

OCTOBER = datetime.date(2026, 10, 1)
# (persona, total, level): totals with distinctive digits, so that a leaked score is found.
DECIDED = [
    ("staff", "83.17", "good"),
    ("manager", "91.43", "excellent"),
    ("head", "77.29", "good"),
    ("hr", "64.81", "completed"),
]


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def month_end(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


def generous_rulebook() -> Rulebook:
    """ND 335 with a quota share of 100 %: the fixture's one "excellent" beside two "good"
    stays within it (publication is tested here; a period over the quota is refused, see
    test_services)."""
    found = Rulebook.objects.filter(code="TEST-PUBLICATION").first()
    if found is not None:
        return found
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    rulebook.pk = None
    rulebook.code = "TEST-PUBLICATION"
    rulebook.quota = {**rulebook.quota, "share": "1", "exception_share": "1"}
    rulebook.save()
    return rulebook


def decided_period(
    organisation: Unit,
    first: datetime.date = OCTOBER,
    *,
    state: str = Period.State.CLOSED,
) -> Period:
    """A period of `organisation` for the month of `first` in `state` (idempotent)."""
    ensure_shipped_rulebooks()
    last = month_end(first)
    period, _ = Period.objects.get_or_create(
        organisation=organisation,
        kind=Period.Kind.MONTH,
        start=first,
        defaults={
            "end": last,
            "rulebook": generous_rulebook(),
            "state": state,
            "self_evaluation_due": last,
            "review_due": last,
            "decision_due": last,
            "opened_at": timezone.now(),
        },
    )
    return period


def decided_sheet(period: Period, person: Person, total: str, level: str) -> Sheet:
    return Sheet.objects.create(
        period=period,
        person=person,
        unit=person.unit,
        title=person.title,
        total=Decimal(total),
        band=level,
        status=Sheet.Status.DECIDED,
        decided_level=level,
        decided_at=timezone.now(),
    )


def decided_month(world: World, first: datetime.date = OCTOBER, **options: Any) -> Period:
    """Sở Nội vụ's month with the four people of DECIDED, each with an e-mail and a phone."""
    period = decided_period(world.dept, first, **options)
    for key, total, level in DECIDED:
        person = world.people[key]
        Person.objects.filter(pk=person.pk).update(
            email=f"{key}@snv.example.vn", phone=f"0905{len(key):06d}"
        )
        if not period.sheets.filter(person=person).exists():
            decided_sheet(period, person, total, level)
    return period


@pytest.fixture
def october(world: World) -> Period:
    return decided_month(world)


Publish = Callable[..., Publication]


@pytest.fixture
def publish(world: World, october: Period) -> Publish:
    """`publish(privacy=..., audience="public", period=october)` as the HR officer."""

    def _publish(
        privacy: str = Privacy.NAMES_WITHOUT_SCORES,
        audience: str = Publication.Audience.PUBLIC,
        period: Period | None = None,
    ) -> Publication:
        return publish_period(
            period or october, by=world.users["hr"], audience=audience, privacy=privacy
        )

    return _publish
