"""Recognition fixtures: annual results of 2025 written straight to the database (the
proposals read decided annual sheets and nothing else; the annual rules have their own tests),
and initiatives and discipline recorded through the services."""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.evaluations.models import Discipline, Rulebook
from danhgia.evaluations.services.records import record_discipline
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person
from danhgia.reports.recognition.models import EmulationTitle, Initiative
from danhgia.reports.recognition.services import assess_initiative, propose_initiative
from tests.conftest import World
from tests.e2e.conftest import browser, page  # noqa: F401 (browser fixtures for test_browser)

YEAR = 2025


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def year_2025(world: World) -> AnnualPeriod:
    ensure_shipped_rulebooks()
    return AnnualPeriod.objects.create(
        organisation=world.province,
        year=YEAR,
        rulebook=Rulebook.objects.get(code="QNAM-2022", version=1),
        state=AnnualPeriod.State.DECIDED,
        decision_due=datetime.date(YEAR, 12, 15),
        opened_at=timezone.now(),
    )


AnnualResult = Callable[..., AnnualSheet]


@pytest.fixture
def annual_result(year_2025: AnnualPeriod) -> AnnualResult:
    """`annual_result(person, level="good", months=12)`: a decided annual sheet of 2025
    (`level=""`: still waiting for the decision)."""

    def _make(person: Person, level: str = "good", months: int = 12, **extra: Any) -> AnnualSheet:
        return AnnualSheet.objects.create(
            annual_period=year_2025,
            person=person,
            unit=person.unit,
            status=AnnualSheet.Status.DECIDED if level else AnnualSheet.Status.PENDING,
            decided_level=level,
            proposed_level=level,
            months_worked=months,
            **extra,
        )

    return _make


Recognised = Callable[..., Initiative]


@pytest.fixture
def recognised(world: World) -> Recognised:
    """`recognised(person, on=date, scope="unit")`: an initiative proposed by the person and
    recognised by HR on `on`."""

    def _make(
        person: Person, on: datetime.date = datetime.date(YEAR, 6, 10), scope: str = "unit"
    ) -> Initiative:
        initiative = propose_initiative(
            person,
            by=world.users["hr"],
            title="Phần mềm theo dõi văn bản đến",
            description="Theo dõi hạn xử lý văn bản đến bằng bảng tính dùng chung.",
            proposed_on=on - datetime.timedelta(days=30),
        )
        return assess_initiative(
            initiative,
            by=world.users["hr"],
            recognised=True,
            council="Hội đồng sáng kiến cơ sở",
            assessed_on=on,
            scope=scope,
            effect="Giảm 30 % văn bản trễ hạn.",
            decision_number="15/QĐ-SNV",
        )

    return _make


@pytest.fixture
def discipline(world: World) -> Callable[..., Discipline]:
    def _make(person: Person, on: datetime.date, form: str = "reprimand") -> Discipline:
        return record_discipline(
            person,
            by=world.users["hr"],
            form=form,
            channel=Discipline.Channel.ADMINISTRATIVE,
            decision_number=f"KL-{on:%Y%m%d}",
            decided_on=on,
            effective_from=on,
        )

    return _make


def title(code: str) -> EmulationTitle:
    return EmulationTitle.objects.get(code=code)
