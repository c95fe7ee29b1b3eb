"""A test that commits for real keeps the rows the migrations ship (tests/shipped_rows.py):
`make test` hands whole modules to its workers (`--dist loadscope`), so a test that reads a
shipped rulebook may run right after one whose flush emptied the tables."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.shipped import SHIPPED_RULEBOOKS
from tests.shipped_rows import restore_shipped_rows


def _shipped() -> tuple[list[Any], ...]:
    return (
        list(Rulebook.objects.order_by("pk").values_list("pk", "code", "version")),
        list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")),
        list(Permission.objects.order_by("pk").values_list("pk", "codename")),
    )


@pytest.mark.django_db(transaction=True)
def test_a_committing_test_runs_with_serialized_rollback_and_sees_the_shipped_rows(
    request: pytest.FixtureRequest,
) -> None:
    marker = request.node.get_closest_marker("django_db")
    assert marker is not None
    assert marker.kwargs == {"transaction": True, "serialized_rollback": True}
    assert Rulebook.objects.count() == len(SHIPPED_RULEBOOKS)


@pytest.mark.django_db(transaction=True)
def test_the_shipped_rows_come_back_as_they_were_after_a_flush(
    request: pytest.FixtureRequest,
) -> None:
    before = _shipped()
    assert before[0] and before[1] and before[2]
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert _shipped() == ([], [], [])

    restore_shipped_rows(request.config)

    assert _shipped() == before
