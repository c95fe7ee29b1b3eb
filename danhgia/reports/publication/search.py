"""The public search: people and units in published results, typed without accents.

Only what the public pages show is searched: decided sheets of months whose public
publication in force shows names (`public_results`), and units covered by such a
publication. Words match the accent-free `search_text` of people and units (`core.text.fold`),
so "nguyen van" finds "Nguyễn Văn". Rows are plain values of the fields the privacy level
allows; the score only where the publication shows scores.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from danhgia.core.periods import period_label
from danhgia.core.text import fold
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.organisations.models import Unit
from danhgia.reports.publication.models import Privacy
from danhgia.reports.publication.queries import public_in_force, public_results

PEOPLE_SHOWN = 50  # a search that finds more asks for more words
UNITS_SHOWN = 20
CANDIDATES = 300  # rows read to find the people shown (a word may match a code, not a name)


@dataclass(frozen=True)
class PersonHit:
    name: str
    title: str
    unit: str
    level_name: str
    score: Decimal | None
    month: datetime.date
    month_label: str
    organisation_code: str


@dataclass(frozen=True)
class Found:
    people: list[PersonHit]
    more_people: bool
    units: list[Unit]


def published_months() -> list[tuple[str, str]]:
    """(yyyy-mm, label) of the months with a public publication in force, newest first."""
    starts = (
        public_in_force()
        .filter(period__kind=Period.Kind.MONTH)
        .order_by("-period__start")
        .values_list("period__start", flat=True)
        .distinct()
    )
    return [(f"{start:%Y-%m}", period_label(Period.Kind.MONTH, start)) for start in starts]


def published_levels() -> list[tuple[str, str]]:
    """(code, name) of the levels, named as the published months' rulebooks name them, best
    first. The codes are the same in every rulebook; the newest publication names them."""
    names: dict[str, str] = {}
    levels = (
        public_in_force()
        .order_by("-period__start")
        .values_list("period__rulebook__levels", flat=True)
    )
    for part in levels.distinct()[:20]:
        for item in (part or {}).get("items", []):
            names.setdefault(str(item.get("code")), str(item.get("name")))
    return [(code, names[code]) for code in LEVEL_CODES if code in names]


def _words(text: str) -> list[str]:
    return fold(text).split()[:8]


def _in_name(words: list[str], name: str) -> bool:
    folded = fold(name)
    return all(word in folded for word in words)


def search(text: str, month: datetime.date | None = None, level: str = "") -> Found:
    """People (decided and published) and units whose names hold every word of `text`."""
    words = _words(text)
    sheets: QuerySet[Sheet] = Sheet.objects.all()
    for word in words:
        sheets = sheets.filter(person__search_text__contains=word)
    if month is not None:
        sheets = sheets.filter(period__kind=Period.Kind.MONTH, period__start=month)
    if level:
        sheets = sheets.filter(decided_level=level)
    people: list[PersonHit] = []
    rows = (
        public_results(sheets)
        .order_by("-period__start", "person__sort_key", "pk")
        .values(  # type: ignore[misc]  # public_privacy: public_results' annotation
            "person__full_name",
            "title",
            "unit__name",
            "decided_level",
            "total",
            "public_privacy",
            "period__start",
            "period__kind",
            "period__organisation__code",
            "period__rulebook__levels",
        )[:CANDIDATES]
    )
    for row in rows if (words or month or level) else []:
        if not _in_name(words, row["person__full_name"]):
            continue  # matched the employee code, which the public never sees nor searches
        if len(people) > PEOPLE_SHOWN:
            break
        names = {
            str(item.get("code")): str(item.get("name"))
            for item in (row["period__rulebook__levels"] or {}).get("items", [])
        }
        people.append(
            PersonHit(
                name=row["person__full_name"],
                title=row["title"],
                unit=row["unit__name"],
                level_name=names.get(row["decided_level"], row["decided_level"]),
                score=row["total"] if row["public_privacy"] == Privacy.NAMES_AND_SCORES else None,
                month=row["period__start"],
                month_label=period_label(row["period__kind"], row["period__start"]),
                organisation_code=row["period__organisation__code"],
            )
        )
    return Found(
        people=people[:PEOPLE_SHOWN],
        more_people=len(people) > PEOPLE_SHOWN,
        units=_units(words) if words else [],
    )


def _units(words: list[str]) -> list[Unit]:
    """Units whose name or code holds every word and that a public publication covers (their
    own organisation's or one above): the units whose public page exists."""
    published = set(public_in_force().values_list("period__organisation_id", flat=True))
    if not published:
        return []
    units = Unit.objects.all()
    for word in words:
        units = units.filter(search_text__contains=word)
    found = []
    for unit in units.order_by("path")[:200]:
        if published.intersection(unit.ancestor_ids or [unit.pk]):
            found.append(unit)
            if len(found) == UNITS_SHOWN:
                break
    return found
