"""Annual fixtures: the year 2025 of the test province (the Quảng Nam 2022 rulebook applies).

Monthly results are written straight to the database (`decided`): the annual rules read
decided sheets and nothing else, and building 12 months through the monthly services for each
case would test the monthly cycle again. Annual classifications are opened with a decision
deadline in the future unless a test says otherwise.
"""

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import open_annual
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.rules.schema import RulebookConfig, parse_parts
from danhgia.evaluations.shipped import QNAM_2022, ensure_shipped_rulebooks
from danhgia.organisations.models import Person, Unit
from tests.conftest import World

YEAR = 2025
PARTS = ("criteria", "task_scoring", "levels", "vetoes", "quota", "annual", "deadlines")


def config_with(**annual_params: Any) -> RulebookConfig:
    """The Quảng Nam 2022 rules with the annual parameters changed."""
    parts = {part: QNAM_2022[part] for part in PARTS}
    parts["annual"] = {
        "strategy": "average",
        "params": {**QNAM_2022["annual"]["params"], **annual_params},
    }
    return parse_parts(**parts)


def day(month: int, day_: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, day_)


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def qnam(db: None) -> Rulebook:
    ensure_shipped_rulebooks()
    return Rulebook.objects.get(code="QNAM-2022", version=1)


def month_period(
    organisation: Unit, month: int, *, kind: str = Period.Kind.MONTH, year: int = YEAR
) -> Period:
    """The closed period of `organisation` starting in `month` (a quarter when `kind` says so)."""
    first = datetime.date(year, month, 1)
    last_month = month + 2 if kind == Period.Kind.QUARTER else month
    last = (datetime.date(year, last_month, 28) + datetime.timedelta(days=4)).replace(
        day=1
    ) - datetime.timedelta(days=1)
    ensure_shipped_rulebooks()
    period, _ = Period.objects.get_or_create(
        organisation=organisation,
        kind=kind,
        start=first,
        defaults={
            "end": last,
            "rulebook": Rulebook.objects.get(code="QNAM-2022", version=1),
            "state": Period.State.CLOSED,
            "self_evaluation_due": last,
            "review_due": last,
            "decision_due": last,
            "opened_at": timezone.now(),
        },
    )
    return period


Decided = Callable[..., list[Sheet]]


@pytest.fixture
def decided(world: World, qnam: Rulebook) -> Decided:
    """`decided(person, months, total, organisation=world.province, unit=None)`: a decided
    sheet with `total` for each month in `months` (a list of month numbers)."""
    config = config_with()

    def _decided(
        person: Person,
        months: Any,
        total: str | int,
        *,
        organisation: Unit | None = None,
        unit: Unit | None = None,
        kind: str = Period.Kind.MONTH,
        level: str = "",
    ) -> list[Sheet]:
        sheets = []
        for month in months:
            period = month_period(organisation or world.province, month, kind=kind)
            band = band_for(config, Decimal(total))
            sheets.append(
                Sheet.objects.create(
                    period=period,
                    person=person,
                    unit=unit or person.unit,
                    total=Decimal(total),
                    band=band,
                    status=Sheet.Status.DECIDED,
                    decided_level=level or band,
                )
            )
        return sheets

    return _decided


OpenYear = Callable[..., AnnualPeriod]


@pytest.fixture
def open_year(world: World, qnam: Rulebook) -> OpenYear:
    def _open(organisation: Unit | None = None, **options: Any) -> AnnualPeriod:
        options.setdefault("decision_due", timezone.localdate() + datetime.timedelta(days=20))
        options.setdefault("by", world.users["hr"])
        return open_annual(organisation or world.province, YEAR, **options)

    return _open


def sheet_of(period: AnnualPeriod, person: Person) -> AnnualSheet:
    return AnnualSheet.objects.select_related("person", "unit").get(
        annual_period=period, person=person
    )
