"""Batched writes for imports: chunks for bulk_create and `__in` lookups, and a linear update.

`QuerySet.bulk_update()` builds one CASE WHEN per row and field, and Django spends about
200 µs compiling each; measured on PostgreSQL (November 2026), 10,000 people x 12 fields took
52 s with `bulk_update(batch_size=2000)` and 1.0 s with `update_rows` below. So changed rows
are written with one parameterised UPDATE per row through `executemany`, which the PostgreSQL
driver pipelines. Values go through each field's `get_db_prep_save`, as the ORM does, so the
same code runs on SQLite.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar, cast

from django.db import connection, models

BATCH_SIZE = 2000
T = TypeVar("T")


def in_chunks(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """Lists of at most `size` items: for bulk writes and for `__in` lookups of many codes."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def update_rows(
    model: type[models.Model], objects: Sequence[models.Model], names: list[str]
) -> None:
    """Write the fields `names` of every object in `objects` (which have primary keys).

    Runs in the caller's transaction; no signals, no `save()`, like `bulk_update`.
    """
    if not objects:
        return
    fields = [cast(models.Field, model._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))  # type: ignore[union-attr]
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 - model names only
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
