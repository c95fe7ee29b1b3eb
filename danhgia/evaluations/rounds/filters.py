"""The filters of a decision page's rows, chosen by the query parameter `loc` (a link, no
JavaScript): waiting for the user's decision (`cho`), a standing proposal that differs from
the band of the score (`khac`), decided (`xong`), or every row (no parameter).

A filter only hides rows: the page's counts, its quota meter and "accept all" read every
row of the scope. Each link carries a stable `data-filter` name for browser walks.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.utils.translation import gettext, pgettext

PARAM: Final = "loc"
WAITING: Final = "cho"
DIFFERS: Final = "khac"
DECIDED: Final = "xong"
ALL: Final = ""
# The value of `?loc=` → the link's `data-filter` name.
NAMES: Final = {WAITING: "waiting", DIFFERS: "differs", DECIDED: "decided", ALL: "all"}


@dataclass(frozen=True)
class FilterLink:
    value: str  # of `?loc=`, "" for every row
    name: str  # `data-filter`
    label: str
    count: int
    href: str
    current: bool


def chosen(query: Mapping[str, str]) -> str:
    """The filter the query asks for; an unknown value shows every row."""
    value = query.get(PARAM, ALL)
    return value if value in NAMES else ALL


def matches(value: str, row: Mapping[str, Any]) -> bool:
    """Whether a row of the page (`rounds/views._rows`) passes the filter."""
    if value == WAITING:
        return bool(row["can_decide"])
    if value == DIFFERS:
        return bool(row["differs"])
    if value == DECIDED:
        return bool(row["sheet"].is_decided)
    return True


def differs(proposal: str, band: str, decided: bool) -> bool:
    """A row not yet decided whose standing proposal is not the band of its score."""
    return not decided and bool(proposal) and proposal != band


def url(base: str, value: str) -> str:
    return f"{base}?{PARAM}={value}" if value else base


def links(rows: Sequence[Mapping[str, Any]], current: str, base: str) -> list[FilterLink]:
    """The four links above the rows, each with how many rows it shows."""
    labels = {
        WAITING: gettext("Waiting for a decision"),
        DIFFERS: gettext("Differs from the band"),
        DECIDED: pgettext("filter of rows", "Decided"),
        ALL: gettext("All"),
    }
    return [
        FilterLink(
            value=value,
            name=name,
            label=labels[value],
            count=sum(1 for row in rows if matches(value, row)),
            href=url(base, value),
            current=value == current,
        )
        for value, name in NAMES.items()
    ]
