"""Levels: bands at the thresholds, names, ranks."""

from decimal import Decimal

import pytest

from danhgia.evaluations.rules.levels import band_for, level_name, lowest_level, rank
from danhgia.evaluations.rules.schema import RuleError
from tests.evaluations.test_rules_support import nd335_config


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.99", "completed"),
        ("50", "completed"),
        ("49.99", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_bands_at_the_decree_thresholds(total: str, band: str) -> None:
    assert band_for(nd335_config(), Decimal(total)) == band


def test_thresholds_come_from_the_rulebook() -> None:
    config = nd335_config(levels__items__0__min_score=95)

    assert band_for(config, Decimal("94.99")) == "good"
    assert band_for(config, Decimal(95)) == "excellent"


def test_names_and_ranks() -> None:
    config = nd335_config()

    assert level_name(config, "good") == "Hoàn thành tốt nhiệm vụ"
    assert [rank(config, code) for code in ("excellent", "good", "completed", "not_completed")] == [
        3,
        2,
        1,
        0,
    ]
    assert lowest_level(config) == "not_completed"
    with pytest.raises(RuleError):
        rank(config, "brilliant")
