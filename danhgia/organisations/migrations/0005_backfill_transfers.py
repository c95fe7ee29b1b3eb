"""Rebuild the history of transfers from the audit log, once: before the `Transfer` table, a
move was only written there (docs/decisions.md). This migration is the one place the log is
read as the source of a fact.

A move is a `person.transferred` row (the day it took effect and both units, by id) or a
`person.updated` row that changed the unit without one (an edit of the person's page: the
move took effect the day it was recorded; the units by code). A row whose person or units
no longer resolve is skipped. Moves made by a people import were never logged one by one
and cannot be recovered.
"""

import datetime

from django.db import migrations
from django.utils import timezone

PERSON_TYPE = "organisations.person"
TRANSFERRED = "person.transferred"
UPDATED = "person.updated"


def _unit_id(side: object, unit_ids: set[int], by_code: dict[str, int]) -> int | None:
    side = side if isinstance(side, dict) else {}
    unit_id = side.get("unit_id")
    if isinstance(unit_id, int) and unit_id in unit_ids:
        return unit_id
    return by_code.get(str(side.get("unit", "")))


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditLog = apps.get_model("core", "AuditLog")
    Person = apps.get_model("organisations", "Person")
    Transfer = apps.get_model("organisations", "Transfer")
    Unit = apps.get_model("organisations", "Unit")
    rows = list(
        AuditLog.objects.filter(object_type=PERSON_TYPE, action__in=[TRANSFERRED, UPDATED])
        .order_by("id")
        .values_list("id", "object_id", "action", "created_at", "actor_id", "data")
    )
    if not rows:
        return
    by_code = dict(Unit.objects.values_list("code", "pk"))
    unit_ids = set(by_code.values())
    people = set(Person.objects.values_list("pk", flat=True))
    paired = {
        data.get("update_id")
        for _pk, _object, action, _at, _actor, data in rows
        if action == TRANSFERRED and isinstance(data, dict)
    }
    transfers = []
    for pk, object_id, action, created_at, actor_id, data in rows:
        data = data if isinstance(data, dict) else {}
        if action == TRANSFERRED:
            try:
                on = datetime.date.fromisoformat(str(data.get("on")))
            except ValueError:
                continue
            from_id = _unit_id(data.get("before"), unit_ids, by_code)
            to_id = _unit_id(data.get("after"), unit_ids, by_code)
        else:
            change = (data.get("changes") or {}).get("unit")
            if pk in paired or not change or len(change) != 2 or change[0] == change[1]:
                continue
            on = timezone.localdate(created_at)
            from_id, to_id = by_code.get(str(change[0] or "")), by_code.get(str(change[1] or ""))
        person_id = int(object_id) if str(object_id).isdigit() else None
        if person_id not in people or from_id is None or to_id is None or from_id == to_id:
            continue
        transfers.append(
            Transfer(
                person_id=person_id,
                from_unit_id=from_id,
                to_unit_id=to_id,
                effective_on=on,
                recorded_at=created_at,
                recorded_by_id=actor_id,
                source="form",
            )
        )
    Transfer.objects.bulk_create(transfers, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_anchor"),
        ("organisations", "0004_transfer"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
