"""The conditions of an emulation title: a JSON document parsed into `Conditions`, checked by a
strategy chosen by name from `STRATEGIES` (nothing is evaluated from text).

The `annual_conditions` strategy reads, for one person and one year:

min_annual_level       the decided annual level must be this level or higher (stable level codes:
                       excellent > good > completed > not_completed); a person whose annual level
                       is not decided, or who is not classified, does not qualify
no_discipline_in_year  true: no discipline (any form, any channel) taking effect in the year
min_months_worked      the months worked in the year on the annual sheet (0: no condition)
initiative_min_scope   a recognised initiative of at least this scope (unit < province <
                       national), recognised in the year; "" or absent: not required
requires_title         the code of another title the person must also qualify for in the same
                       year (e.g. Chiến sĩ thi đua cơ sở requires Lao động tiên tiến)
note                   free text: where the numbers come from

Unknown fields are refused so that a typo cannot pass unseen.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.evaluations.rules.codes import COMPLETED, EXCELLENT, GOOD, LEVEL_CODES, NOT_COMPLETED

SCOPES: Final = ("unit", "province", "national")  # narrowest first, as Initiative.Scope
FIELDS: Final = (
    "min_annual_level",
    "no_discipline_in_year",
    "min_months_worked",
    "initiative_min_scope",
    "requires_title",
    "note",
)


# How the conditions name the stable level codes and the scopes of initiatives (a rulebook may
# name its levels otherwise: the rulebook's names are used where a person's level is shown).
LEVEL_LABELS: Final = {
    EXCELLENT: gettext_lazy("excellent"),
    GOOD: gettext_lazy("good"),
    COMPLETED: gettext_lazy("completed"),
    NOT_COMPLETED: gettext_lazy("not completed"),
}
SCOPE_LABELS: Final = {
    "unit": gettext_lazy("unit (cơ sở)"),
    "province": gettext_lazy("sector or province"),
    "national": gettext_lazy("national"),
}


class ConditionError(ValueError):
    """The conditions document is not valid; the message says which field and why."""


@dataclass(frozen=True)
class Conditions:
    min_annual_level: str = ""
    no_discipline_in_year: bool = False
    min_months_worked: int = 0
    initiative_min_scope: str = ""
    requires_title: str = ""
    note: str = ""


def parse_conditions(data: Any) -> Conditions:
    """Check a conditions document and return it typed; raise `ConditionError`."""
    if not isinstance(data, Mapping):
        raise ConditionError(_("The conditions must be a JSON object."))
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ConditionError(
            _("Unknown condition: %(names)s. Allowed: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(FIELDS)}
        )
    level = data.get("min_annual_level", "") or ""
    if level and level not in LEVEL_CODES:
        raise ConditionError(
            _("min_annual_level must be one of %(codes)s.") % {"codes": ", ".join(LEVEL_CODES)}
        )
    no_discipline = data.get("no_discipline_in_year", False)
    if not isinstance(no_discipline, bool):
        raise ConditionError(_("no_discipline_in_year must be true or false."))
    months = data.get("min_months_worked", 0)
    if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 12:
        raise ConditionError(_("min_months_worked must be a whole number from 0 to 12."))
    scope = data.get("initiative_min_scope", "") or ""
    if scope and scope not in SCOPES:
        raise ConditionError(
            _("initiative_min_scope must be one of %(codes)s.") % {"codes": ", ".join(SCOPES)}
        )
    requires = data.get("requires_title", "") or ""
    note = data.get("note", "") or ""
    if not isinstance(requires, str) or not isinstance(note, str):
        raise ConditionError(_("requires_title and note must be text."))
    return Conditions(level, no_discipline, months, scope, requires, note)


@dataclass(frozen=True)
class PersonYear:
    """What the conditions read about one person and one year."""

    annual_level: str  # decided annual level, "" when not decided or not classified
    months_worked: int
    discipline_days: Sequence[datetime.date]  # effective_from of disciplines in the year
    initiative_scopes: Sequence[str]  # scopes of initiatives recognised in the year
    qualifies_for: frozenset[str] = field(default_factory=frozenset)  # codes of other titles


@dataclass(frozen=True)
class Unmet:
    code: str
    reason: str


def _rank(level: str) -> int:
    """Higher is better; unknown or empty is below every level."""
    return len(LEVEL_CODES) - LEVEL_CODES.index(level) if level in LEVEL_CODES else -1


def annual_conditions(
    conditions: Conditions, facts: PersonYear, level_names: Mapping[str, str]
) -> list[Unmet]:
    """The conditions the person does not meet, in the order of `FIELDS` (empty: eligible).
    `level_names` names the levels and the other titles (by code) in the reasons."""
    unmet: list[Unmet] = []
    wanted = conditions.min_annual_level
    if wanted and _rank(facts.annual_level) < _rank(wanted):
        if facts.annual_level:
            reason = _("Annual level %(level)s is below %(wanted)s.") % {
                "level": level_names.get(facts.annual_level, facts.annual_level),
                "wanted": level_names.get(wanted, wanted),
            }
        else:
            reason = _("No decided annual level.")
        unmet.append(Unmet("min_annual_level", reason))
    if conditions.no_discipline_in_year and facts.discipline_days:
        days = ", ".join(day.strftime("%d/%m/%Y") for day in sorted(facts.discipline_days))
        unmet.append(
            Unmet(
                "no_discipline_in_year",
                _("Disciplined in the year (from %(days)s).") % {"days": days},
            )
        )
    if conditions.min_months_worked and facts.months_worked < conditions.min_months_worked:
        unmet.append(
            Unmet(
                "min_months_worked",
                _("Worked %(months)d months, fewer than %(wanted)d.")
                % {"months": facts.months_worked, "wanted": conditions.min_months_worked},
            )
        )
    if conditions.initiative_min_scope:
        least = SCOPES.index(conditions.initiative_min_scope)
        if not any(SCOPES.index(scope) >= least for scope in facts.initiative_scopes):
            unmet.append(Unmet("initiative_min_scope", _("No initiative recognised in the year.")))
    if conditions.requires_title and conditions.requires_title not in facts.qualifies_for:
        unmet.append(
            Unmet(
                "requires_title",
                _("Does not qualify for %(title)s.")
                % {"title": level_names.get(conditions.requires_title, conditions.requires_title)},
            )
        )
    return unmet


def describe_conditions(conditions: Conditions, title_names: Mapping[str, str]) -> list[str]:
    """The conditions as sentences, in the order of `FIELDS` (the note is shown apart).
    `title_names` names the other titles by code."""
    sentences = []
    if conditions.min_annual_level:
        level = LEVEL_LABELS.get(conditions.min_annual_level, conditions.min_annual_level)
        sentences.append(
            _("Annual level “%(level)s” or higher, decided for the year.") % {"level": level}
        )
    if conditions.no_discipline_in_year:
        sentences.append(_("No discipline taking effect in the year."))
    if conditions.min_months_worked:
        sentences.append(
            _("At least %(months)d months worked in the year.")
            % {"months": conditions.min_months_worked}
        )
    if conditions.initiative_min_scope:
        scope = SCOPE_LABELS.get(conditions.initiative_min_scope, conditions.initiative_min_scope)
        sentences.append(
            _("An initiative recognised in the year, at %(scope)s level or higher.")
            % {"scope": scope}
        )
    if conditions.requires_title:
        name = title_names.get(conditions.requires_title, conditions.requires_title)
        sentences.append(_("Also qualifies for “%(title)s” in the same year.") % {"title": name})
    if not sentences:
        sentences.append(_("No condition: everyone classified in the year qualifies."))
    return sentences


Strategy = Callable[[Conditions, PersonYear, Mapping[str, str]], list[Unmet]]
STRATEGIES: Final[dict[str, Strategy]] = {"annual_conditions": annual_conditions}
