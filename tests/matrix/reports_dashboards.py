"""Dashboards and supervision: every role reads the figures of its scope (a person without a
role is sent to their own months); supervisors, HR and administrators read the flags and set
the thresholds of their scope."""

from typing import Any

from tests.conftest import World
from tests.matrix import Row
from tests.matrix.evaluations import period


def _dept(world: World) -> list[Any]:
    return [world.dept.pk]


def _october(world: World) -> list[Any]:
    period(world)  # the province's October, so the month exists in the supervisors' scope
    return []


def _staff(world: World) -> list[Any]:
    return [world.people["staff"].pk]


ROWS = [
    Row("dashboards:home", "302 302 302 200 200 200 200 200"),
    Row("dashboards:unit", "302 404 404 404 200 404 200 200", _dept),
    Row("dashboards:person", "302 200 404 200 200 404 200 200", _staff),
    Row("dashboards:supervision", "302 403 403 403 403 403 200 200"),
    Row("dashboards:integrity", "302 403 403 403 403 403 200 200"),
    Row(
        "dashboards:supervision_pdf",
        "302 403 403 403 403 403 200 200",
        _october,
        data={"thang": "2026-10"},
    ),
    Row(
        "dashboards:supervision_xlsx",
        "302 403 403 403 403 403 200 200",
        _october,
        data={"thang": "2026-10"},
    ),
    Row("dashboards:thresholds", "302 404 404 404 403 404 200 200", _dept),
]
