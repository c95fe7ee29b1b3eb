"""A GET never writes (issue 16): every GET of the permission matrix, asked by every persona,
runs no INSERT, UPDATE, DELETE or COPY.

The rows and their data come from tests/matrix/ (as tests/test_permission_matrix.py reads
them); the data is built and the persona signed in (`force_login` writes the session) before
the queries are captured. Each row is crawled in its own world, then every row in one world
holding the data of all rows (periods opened, sheets submitted, tasks, plans, appeals ...), so
a page that writes only when it finds some data (a summary out of date, say) is caught too.
"""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.matrix import PERSONAS, Row
from tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.usefixtures("matrix_clock")

GET_ROWS = [row for row in ROWS if row.method == "get"]
WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


def writes_in(queries: list[dict[str, Any]]) -> list[str]:
    """The statements among `queries` that change a table."""
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


def test_every_get_row_is_crawled() -> None:
    assert len(GET_ROWS) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.name)
def test_get_writes_nothing(row: Row, world: World, login: Any) -> None:
    url = reverse(row.name, args=row.args(world))
    for persona in PERSONAS:
        client = login(world.users.get(persona))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, row.data)
        assert response.status_code == row.statuses()[persona], (url, persona)
        assert writes_in(captured.captured_queries) == [], (url, persona)


@pytest.mark.django_db
def test_no_get_writes_in_a_world_holding_every_rows_data(world: World, login: Any) -> None:
    urls = []
    for row in ROWS:
        try:
            with transaction.atomic():  # a row whose data clashes with another's is left out
                args = row.args(world)
        except Exception:  # noqa: BLE001
            continue
        if row.method == "get":
            urls.append((reverse(row.name, args=args), row.data))
    assert len(urls) > 100
    found = []
    for persona in PERSONAS:
        client = login(world.users.get(persona))
        for url, data in urls:
            with CaptureQueriesContext(connection) as captured:
                client.get(url, data)
            found += [(url, persona, sql[:120]) for sql in writes_in(captured.captured_queries)]
    assert not found, "\n".join(f"{url} as {persona}: {sql}" for url, persona, sql in found)
