"""The permission matrix: every URL × every persona and the status each must get.

Out of scope is 404, in scope but not allowed is 403, anonymous is sent to the login page
(302). Each area keeps its rows in a module of this package; tests/test_permission_matrix.py
collects them and fails when a URL pattern has no row.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import World

# The rows' data are fixed months (October 2026, the year 2025): every test that builds them runs
# at this instant (the `matrix_clock` fixture of tests/conftest.py), just after October ended
# and before its self-evaluation deadline, whatever the date of the run.
MATRIX_NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

PERSONAS = [
    "anonymous",
    "staff",
    "staff_other",
    "manager",
    "head",
    "head_other",
    "hr",
    "supervisor",
]


@dataclass
class Row:
    name: str
    expect: str  # one status per persona, in PERSONAS order
    args: Callable[[World], list[Any]] = lambda world: []
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    def statuses(self) -> dict[str, int]:
        codes = [int(code) for code in self.expect.split()]
        assert len(codes) == len(PERSONAS), self.name
        return dict(zip(PERSONAS, codes, strict=True))
