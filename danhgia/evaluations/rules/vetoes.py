"""Vetoes: facts that force the lowest level whatever the score (docs/domain.md §9).

A discipline counts in the periods of the calendar year in which it took effect, from that day
on: it vetoes a period when it took effect between 1 January of the period's year and the
period's last day ("disciplined in the year"). One that took effect the year before does not
veto this year, even while still in force. Findings count the same way by their conclusion
date.

- discipline_reprimand_or_higher (Nghị định 335): reprimand or a heavier form, for a violation
  in public duty, administrative or Party;
- any_discipline (Nghị định 48/2023): any form, any channel, any cause;
- degradation: degradation in political ideology or ethics concluded by the competent authority;
- corruption_in_led_unit: corruption or waste in the unit they lead; leaders only.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .codes import ANY_DISCIPLINE, CORRUPTION_IN_LED_UNIT, DEGRADATION
from .codes import DISCIPLINE_REPRIMAND_OR_HIGHER as REPRIMAND_OR_HIGHER
from .levels import lowest_level
from .schema import RulebookConfig

# The forms of `Discipline.Form`, lightest first: reprimand is the lightest, so every form
# listed is "reprimand or higher". Same labels as the model, so they share its translations.
DISCIPLINE_FORMS: Final[dict[str, Promise]] = {
    "reprimand": _("reprimand (khiển trách)"),
    "warning": _("warning (cảnh cáo)"),
    "salary_down": _("salary reduction (hạ bậc lương)"),
    "demotion": _("demotion (giáng chức)"),
    "dismissal_post": _("removal from post (cách chức)"),
    "dismissal": _("dismissal (buộc thôi việc)"),
}
DISCIPLINE_CHANNELS: Final[dict[str, Promise]] = {
    "administrative": _("administrative"),
    "party": _("Party"),
}
FINDING_KINDS: Final = (DEGRADATION, CORRUPTION_IN_LED_UNIT)


class DisciplineFact(NamedTuple):
    form: str
    channel: str
    public_duty: bool
    effective_from: datetime.date
    # Kept for the record: the veto follows the year the discipline took effect, not its end.
    effective_to: datetime.date | None


class FindingFact(NamedTuple):
    kind: str
    concluded_on: datetime.date


@dataclass(frozen=True)
class VetoFacts:
    disciplines: Sequence[DisciplineFact]
    findings: Sequence[FindingFact]
    is_leader: bool

    def __post_init__(self) -> None:
        for discipline in self.disciplines:
            if discipline.form not in DISCIPLINE_FORMS:
                raise ValueError(f"unknown discipline form {discipline.form!r}")
            if discipline.channel not in DISCIPLINE_CHANNELS:
                raise ValueError(f"unknown discipline channel {discipline.channel!r}")
        for finding in self.findings:
            if finding.kind not in FINDING_KINDS:
                raise ValueError(f"unknown finding kind {finding.kind!r}")


@dataclass(frozen=True)
class Veto:
    code: str
    reason: str


def applicable_vetoes(
    config: RulebookConfig,
    facts: VetoFacts,
    period_start: datetime.date,
    period_end: datetime.date,
) -> list[Veto]:
    """The enabled vetoes the facts trigger for the period, each with its reason in words."""
    if period_start > period_end:
        raise ValueError("the period ends before it starts")
    year_start = datetime.date(period_end.year, 1, 1)

    def in_window(day: datetime.date) -> bool:
        return year_start <= day <= period_end

    disciplines = sorted(
        (d for d in facts.disciplines if in_window(d.effective_from)),
        key=lambda d: d.effective_from,
    )
    findings = sorted(
        (f for f in facts.findings if in_window(f.concluded_on)), key=lambda f: f.concluded_on
    )
    vetoes: list[Veto] = []
    for code in config.vetoes:
        if code == REPRIMAND_OR_HIGHER:
            reasons = [_discipline_reason(d) for d in disciplines if d.public_duty]
            intro = gettext("Discipline of reprimand or higher for a violation in public duty")
        elif code == ANY_DISCIPLINE:
            reasons = [_discipline_reason(d) for d in disciplines]
            intro = gettext("Discipline in the year")
        elif code == DEGRADATION:
            reasons = [_day(f.concluded_on) for f in findings if f.kind == DEGRADATION]
            intro = gettext("Degradation in political ideology or ethics, concluded on")
        elif code == CORRUPTION_IN_LED_UNIT and facts.is_leader:
            reasons = [_day(f.concluded_on) for f in findings if f.kind == CORRUPTION_IN_LED_UNIT]
            intro = gettext("Corruption or waste in the unit they lead, concluded on")
        else:
            reasons = []
            intro = ""
        if reasons:
            vetoes.append(Veto(code, f"{intro}: {'; '.join(reasons)}."))
    return vetoes


def level_after_vetoes(config: RulebookConfig, level: str, vetoes: Sequence[Veto]) -> str:
    """The lowest level ("not_completed") when any veto applies, else `level` unchanged."""
    return lowest_level(config) if vetoes else level


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _discipline_reason(discipline: DisciplineFact) -> str:
    return gettext("%(form)s, %(channel)s, effective from %(day)s") % {
        "form": DISCIPLINE_FORMS[discipline.form],
        "channel": DISCIPLINE_CHANNELS[discipline.channel],
        "day": _day(discipline.effective_from),
    }
