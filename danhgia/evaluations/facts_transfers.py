"""A person's moves between units, read from `organisations.Transfer` (one row per move,
written beside every change of `Person.unit`: the transfer form, the person's page, the
people import)."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from danhgia.organisations.models import Transfer


@dataclass(frozen=True)
class Move:
    on: datetime.date
    from_unit: str  # names of the units
    to_unit: str
    to_unit_id: int


def moves_of(person_ids: Collection[int]) -> dict[int, list[Move]]:
    """Each person's moves, oldest first (one query)."""
    rows = (
        Transfer.objects.filter(person_id__in=list(person_ids))
        .order_by("effective_on", "recorded_at", "pk")
        .values_list("person_id", "effective_on", "from_unit__name", "to_unit__name", "to_unit_id")
    )
    moves: dict[int, list[Move]] = {}
    for person_id, on, from_name, to_name, to_unit_id in rows:
        moves.setdefault(person_id, []).append(Move(on, from_name, to_name, to_unit_id))
    return moves


def moves_within(person_id: int, first: datetime.date, last: datetime.date) -> list[Move]:
    """The person's moves that took effect between `first` and `last` (a sheet's period)."""
    return [move for move in moves_of([person_id]).get(person_id, []) if first <= move.on <= last]
