"""Reminder fixtures: October 2026 of the test province, deadlines ahead of the real clock
(so sheets can still be submitted and reviewed through the services), and the job run on
chosen days around them."""

import datetime

import pytest
from django.utils import timezone

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person
from danhgia.reminders.services import ReminderSummary, send_reminders
from tests.conftest import World
from tests.evaluations.conftest import OCT

TODAY = timezone.localdate()
SELF_DUE = TODAY + datetime.timedelta(days=10)
REVIEW_DUE = TODAY + datetime.timedelta(days=15)
DECISION_DUE = TODAY + datetime.timedelta(days=20)


def days_from(deadline: datetime.date, offset: int) -> datetime.date:
    return deadline + datetime.timedelta(days=offset)


@pytest.fixture
def site_in_english(settings):  # type: ignore[no-untyped-def]
    """Reminders are written in the site's language (LANGUAGE_CODE): English msgids here."""
    settings.LANGUAGE_CODE = "en"


def open_october(world: World, self_due: datetime.date = SELF_DUE) -> Period:
    """October 2026 of the whole province, opened by HR with the deadlines above."""
    return open_period(
        world.province,
        OCT,
        by=world.users["hr"],
        deadlines={
            "self_evaluation_due": self_due,
            "review_due": REVIEW_DUE,
            "decision_due": DECISION_DUE,
        },
    )


@pytest.fixture
def rulebooks(db: None) -> None:
    ensure_shipped_rulebooks()


@pytest.fixture
def october(world: World, rulebooks: None) -> Period:
    return open_october(world)


def sheet(period: Period, person: Person) -> Sheet:
    return Sheet.objects.select_related("person", "unit", "period").get(
        period=period, person=person
    )


def run(day: datetime.date) -> ReminderSummary:
    return send_reminders(day)
