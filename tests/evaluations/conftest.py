"""Evaluation fixtures: October 2026 of the test province, with tasks made through the services.

October 2026 lies in the past (tasks can be completed on their days) and after 1/1/2026 (the
Nghị định 335 rulebook applies). Periods opened here get deadlines in the future unless a
test says otherwise, so the clock of the machine does not decide the outcome.
"""

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.rulebooks import clone_rulebook, update_rulebook_part
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person
from danhgia.work.models import ProductType, Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.catalogue import create_product_type
from danhgia.work.services.tasks import assign_task, complete_task
from tests.conftest import World

OCT = datetime.date(2026, 10, 1)
OCT_END = datetime.date(2026, 10, 31)
FULL_SCORES = {"ethics": Decimal(10), "competence": Decimal(10), "innovation": Decimal(10)}


def oct_(day: int) -> datetime.date:
    return datetime.date(2026, 10, day)


def future_deadlines(days: int = 10) -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {
        "self_evaluation_due": today + datetime.timedelta(days=days),
        "review_due": today + datetime.timedelta(days=days + 5),
        "decision_due": today + datetime.timedelta(days=days + 10),
    }


def scores(ethics: int | str, competence: int | str, innovation: int | str) -> dict[str, Decimal]:
    return {
        "ethics": Decimal(str(ethics)),
        "competence": Decimal(str(competence)),
        "innovation": Decimal(str(innovation)),
    }


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def nd335(db: None) -> Rulebook:
    """The Nghị định 335 rulebook a new period takes: its latest version."""
    ensure_shipped_rulebooks()
    return Rulebook.objects.filter(code="ND335-2025").order_by("-version").first()  # type: ignore[return-value]


@pytest.fixture
def nd335_raising(world: World, nd335: Rulebook) -> Rulebook:
    """HR's clone of the latest Nghị định 335 rulebook that lets the head raise a level above
    the band (`levels.may_raise_above_band` true, as in version 2): for tests about reasons,
    vetoes or the quota on a raised level."""
    clone = clone_rulebook(
        nd335, by=world.users["hr"], organisation=world.province, name="Cho phép nâng mức"
    )
    levels = {**clone.levels, "may_raise_above_band": True}
    return update_rulebook_part(clone, by=world.users["hr"], part="levels", value=levels)


MakeTask = Callable[..., Task]


@pytest.fixture
def make_task(world: World) -> MakeTask:
    """`make_task(owner="staff", due=oct_(20), done_on=None, meets_quality=None, ...)`: a task
    of October assigned by `by` (the manager), completed and assessed through the services."""

    def _make(
        owner: str = "staff",
        *,
        by: str = "manager",
        title: str = "Tham mưu văn bản",
        due: datetime.date = OCT_END,
        done_on: datetime.date | None = None,
        meets_quality: bool | None = None,
        major_errors: int = 0,
        objective_cause: bool = False,
        **fields: Any,
    ) -> Task:
        person = world.people[owner]
        task = assign_task(
            title=title,
            unit=person.unit,
            owner=person,
            by=world.users[by],
            source=Task.Source.ASSIGNMENT,
            start_date=OCT,
            due_date=due,
            **fields,
        )
        if done_on is not None:
            task = complete_task(task, by=person.user, on=done_on)
            if meets_quality is not None:
                task = assess_task(
                    task,
                    by=world.users[by],
                    meets_quality=meets_quality,
                    major_errors=major_errors,
                    objective_cause=objective_cause,
                    note="Lý do khách quan đã xác nhận" if objective_cause else "",
                )
        return task

    return _make


@pytest.fixture
def products(world: World) -> dict[str, ProductType]:
    """The three products of the DOMAIN worked example, in the province's catalogue."""

    def product(code: str, name: str, coefficient: str) -> ProductType:
        return create_product_type(
            unit=world.province,
            code=code,
            name=name,
            unit_of_measure="hồ sơ",
            coefficient=Decimal(coefficient),
            valid_from=datetime.date(2026, 1, 1),
            by=world.users["hr"],
        )

    return {
        "letter": product("VB-TM", "Văn bản tham mưu", "1.0"),
        "report": product("BC-CD", "Báo cáo chuyên đề", "2.0"),
        "appraisal": product("HS-TD", "Hồ sơ thẩm định", "0.5"),
    }


@pytest.fixture
def worked_example(make_task: MakeTask, products: dict[str, ProductType]) -> list[Task]:
    """docs/domain.md §5: advisory letters 4 × 1.0 (one major error), a thematic report 2.0
    delivered late, appraisal files 4 × 0.5 of which 3 done."""
    tasks = [
        make_task(
            title="Văn bản tham mưu",
            product_type=products["letter"],
            quantity=Decimal(4),
            due=oct_(20),
            done_on=oct_(18),
            meets_quality=True,
            major_errors=1,
        ),
        make_task(
            title="Báo cáo chuyên đề",
            product_type=products["report"],
            due=oct_(15),
            done_on=oct_(17),
            meets_quality=True,
        ),
    ]
    for number in range(4):
        done = number < 3
        tasks.append(
            make_task(
                title=f"Hồ sơ thẩm định {number + 1}",
                product_type=products["appraisal"],
                due=oct_(25),
                done_on=oct_(24) if done else None,
                meets_quality=True if done else None,
            )
        )
    return tasks


OpenOctober = Callable[..., Period]


@pytest.fixture
def open_october(world: World, nd335: Rulebook) -> OpenOctober:
    """`open_october(organisation=world.province, **options)`: open October with deadlines
    in the future unless `deadlines=` is given."""

    def _open(organisation: Any = None, **options: Any) -> Period:
        options.setdefault("deadlines", future_deadlines())
        options.setdefault("by", world.users["hr"])
        return open_period(organisation or world.province, OCT, **options)

    return _open


def sheet_of(period: Period, person: Person) -> Sheet:
    return Sheet.objects.select_related("person", "unit", "period").get(
        period=period, person=person
    )
