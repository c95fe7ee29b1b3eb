"""October 2026 of the test province, evaluated through the services: the staff member and
five colleagues of Phòng Công chức each have one task done on time (70 task points), evaluate
themselves, are reviewed by the manager and decided by the head of Sở Nội vụ.

`evaluate(key, general=GOOD, self_level="good", manager_level="good")` takes one person to
"reviewed"; `decide(key, level, reason="")` decides; `month(levels)` does all six at once.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import World
from tests.evaluations.conftest import (  # noqa: F401  (fixtures used through `october`)
    FULL_SCORES,
    MakeTask,
    OpenOctober,
    english,
    make_task,
    nd335,
    nd335_raising,
    oct_,
    open_october,
    scores,
    sheet_of,
)
from tests.factories import PersonFactory, UserFactory

GOOD = scores(5, 5, 5)  # 15 + 70 = 85: band "good"
EXCELLENT = FULL_SCORES  # 30 + 70 = 100: band "excellent"
DIVISION = ["staff", "cv0", "cv1", "cv2", "cv3", "cv4"]


class Month:
    """October with the six people of the division ready to evaluate."""

    def __init__(self, world: World, period: Period) -> None:
        self.world = world
        self.period = period

    def sheet(self, key: str) -> Sheet:
        return sheet_of(self.period, self.world.people[key])

    def evaluate(
        self,
        key: str,
        general: dict[str, Decimal] | None = None,
        self_level: str = "good",
        manager_level: str = "good",
    ) -> Sheet:
        general = general or GOOD
        owner = self.world.users[key]
        sheet = save_self_evaluation(
            self.sheet(key), by=owner, scores=general, proposed_level=self_level
        )
        sheet = submit_self_evaluation(sheet, by=owner)
        return submit_review(
            sheet, by=self.world.users["manager"], scores=general, proposed_level=manager_level
        )

    def decide(self, key: str, level: str = "good", **options: Any) -> Sheet:
        return decide_sheet(self.sheet(key), by=self.world.users["head"], level=level, **options)

    def all_good(self) -> None:
        for key in DIVISION:
            self.evaluate(key)
            self.decide(key)


def _division(world: World, make_task: MakeTask) -> None:  # noqa: F811
    for number in range(5):
        key = f"cv{number}"
        user = UserFactory(username=key)
        world.people[key] = PersonFactory(
            full_name=f"Chuyên Viên {number}", unit=world.division, user=user, title="Chuyên viên"
        )
        world.users[key] = user
    for key in DIVISION:
        make_task(key, done_on=oct_(10), meets_quality=True)


@pytest.fixture
def october(world: World, open_october: OpenOctober, make_task: MakeTask) -> Month:  # noqa: F811
    _division(world, make_task)
    return Month(world, open_october())


@pytest.fixture
def october_raising(
    world: World,
    open_october: OpenOctober,  # noqa: F811
    make_task: MakeTask,  # noqa: F811
    nd335_raising: Rulebook,  # noqa: F811
) -> Month:
    """October on rules that let the head raise a level above the band (Nghị định 335 version
    2, an organisation's clone): what supervision flags there."""
    _division(world, make_task)
    return Month(world, open_october(rulebook=nd335_raising))


Decide = Callable[..., Sheet]
