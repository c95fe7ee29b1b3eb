"""Stable codes shared by rulebooks, sheets and the scoring: never rename them."""

from typing import Final

EXCELLENT: Final = "excellent"
GOOD: Final = "good"
COMPLETED: Final = "completed"
NOT_COMPLETED: Final = "not_completed"

# Highest first; every rulebook has exactly these four levels (names and thresholds vary).
LEVEL_CODES: Final = (EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED)

DISCIPLINE_REPRIMAND_OR_HIGHER: Final = "discipline_reprimand_or_higher"
DEGRADATION: Final = "degradation"
CORRUPTION_IN_LED_UNIT: Final = "corruption_in_led_unit"
ANY_DISCIPLINE: Final = "any_discipline"

# In the order a sheet shows them.
VETO_CODES: Final = (
    DISCIPLINE_REPRIMAND_OR_HIGHER,
    ANY_DISCIPLINE,
    DEGRADATION,
    CORRUPTION_IN_LED_UNIT,
)
