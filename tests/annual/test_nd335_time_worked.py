"""Nghị định 335, Art. 21: the year is classified on the time actually worked. Nghị định 90's
minimum of six months and absence cap belong to the ND90-2020 rulebook, not to ND 335."""

import datetime
from decimal import Decimal

import pytest

from danhgia.annual.rules import AnnualFacts, LeaveFact, PeriodResult, classify
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.schema import RulebookConfig, parse_rulebook
from danhgia.evaluations.services.periods import applicable_rulebook
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from tests.conftest import World

YEAR = 2026


def day(month: int, day_: int) -> datetime.date:
    return datetime.date(YEAR, month, day_)


def every_month(total: str) -> list[PeriodResult]:
    results = []
    for month in range(1, 13):
        first = day(month, 1)
        last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        results.append(PeriodResult(month, first, last, "Sở Nội vụ", Decimal(total), ""))
    return results


def facts(*leaves: LeaveFact, total: str = "95") -> AnnualFacts:
    return AnnualFacts(
        year=YEAR,
        active_from=datetime.date(2020, 1, 1),
        active_to=None,
        leaves=leaves,
        periods=every_month(total),
    )


@pytest.fixture
def nd335_2026(world: World) -> RulebookConfig:
    """The rulebook a 2026 classification of the test province takes."""
    ensure_shipped_rulebooks()
    rulebook = applicable_rulebook(world.province, datetime.date(YEAR, 12, 31))
    assert rulebook is not None
    assert rulebook.code == "ND335-2025"
    return parse_rulebook(rulebook)


@pytest.fixture
def nd90(db: None) -> RulebookConfig:
    ensure_shipped_rulebooks()
    return parse_rulebook(Rulebook.objects.get(code="ND90-2020"))


@pytest.mark.parametrize(
    ("leave", "counted"),
    [
        (LeaveFact("sick", day(4, 1), day(6, 30)), 9),  # three months of sick leave
        (LeaveFact("sick", day(1, 1), day(8, 31)), 4),  # eight: fewer than Nghị định 90's six
        (LeaveFact("unpaid", day(3, 1), day(8, 29)), 6),  # absent 5 months 29 days
    ],
)
def test_nd335_classifies_the_year_on_the_time_worked(
    nd335_2026: RulebookConfig, leave: LeaveFact, counted: int
) -> None:
    result = classify(nd335_2026, facts(leave))

    assert sum(period.counted for period in result.periods) == counted
    assert not result.not_classified
    assert (result.score, result.cap_level, result.level) == (Decimal("95.00"), "", "excellent")


def test_nd335_without_any_period_worked_is_not_classified(nd335_2026: RulebookConfig) -> None:
    result = classify(nd335_2026, facts(LeaveFact("sick", day(1, 1), day(12, 31))))

    assert result.not_classified
    assert result.level == ""


def test_the_nd90_rulebook_keeps_its_minimum_and_absence_cap(nd90: RulebookConfig) -> None:
    capped = classify(nd90, facts(LeaveFact("sick", day(4, 1), day(6, 30))))
    short = classify(nd90, facts(LeaveFact("sick", day(1, 1), day(8, 31))))
    maternity = classify(nd90, facts(LeaveFact("maternity", day(1, 1), day(8, 31))))

    assert (capped.band, capped.cap_level, capped.level) == ("excellent", "completed", "completed")
    assert short.not_classified
    assert not maternity.not_classified


def test_periods_opened_with_version_1_keep_version_1(world: World) -> None:
    """Past periods never change: version 1 keeps Nghị định 90's cap it was shipped with."""
    ensure_shipped_rulebooks()
    version_1 = parse_rulebook(Rulebook.objects.get(code="ND335-2025", version=1))

    result = classify(version_1, facts(LeaveFact("sick", day(4, 1), day(6, 30))))

    assert (result.cap_level, result.level) == ("completed", "completed")
