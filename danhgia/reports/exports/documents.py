"""The documents themselves: a person's monthly sheet (docs/domain.md §21), a month's summary PDF
and workbook, and the annual forms (Mẫu 01/02/03 of Nghị định 90/2020). Reads only.

Everything is rendered in the active language; the national motto is the form's own text and
is never translated. Numbers and dates go through Django's localisation (93,75 in Vietnamese).
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danhgia.annual.models import AnnualSheet
from danhgia.annual.services import annual_sheet_config
from danhgia.core.numbers import percent_text
from danhgia.core.periods import month_label
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.citations import annual_citations, sheet_citations
from danhgia.evaluations.rules.reading import RuleError
from danhgia.evaluations.rules.schema import RulebookConfig, parse_rulebook
from danhgia.evaluations.services.categories import (
    Configs,
    annual_form,
    sheet_config,
)
from danhgia.evaluations.services.sheets import current_lines
from danhgia.organisations.models import Unit
from danhgia.organisations.places import place_name
from danhgia.reports.pdf import render_pdf
from danhgia.reports.xlsx import StreamedWorkbook

Progress = Callable[[int, int], None]  # (rows done, rows in all)


# A line of the agency block holds about this many capitals at the header's 12 pt (42 % of
# the A4 text width); a longer one is set smaller, down to 8 pt, never broken inside a name
# ("VIÊN / CHỨC"); a name too long even then goes on two lines, cut where its parts meet.
AGENCY_LINE_CHARACTERS = 30
AGENCY_FONT_PT = 12.0
AGENCY_SMALLEST_PT = 8.0
AGENCY_CUTS = (" - ", " – ", " VÀ ", ", ", " ")


def _fitted(text: str) -> dict[str, str]:
    size = AGENCY_FONT_PT * AGENCY_LINE_CHARACTERS / max(len(text), 1)
    return {"text": text, "size": f"{max(AGENCY_SMALLEST_PT, min(AGENCY_FONT_PT, size)):.1f}"}


def _halves(text: str, longest: float) -> list[str]:
    """`text` cut in two where its parts meet, nearest its middle: at the strongest kind of
    join (AGENCY_CUTS' order) that leaves both halves within `longest` characters."""
    halves = [text]
    for cut in AGENCY_CUTS:
        places = [index for index in range(len(text)) if text.startswith(cut, index)]
        if places:
            at = min(places, key=lambda index: abs(index + len(cut) / 2 - len(text) / 2))
            halves = [text[: at + len(cut)].strip(), text[at + len(cut) :].strip()]
            if max(len(half) for half in halves) <= longest:
                break
    return halves


def agency_lines(unit: Unit) -> list[dict[str, Any]]:
    """The agency block of a form's header: the parent's name, then the unit's (bold)."""
    names = [unit.parent.name] if unit.parent_id and unit.parent else []
    return header_lines([*names, unit.name])


def header_lines(names: list[str]) -> list[dict[str, Any]]:
    """The agency block of `names` (the last in bold), upper case, each line with the font
    size (pt) at which it holds on its line: what every form's header prints."""
    longest = AGENCY_LINE_CHARACTERS * AGENCY_FONT_PT / AGENCY_SMALLEST_PT
    lines = []
    for index, name in enumerate(names):
        text = name.upper()
        parts = _halves(text, longest) if len(text) > longest else [text]
        size = min(float(_fitted(part)["size"]) for part in parts)  # one size for one name
        strong = index == len(names) - 1
        lines += [{"text": part, "size": f"{size:.1f}", "strong": strong} for part in parts]
    return lines


def percent(value: Decimal | int | None) -> str:
    """A percentage as the forms print it: no trailing zeros, local separator ("93,75 %")."""
    return percent_text(value)


def level_names(config: RulebookConfig) -> dict[str, str]:
    return {level.code: level.name for level in config.levels}


# One person's monthly sheet


def sheet_context(sheet: Sheet) -> dict[str, Any]:
    """What the sheet form shows (raises EvaluationError when the rulebook is broken)."""
    config = sheet_config(sheet)
    names = level_names(config)
    criteria = [
        {
            "number": index,
            "name": criterion.name,
            "max": criterion.max_points,
            "self": sheet.self_scores.get(criterion.code),
            "manager": sheet.manager_scores.get(criterion.code),
        }
        for index, criterion in enumerate(config.criteria, start=1)
    ]
    decided_by = sheet.decided_by.person.full_name if sheet.decided_by_id else ""  # type: ignore[union-attr]
    return {
        "sheet": sheet,
        "config": config,
        "criteria": criteria,
        "cites": sheet_citations(config, sheet),
        "lines": current_lines(sheet),  # the tasks behind a, b, c, as the sheet page lists them
        "agency": agency_lines(sheet.unit),
        "place": place_name(sheet.unit),
        "band_name": names.get(sheet.band, sheet.band),
        "self_level_name": names.get(sheet.self_level, ""),
        "manager_level_name": names.get(sheet.manager_level, ""),
        "decided_level_name": names.get(sheet.decided_level, ""),
        "decided_by_name": decided_by,
        "pct": {
            "quantity": percent(sheet.quantity_pct),
            "quality": percent(sheet.quality_pct),
            "timeliness": percent(sheet.timeliness_pct),
            "unit_result": percent(sheet.unit_result_pct),
            "organising": percent(sheet.organising_pct),
            "uniting": percent(sheet.uniting_pct),
        },
    }


def sheet_pdf(sheet: Sheet) -> bytes:
    """The sheet of Nghị định 335's appendix as an A4 PDF (two or three pages with the list
    of the sources of its figures)."""
    return render_pdf("reports/exports/sheet_pdf.html", sheet_context(sheet))


def sheet_filename(sheet: Sheet) -> str:
    """`phieu-danh-gia-<code>-2026-10.pdf` for a month, `…-2026-q4.pdf` for a quarter."""
    start = sheet.period.start
    when = f"{start:%Y-%m}"
    if sheet.period.kind == Period.Kind.QUARTER:
        when = f"{start.year}-q{(start.month - 1) // 3 + 1}"
    return f"phieu-danh-gia-{sheet.person.employee_code}-{when}.pdf"


# A month of a unit (and everything below it)


def month_sheets(unit: Unit, month: datetime.date) -> QuerySet[Sheet]:
    """Every sheet of a monthly period starting on `month` whose unit is `unit` or below it,
    whichever organisation opened the period: a province's month gathers its departments'."""
    return Sheet.objects.filter(
        period__kind=Period.Kind.MONTH,
        period__start=month,
        unit__path__startswith=unit.path,
    ).order_by("unit__path", "person__sort_key", "pk")


def _configs(rulebook_ids: set[int]) -> dict[int, RulebookConfig | None]:
    configs: dict[int, RulebookConfig | None] = {}
    for rulebook in Rulebook.objects.filter(pk__in=rulebook_ids):
        try:
            configs[rulebook.pk] = parse_rulebook(rulebook)
        except RuleError:
            configs[rulebook.pk] = None
    return configs


def month_rulebooks(unit: Unit, month: datetime.date) -> dict[int, RulebookConfig | None]:
    """The rules of every period in the month (usually one), by rulebook id."""
    ids = set(
        month_sheets(unit, month)
        .order_by()
        .values_list("period__rulebook_id", flat=True)
        .distinct()
    )
    return _configs(ids)


MONTH_FIELDS = (
    "pk",
    "period__rulebook_id",
    "person__employee_code",
    "person__full_name",
    "title",
    "unit__code",
    "unit__name",
    "is_leader",
    "task_group",
    "status",
    "self_scores",
    "manager_scores",
    "self_general",
    "manager_general",
    "quantity_pct",
    "quality_pct",
    "timeliness_pct",
    "unit_result_pct",
    "organising_pct",
    "uniting_pct",
    "task_points",
    "total",
    "band",
    "self_level",
    "manager_level",
    "decided_level",
    "quota_exception",
    "veto_reason",
    "decision_reason",
    "strengths",
    "shortcomings",
    "manager_comment",
    "self_submitted_at",
    "reviewed_at",
    "decided_at",
    "decided_by__person__full_name",
)


def month_records(unit: Unit, month: datetime.date) -> Iterator[dict[str, Any]]:
    """The month's sheets as dicts (one query, streamed in chunks: flat memory)."""
    rows = month_sheets(unit, month).values_list(*MONTH_FIELDS)
    for values in rows.iterator(chunk_size=2000):
        yield dict(zip(MONTH_FIELDS, values, strict=True))


def _criteria_columns(configs: dict[int, RulebookConfig | None]) -> list[tuple[str, str]]:
    """(code, name) of every criterion of the month's rulebooks, in rulebook order."""
    seen: dict[str, str] = {}
    for config in configs.values():
        for criterion in config.criteria if config else ():
            seen.setdefault(criterion.code, criterion.name)
    return list(seen.items())


def _score(scores: dict[str, Any], code: str) -> Decimal | None:
    value = scores.get(code)
    return None if value in (None, "") else Decimal(str(value))


def write_month_workbook(
    unit: Unit, month: datetime.date, target: str | IO[bytes], progress: Progress | None = None
) -> int:
    """Every sheet of the month with every component (criteria, a–e, totals, levels, words,
    dates) on one sheet, and the count of each decided level per unit on a second one.
    Returns the number of rows. Calls `progress(done, total)` every 1,000 rows."""
    configs = month_rulebooks(unit, month)
    criteria = _criteria_columns(configs)
    names: dict[int, dict[str, str]] = {
        pk: level_names(config) if config else {} for pk, config in configs.items()
    }
    statuses = dict(Sheet.Status.choices)
    total_rows = month_sheets(unit, month).count()
    book = StreamedWorkbook()
    header = [
        _("No."),
        _("Employee code"),
        _("Full name"),
        _("Title or job position"),
        _("Unit code"),
        _("Unit"),
        _("Leader"),
        _("Group with similar tasks"),
        _("Status"),
    ]
    for _code, name in criteria:
        header += [_("%(criterion)s (self)") % {"criterion": name}]
        header += [_("%(criterion)s (manager)") % {"criterion": name}]
    header += [
        _("General criteria (self)"),
        _("General criteria (manager)"),
        _("a: quantity (%)"),
        _("b: quality (%)"),
        _("c: timeliness (%)"),
        _("d: unit results (%)"),
        _("đ: organising (%)"),
        _("e: uniting staff (%)"),
        _("Task result points"),
        _("Total"),
        _("Band of the score"),
        _("Level proposed by the person"),
        _("Level proposed by the manager"),
        _("Decided level"),
        _("Quota exception"),
        _("Veto"),
        _("Reason for the decision"),
        _("Strengths"),
        _("Shortcomings"),
        _("Comments of the manager"),
        _("Submitted at"),
        _("Reviewed at"),
        _("Decided at"),
        _("Decided by"),
    ]
    widths = [6, 14, 26, 24, 12, 30, 8, 16, 16] + [10] * (2 * len(criteria) + 10)
    widths += [24, 24, 24, 24, 10, 30, 30, 40, 40, 40, 16, 16, 16, 24]
    title = month_label(month)
    sheet = book.add_sheet(title, header, widths=widths)
    per_unit: dict[tuple[str, str], Counter[str]] = {}
    level_order: dict[str, str] = {}
    for config in configs.values():
        for level in config.levels if config else ():
            level_order.setdefault(level.code, level.name)
    for number, row in enumerate(month_records(unit, month), start=1):
        levels = names.get(row["period__rulebook_id"], {})
        values: list[Any] = [
            number,
            row["person__employee_code"],
            row["person__full_name"],
            row["title"],
            row["unit__code"],
            row["unit__name"],
            row["is_leader"],
            row["task_group"],
            str(statuses.get(row["status"], row["status"])),
        ]
        for code, _name in criteria:
            values += [_score(row["self_scores"], code), _score(row["manager_scores"], code)]
        values += [
            row["self_general"],
            row["manager_general"],
            row["quantity_pct"],
            row["quality_pct"],
            row["timeliness_pct"],
            row["unit_result_pct"],
            row["organising_pct"],
            row["uniting_pct"],
            row["task_points"],
            row["total"],
            levels.get(row["band"], row["band"]),
            levels.get(row["self_level"], row["self_level"]),
            levels.get(row["manager_level"], row["manager_level"]),
            levels.get(row["decided_level"], row["decided_level"]),
            row["quota_exception"],
            row["veto_reason"],
            row["decision_reason"],
            row["strengths"],
            row["shortcomings"],
            row["manager_comment"],
            row["self_submitted_at"],
            row["reviewed_at"],
            row["decided_at"],
            row["decided_by__person__full_name"] or "",
        ]
        sheet.append(values)
        counter = per_unit.setdefault((row["unit__code"], row["unit__name"]), Counter())
        counter["sheets"] += 1
        if row["status"] == Sheet.Status.DECIDED:
            counter["decided"] += 1
            counter[row["decided_level"]] += 1
        if progress is not None and number % 1000 == 0:
            progress(number, total_rows)
    summary = book.add_sheet(
        _("Summary"),
        [_("Unit code"), _("Unit"), _("Sheets"), _("Decided"), *level_order.values()],
        widths=[12, 36, 10, 10] + [16] * len(level_order),
    )
    for (code, name), counter in per_unit.items():
        summary.append(
            [code, name, counter["sheets"], counter["decided"]]
            + [counter[level] for level in level_order]
        )
    book.save(target)
    return sheet.rows - 1


def month_summary_context(unit: Unit, month: datetime.date) -> dict[str, Any]:
    """The rows and counts of a unit's month for the summary PDF."""
    configs = month_rulebooks(unit, month)
    names = {pk: level_names(config) if config else {} for pk, config in configs.items()}
    sheets = list(month_sheets(unit, month).select_related("person", "unit", "period"))
    order: dict[str, str] = {}
    for config in configs.values():
        for level in config.levels if config else ():
            order.setdefault(level.code, level.name)
    counts: Counter[str] = Counter()
    rows = []
    for sheet in sheets:
        levels = names.get(sheet.period.rulebook_id, {})
        if sheet.is_decided:
            counts[sheet.decided_level] += 1
        rows.append(
            {
                "sheet": sheet,
                "general": sheet.manager_general
                if sheet.manager_general is not None
                else sheet.self_general,
                "self_level": levels.get(sheet.self_level, ""),
                "manager_level": levels.get(sheet.manager_level, ""),
                "decided_level": levels.get(sheet.decided_level, ""),
                "band": levels.get(sheet.band, ""),
            }
        )
    decided = sum(counts.values())
    tally = [
        {
            "name": name,
            "count": counts[code],
            "share": Decimal(100 * counts[code]) / decided if decided else None,
        }
        for code, name in order.items()
    ]
    return {
        "unit": unit,
        "month": month,
        "agency": agency_lines(unit),
        "place": place_name(unit),
        "rows": rows,
        "tally": tally,
        "decided": decided,
        "undecided": len(rows) - decided,
    }


def month_pdf(unit: Unit, month: datetime.date) -> bytes:
    return render_pdf("reports/exports/month_pdf.html", month_summary_context(unit, month))


def month_filename(unit: Unit, month: datetime.date, extension: str) -> str:
    return f"ket-qua-{unit.code.lower()}-{month:%Y-%m}.{extension}"


# Annual forms: those of the regime of the sheet's rulebook and the person's staff category
# (`annual.forms`; Nghị định 90/2020's Mẫu 01/02/03 for a rulebook naming none).


def annual_form_context(sheet: AnnualSheet, config: RulebookConfig) -> dict[str, Any]:
    """One annual form: the person, the periods counted, the score and the decision."""
    names = level_names(config)
    months = [
        {
            "start": datetime.date.fromisoformat(month["start"]),
            "end": datetime.date.fromisoformat(month.get("end") or month["start"]),
            "total": Decimal(str(month["total"])),
            "level": names.get(month["level"], month["level"]),
            "counted": month.get("counted", True),
        }
        for month in sheet.months
    ]
    category = sheet.person.staff_category
    decided_by = sheet.decided_by.person.full_name if sheet.decided_by_id else ""  # type: ignore[union-attr]
    return {
        "sheet": sheet,
        "form": annual_form(config, category).code,
        "category": category,
        "agency": agency_lines(sheet.unit),
        "place": place_name(sheet.unit),
        "months": months,
        "levels": [level.name for level in config.levels],
        "band": names.get(sheet.band, ""),
        "proposed": names.get(sheet.proposed_level, ""),
        "decided": names.get(sheet.decided_level, ""),
        "cap": names.get(sheet.cap_level, ""),
        "decided_by_name": decided_by,
        "config": config,
        "cites": annual_citations(config),
    }


def annual_pdf(sheets: list[AnnualSheet]) -> bytes:
    """One form per person, each under its own rulebook, each starting on a new page."""
    configs: dict[int, Configs] = {}
    forms = []
    for sheet in sheets:
        period = sheet.annual_period
        rules = configs.setdefault(period.pk, Configs(period))
        forms.append(annual_form_context(sheet, rules.of(sheet)))
    return render_pdf("reports/exports/annual_pdf.html", {"forms": forms})


def annual_filename(sheet: AnnualSheet) -> str:
    form = annual_form(annual_sheet_config(sheet), sheet.person.staff_category).code
    year = sheet.annual_period.year
    prefix = f"mau-{form}" if form else "phieu-danh-gia"
    return f"{prefix}-{sheet.person.employee_code}-{year}.pdf"
