"""Days of leave within a span of days, by person and kind: sheets show them, the annual
rules read them (months actually worked; sick and maternity leave)."""

import datetime
from collections.abc import Collection

from danhgia.evaluations.models import Leave

# Ids per `IN (...)` list: one query for up to this many people.
_CHUNK = 2000


def leave_days_in(
    person_ids: Collection[int], first: datetime.date, last: datetime.date
) -> dict[int, dict[str, int]]:
    """{person id: {leave kind: calendar days of leave between `first` and `last`}}.

    Only people with leave in the span appear. Leave of one person never overlaps (the
    services refuse it), so the days of each kind simply add up. One query per 2,000 people.
    """
    if last < first:
        raise ValueError("the span ends before it starts")
    ids = sorted(set(person_ids))
    result: dict[int, dict[str, int]] = {}
    for index in range(0, len(ids), _CHUNK):
        rows = Leave.objects.filter(
            person_id__in=ids[index : index + _CHUNK], start__lte=last, end__gte=first
        ).values_list("person_id", "kind", "start", "end")
        for person_id, kind, start, end in rows:
            days = (min(end, last) - max(start, first)).days + 1
            by_kind = result.setdefault(person_id, {})
            by_kind[kind] = by_kind.get(kind, 0) + days
    return result
