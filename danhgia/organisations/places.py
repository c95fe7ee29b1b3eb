"""The place name (địa danh) a document of a unit is dated from: "Quảng Nam, ngày … tháng …
năm …". As the rules on administrative documents have it, the name of the administrative unit
where the agency sits: for a commune or ward and everything under it, the commune's; else the
province's (or the city's). Read off the unit tree, its administrative words taken off
("UBND xã Trà My" → "Trà My", "Tỉnh Quảng Nam" → "Quảng Nam")."""

import re

from danhgia.organisations.models import Unit, UnitKind

# The administrative words before the name itself, longest first.
_PREFIX = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)?\s*"
    r"(thành phố|tỉnh|phường|xã|thị trấn|đặc khu|tp\.?)?\s+",
    re.IGNORECASE,
)
PLACE_KINDS = (UnitKind.COMMUNE, UnitKind.PROVINCE)


def bare_name(name: str) -> str:
    """The name without its administrative words; the name itself when nothing is left."""
    bare = _PREFIX.sub("", name.strip(), count=1).strip()
    return bare or name.strip()


def place_name(unit: Unit, cache: dict[int, str] | None = None) -> str:
    """The place of `unit`'s documents: its nearest commune (itself included), else its
    province; "" when the tree holds neither. `cache` (by unit id) spares a query per
    document when many are printed together."""
    if cache is not None and unit.pk in cache:
        return cache[unit.pk]
    chain = unit.ancestor_ids if unit.pk in unit.ancestor_ids else [*unit.ancestor_ids, unit.pk]
    found = {
        pk: (kind, name)
        for pk, kind, name in Unit.objects.filter(pk__in=chain, kind__in=PLACE_KINDS).values_list(
            "pk", "kind", "name"
        )
    }
    place = ""
    for wanted in PLACE_KINDS:
        nearest = [found[pk][1] for pk in reversed(chain) if pk in found and found[pk][0] == wanted]
        if nearest:
            place = bare_name(nearest[0])
            break
    if cache is not None:
        cache[unit.pk] = place
    return place
