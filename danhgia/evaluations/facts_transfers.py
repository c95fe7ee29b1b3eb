"""A person's moves between units, read from the audit log (there is no transfer table).

A move is either a `person.transferred` row (written by `services.transfers.transfer_person`,
with the day it took effect) or a `person.updated` row that changed the unit without one (an
edit of the person's page: the move took effect the day it was recorded). Both name the units
by code; the unit ids of a transfer are kept too.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone

from danhgia.core.models import AuditLog
from danhgia.organisations.models import Unit

PERSON_TYPE = "organisations.person"
TRANSFERRED = "person.transferred"
UPDATED = "person.updated"


@dataclass(frozen=True)
class Move:
    on: datetime.date
    from_unit: str  # names of the units (their code when the unit is unknown)
    to_unit: str
    to_unit_id: int | None


def moves_of(person_ids: Collection[int]) -> dict[int, list[Move]]:
    """Each person's moves, oldest first (two queries: the audit rows and the unit names)."""
    rows = list(
        AuditLog.objects.filter(
            object_type=PERSON_TYPE,
            object_id__in=[str(pk) for pk in person_ids],
            action__in=[TRANSFERRED, UPDATED],
        )
        .order_by("id")
        .values_list("id", "object_id", "action", "created_at", "data")
    )
    paired = {row[4].get("update_id") for row in rows if row[2] == TRANSFERRED}
    found: list[tuple[int, datetime.date, str, str]] = []
    for pk, object_id, action, created_at, data in rows:
        data = data if isinstance(data, dict) else {}
        if action == TRANSFERRED:
            on = datetime.date.fromisoformat(str(data.get("on")))
            before = str(data.get("before", {}).get("unit", ""))
            after = str(data.get("after", {}).get("unit", ""))
        else:
            change = data.get("changes", {}).get("unit")
            if pk in paired or not change or change[0] == change[1]:
                continue
            on = timezone.localdate(created_at)
            before, after = str(change[0] or ""), str(change[1] or "")
        found.append((int(object_id), on, before, after))
    codes = {code for _pk, _on, before, after in found for code in (before, after)}
    units = {
        code: (pk, name)
        for code, pk, name in Unit.objects.filter(code__in=codes).values_list("code", "pk", "name")
    }
    moves: dict[int, list[Move]] = {}
    for person_id, on, before, after in found:
        to_id, to_name = units.get(after, (None, after))
        moves.setdefault(person_id, []).append(
            Move(on, units.get(before, (None, before))[1], to_name, to_id)
        )
    for person_moves in moves.values():
        person_moves.sort(key=lambda move: move.on)
    return moves


def moves_within(person_id: int, first: datetime.date, last: datetime.date) -> list[Move]:
    """The person's moves that took effect between `first` and `last` (a sheet's period)."""
    return [move for move in moves_of([person_id]).get(person_id, []) if first <= move.on <= last]
