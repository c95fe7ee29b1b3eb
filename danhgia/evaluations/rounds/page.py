"""What a decision page reads of the round: the meter of the page's scope (as the head
types), and the rows that would pass only with the exception share."""

from collections.abc import Mapping, Sequence
from typing import Any

from danhgia.evaluations.rounds.quota import Standing, standing
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.organisations.models import Unit


def page_meter(
    scopes: Scopes, decider_id: int, unit: Unit, typed: Mapping[int, str] | None = None
) -> Standing:
    """The quota of the page's scope as decisions, typed levels and proposals stand."""
    return standing(scopes.config, scopes.rows(scopes.key(decider_id, unit)), typed)


def typed_levels(data: Mapping[str, Any], prefix: str, config: RulebookConfig) -> dict[int, str]:
    """{sheet pk: level} from the page's level selects (`<prefix><pk>-level`), known levels
    only."""
    codes = {level.code for level in config.levels}
    typed = {}
    for key, value in data.items():
        pk = key.removeprefix(prefix).removesuffix("-level")
        if key.startswith(prefix) and key.endswith("-level") and pk.isdigit() and value in codes:
            typed[int(pk)] = value
    return typed


def exception_offered(scopes: Scopes, sheets: Sequence[Any]) -> set[int]:
    """The undecided sheets whose top level would pass only with the exception share (the
    judgement of a decision): the only rows offering the exception."""
    if scopes.config.quota.enforcement != "exception_with_reason":
        return set()
    top = scopes.config.quota.top_level
    return {
        sheet.pk
        for sheet in sheets
        if not sheet.is_decided and scopes.outcome(sheet, top) == "exception"
    }
