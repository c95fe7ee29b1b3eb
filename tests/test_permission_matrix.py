"""Every URL × every persona (rows in tests/matrix/); a URL without a row fails. Every answer
to a signed-in persona carries `Cache-Control: private, no-store`."""

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.conftest import World
from tests.matrix import PERSONAS, Row

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

# Every module of tests/matrix/ with a ROWS list, in name order.
ROWS: list[Row] = [
    row
    for module in sorted(info.name for info in pkgutil.iter_modules(tests.matrix.__path__))
    for row in importlib.import_module(f"tests.matrix.{module}").ROWS
]
ROWS_BY_NAME = {row.name: row for row in ROWS}


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}"


def test_no_url_has_two_rows() -> None:
    assert len(ROWS_BY_NAME) == len(ROWS)


def test_every_url_has_a_row() -> None:
    missing = sorted(set(_url_names(get_resolver())) - set(ROWS_BY_NAME))
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_status(row: Row, persona: str, world: World, login: Any) -> None:
    client = login(None if persona == "anonymous" else world.users[persona])
    url = reverse(row.name, args=row.args(world))
    response = getattr(client, row.method)(url, row.data)
    assert response.status_code == row.statuses()[persona], (url, persona)
    if persona != "anonymous":
        # Nothing a signed-in person receives is kept by a browser or proxy cache (2xx, 3xx
        # and 4xx alike, downloads included): NoStoreWhenSignedInMiddleware.
        assert response.get("Cache-Control") == "private, no-store", (url, persona)
