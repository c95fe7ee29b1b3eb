"""A GET never writes (issue 16): every GET of the permission matrix, asked by every signed-in
persona, runs no INSERT, UPDATE, DELETE or COPY.

The rows and their data come from tests/matrix/ (as tests/test_permission_matrix.py reads
them); the data is built and the persona signed in (`force_login` writes the session) before
the queries are captured.
"""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.matrix import PERSONAS, Row
from tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.usefixtures("matrix_clock")

GET_ROWS = [row for row in ROWS if row.method == "get"]
SIGNED_IN = [persona for persona in PERSONAS if persona != "anonymous"]
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
    for persona in SIGNED_IN:
        client = login(world.users[persona])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, row.data)
        assert response.status_code == row.statuses()[persona], (url, persona)
        assert writes_in(captured.captured_queries) == [], (url, persona)
