"""The article behind each figure of a sheet: `source_of(config, figure)`.

A figure is something a sheet shows ("a", "task_points", "bands", "quota", "months_counted"…).
`FIGURES` names the rulebook fields each figure follows (part and field path, as the part's
`sources` keys them); `source_of()` reads, for each field, the text the rulebook gives: the
article and clause, a local choice ("[L] …" in the rulebook) or nothing ("no source given").
A field without a text of its own takes its parent's ("params.leader.dd", then
"params.leader", then "params"). `cite()` numbers the sources of the figures a page or a PDF
shows, as footnotes. The monthly and quarterly sheet pages, the annual sheet page and their
PDFs all use it; nothing here reads the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Protocol

from .schema import RulebookConfig

LOCAL_MARK: Final = "[L]"

#: Figure → the (part, field path) of the rules that make it, in the order they are cited.
FIGURES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "general": (
        ("criteria", "items"),
        ("criteria", "items.max_points"),
        ("task_scoring", "params.general_share"),
    ),
    "a": (("task_scoring", "strategy"),),
    "b": (
        ("task_scoring", "strategy"),
        ("task_scoring", "params.error_deduction"),
        ("task_scoring", "params.unassessed_meets_quality"),
    ),
    "c": (("task_scoring", "strategy"), ("task_scoring", "params.delay_deduction")),
    "d": (
        ("task_scoring", "params.leader.d_full_pct"),
        ("task_scoring", "params.leader.d_reduced_pct"),
    ),
    "dd": (("task_scoring", "params.leader.dd"),),
    "e": (("task_scoring", "params.leader.e"),),
    "task_points": (
        ("task_scoring", "params.task_share"),
        ("task_scoring", "params.weights"),
        ("task_scoring", "params.cap_pct"),
        ("task_scoring", "params.rounding"),
    ),
    "leader_points": (
        ("task_scoring", "params.task_share"),
        ("task_scoring", "params.leader.weights"),
        ("task_scoring", "params.rounding"),
    ),
    "no_tasks": (("task_scoring", "params.no_tasks"),),
    "total": (
        ("task_scoring", "params.general_share"),
        ("task_scoring", "params.task_share"),
        ("task_scoring", "params.rounding"),
    ),
    "bands": (("levels", "items"),),
    "ceiling": (("levels", "may_raise_above_band"),),
    "vetoes": (("vetoes", "enabled"),),
    "quota": (
        ("quota", "share"),
        ("quota", "scope"),
        ("quota", "exception_share"),
        ("quota", "rounding"),
        ("quota", "enforcement"),
    ),
    "annual_score": (("annual", "strategy"),),
    "months_counted": (("annual", "strategy"), ("annual", "params.maternity_exempt")),
    "min_months": (("annual", "params.min_months_worked"),),
    "absence": (
        ("annual", "params.absent_cap_from_months"),
        ("annual", "params.absent_cap_level"),
    ),
    "head_not_above_unit": (("annual", "params.head_not_above_unit"),),
}


@dataclass(frozen=True)
class Source:
    """Where one rule comes from: `text` (the article and clause, or why it is a local choice),
    `local` when the rulebook marks it a local choice, `text` empty when it gives nothing."""

    text: str
    local: bool = False

    @property
    def missing(self) -> bool:
        return not self.text


def _text(config: RulebookConfig, part: str, path: str) -> str:
    texts = config.sources.get(part, {})
    while path:
        if path in texts:
            return texts[path]
        path = path.rpartition(".")[0]
    return ""


def _source(text: str) -> Source:
    if text.startswith(LOCAL_MARK):
        return Source(text[len(LOCAL_MARK) :].strip(), local=True)
    return Source(text)


def source_of(config: RulebookConfig, figure: str) -> tuple[Source, ...]:
    """The sources of a figure (`FIGURES`), each once, in order; a single missing source when
    the rulebook gives none. Raises KeyError for a figure `FIGURES` does not know."""
    texts = [_text(config, part, path) for part, path in FIGURES[figure]]
    given = list(dict.fromkeys(text for text in texts if text))
    return tuple(_source(text) for text in given) or (Source(""),)


@dataclass(frozen=True)
class Note:
    number: int
    source: Source


@dataclass
class Citations:
    """The footnotes of a page: `marks[figure]` ("1, 3") and the `notes` they point to."""

    marks: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def cite(config: RulebookConfig, figures: Iterable[str]) -> Citations:
    """Number the sources of `figures` in order of first use (one number per distinct text)."""
    citations = Citations()
    numbers: dict[Source, int] = {}
    for figure in figures:
        marks = []
        for source in source_of(config, figure):
            if source not in numbers:
                numbers[source] = len(numbers) + 1
                citations.notes.append(Note(numbers[source], source))
            marks.append(str(numbers[source]))
        citations.marks[figure] = ", ".join(marks)
    return citations


class SheetFacts(Protocol):
    """What decides the figures of a month's or a quarter's sheet (a `Sheet` has both)."""

    is_leader: bool
    no_tasks: bool


def sheet_citations(config: RulebookConfig, sheet: SheetFacts) -> Citations:
    """The footnotes of a month's or a quarter's sheet, for its page and its PDF."""
    return cite(config, sheet_figures(config, leader=sheet.is_leader, no_tasks=sheet.no_tasks))


def annual_citations(config: RulebookConfig) -> Citations:
    """The footnotes of an annual sheet, for its page and its PDF."""
    return cite(config, annual_figures(config))


def sheet_figures(config: RulebookConfig, *, leader: bool, no_tasks: bool) -> tuple[str, ...]:
    """The figures a month's or a quarter's sheet shows, in the order it shows them."""
    figures = ["general", "a", "b", "c"]
    if leader:
        figures += ["d", "dd", "e", "leader_points"]
    else:
        figures += ["task_points"]
    if no_tasks:
        figures += ["no_tasks"]
    figures += ["total", "bands"]
    return (*figures, *_level_limits(config))


def annual_figures(config: RulebookConfig) -> tuple[str, ...]:
    """The figures an annual sheet shows, in the order it shows them."""
    figures = ["months_counted", "min_months", "absence", "annual_score", "bands"]
    if config.annual.params.head_not_above_unit:
        figures.append("head_not_above_unit")
    return (*figures, *_level_limits(config))


def _level_limits(config: RulebookConfig) -> list[str]:
    """What limits the level a head decides: the band as a ceiling (when the rulebook makes
    it one), the vetoes and the quota."""
    limits = [] if config.may_raise_above_band else ["ceiling"]
    return [*limits, "vetoes", "quota"]
