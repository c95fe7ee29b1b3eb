"""Digital signatures: the verification page is open to everyone (anonymous included); the
page to sign the department's October summary is for a head over it (the manager's scope is
the division only: 404; HR and the supervisor see the unit but do not decide: 403)."""

from typing import Any

from tests.conftest import World
from tests.matrix import Row
from tests.matrix import evaluations as evaluation_rows


def _month(world: World) -> list[Any]:
    evaluation_rows.period(world)
    return [world.dept.pk, 2026, 10]


ROWS = [
    Row("signatures:verify", "200 200 200 200 200 200 200 200"),
    Row("signatures:sign_month", "302 404 404 404 200 404 403 403", _month),
]
