"""The rows the migrations ship (rulebooks, titles, content types...) survive the tests that
commit for real.

A test with `django_db(transaction=True)` (or the live server) empties every table when it ends
(TransactionTestCase's flush), the rows the data migrations inserted included. Django's own
runner hides this by running such tests last; a pytest-xdist worker given whole modules
(`--dist loadscope`) does not, and a test that reads a shipped rulebook after them fails. So
every such test runs with `serialized_rollback` (Django saves the migrated rows when it creates
the test database and restores them when the test starts), and the rows are restored again as
soon as it ends when a test that does not commit comes next (see tests/conftest.py).
"""

from typing import Any

import pytest
from django.db import connections
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

# Fixtures that make a test transactional without the mark saying so (pytest-django's rule).
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def commits_for_real(item: pytest.Item) -> bool:
    """Whether the test runs as a TransactionTestCase: its tables are flushed when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def keep_shipped_rows(item: pytest.Item) -> None:
    """Give a test that commits for real `serialized_rollback`, its other arguments kept."""
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, databases, serialized, available_apps = (
        validate_django_db(marker) if marker is not None else (True, False, None, False, None)
    )
    if serialized:
        return
    kwargs: dict[str, Any] = {"transaction": True, "serialized_rollback": True}
    if reset_sequences:
        kwargs["reset_sequences"] = True
    if databases is not None:
        kwargs["databases"] = databases
    if available_apps is not None:
        kwargs["available_apps"] = available_apps
    # First among the test's marks, so that it is the closest one pytest-django reads.
    item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def restore_shipped_rows(config: pytest.Config) -> None:
    """Insert again the rows saved when the test databases were created (after a flush)."""
    with config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            saved = getattr(connection, "_test_serialized_contents", None)
            if saved is not None:
                connection.creation.deserialize_db_from_string(saved)
