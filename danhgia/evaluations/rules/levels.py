"""Levels: the band of a score, a level's name, and ranks for comparing levels."""

from decimal import Decimal

from django.utils.translation import gettext

from .reading import RuleError
from .schema import Level, RulebookConfig


def band_for(config: RulebookConfig, total: Decimal) -> str:
    """The code of the highest level whose minimum score `total` reaches (≥)."""
    for level in config.levels:
        if total >= level.min_score:
            return level.code
    return config.levels[-1].code


def level(config: RulebookConfig, code: str) -> Level:
    for candidate in config.levels:
        if candidate.code == code:
            return candidate
    raise RuleError("levels", gettext("unknown level %(code)s.") % {"code": code})


def level_name(config: RulebookConfig, code: str) -> str:
    """The level's name as the rulebook writes it (e.g. "Hoàn thành tốt nhiệm vụ")."""
    return level(config, code).name


def rank(config: RulebookConfig, code: str) -> int:
    """Higher is better: the lowest level is 0, so `rank(x) > rank(y)` means x is above y."""
    level(config, code)
    codes = [candidate.code for candidate in config.levels]
    return len(codes) - 1 - codes.index(code)


def lowest_level(config: RulebookConfig) -> str:
    """The level a veto forces ("not_completed")."""
    return config.levels[-1].code
