"""The band as a ceiling: whether the head who decides may choose a level above the band of
the score (`RulebookConfig.may_raise_above_band`). Nghị định 335, Art. 20, defines each level
by its score: the head may lower a level (the quota, a veto, a reason) but not raise it.

The one rule behind every decision of a level: one decision, "accept all", a re-decision after
reopening, an appeal answered with a new level, and the annual decision; the decision page
offers only the levels it allows."""

from django.utils.translation import gettext

from .levels import level_name, rank
from .schema import Level, RulebookConfig

SOURCE_FIELD = "may_raise_above_band"


def capped(config: RulebookConfig, band: str) -> bool:
    """Whether the band is the highest level the head may decide (no band: no ceiling)."""
    return bool(band) and not config.may_raise_above_band


def allowed_levels(config: RulebookConfig, band: str) -> tuple[Level, ...]:
    """The levels the head may choose for a row of this band, high to low."""
    if not capped(config, band):
        return config.levels
    return tuple(level for level in config.levels if rank(config, level.code) <= rank(config, band))


def within_band(config: RulebookConfig, level: str, band: str) -> str:
    """`level`, or the band when the rulebook forbids a level above it (for the demo's heads,
    who decide the proposal where the rules allow it)."""
    return band if above_band_refusal(config, level, band) else level


def level_choices(config: RulebookConfig, band: str) -> list[tuple[str, str]]:
    """(code, name) of the levels a decision page offers for a row of this band."""
    return [(level.code, level.name) for level in allowed_levels(config, band)]


def above_band_refusal(config: RulebookConfig, level: str, band: str) -> str:
    """Why `level` may not be decided for a row of this band ("" when it may)."""
    if not capped(config, band) or rank(config, level) <= rank(config, band):
        return ""
    message = gettext(
        "The decided level cannot be above the band of the score (“%(band)s”): choose "
        "“%(band)s” or lower."
    ) % {"band": level_name(config, band)}
    source = ceiling_source(config)
    return f"{message} ({source})" if source else message


def ceiling_source(config: RulebookConfig) -> str:
    """The article the rulebook gives for the rule ("" when it gives none)."""
    return config.sources.get("levels", {}).get(SOURCE_FIELD, "")
