"""What the task scoring needs to know: one `TaskFact` per task, `LeaderFacts` for leaders.

Facts are plain values, checked on creation (a broken fact is a programming error, hence
`ValueError`, not `RuleError`). `fact_from_task()` reads a work-app task without a query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .codes import LEVEL_CODES

if TYPE_CHECKING:
    from danhgia.work.models import Task


@dataclass(frozen=True)
class TaskFact:
    """One task as the month's scoring sees it.

    A task is done or not as a whole: a product of quantity 4 of which 3 were delivered is
    modelled as separate tasks (the catalogue assigns one task per deliverable when partial
    delivery matters). `delays` counts late deliveries: the work app knows one (completed after
    the deadline in force), the field allows a future rule to count more.
    """

    task_id: int
    title: str
    coefficient: Decimal
    quantity: Decimal
    converted_assigned: Decimal
    done: bool
    delays: int = 0
    assessed: bool = False
    meets_quality: bool | None = None
    major_errors: int = 0
    objective_cause: bool = False

    def __post_init__(self) -> None:
        if self.coefficient <= 0 or self.quantity <= 0 or self.converted_assigned <= 0:
            raise ValueError(f"task {self.task_id}: coefficient and quantities must be positive")
        if self.delays < 0 or self.major_errors < 0:
            raise ValueError(f"task {self.task_id}: delays and errors cannot be negative")


@dataclass(frozen=True)
class LeaderFacts:
    """The extra facts of a leader or manager (Nghị định 335, Art. 15).

    `staff_bands`: the final level codes of the staff under them this period (deputies:
    within the fields assigned to them): the decided level, else the best current estimate
    (the band of the total with the general points scored); staff not yet scored are left out
    (d is recomputed until the leader's own decision). `planned_on_time_with_quality_pct`:
    the share of the led units' tasks done on time with quality, None without any task (đ of
    version 1 rulebooks only); `uniting_pct` and `organising_pct`: e and đ as assessed, None
    until assessed.
    """

    staff_bands: Sequence[str]
    planned_on_time_with_quality_pct: Decimal | None
    uniting_pct: Decimal | None = None
    organising_pct: Decimal | None = None

    def __post_init__(self) -> None:
        unknown = [band for band in self.staff_bands if band not in LEVEL_CODES]
        if unknown:
            raise ValueError(f"unknown level codes in staff bands: {unknown}")
        for value in (
            self.planned_on_time_with_quality_pct,
            self.uniting_pct,
            self.organising_pct,
        ):
            if value is not None and not 0 <= value <= 100:
                raise ValueError("leader percentages must be between 0 and 100")


def fact_from_task(task: "Task") -> TaskFact:
    """The fact of one task of the month. Reads attributes only (no query).

    Cancelled tasks do not count: leave them out (ValueError if one is passed). The converted
    quantity is computed from quantity × coefficient, the definition of the generated column,
    so an instance changed in memory is read correctly.
    """
    if task.status == "cancelled":
        raise ValueError(f"task {task.pk} is cancelled and does not count")
    done = task.status == "done"
    late = done and task.completed_on is not None and task.completed_on > task.deadline
    return TaskFact(
        task_id=task.pk,
        title=task.title,
        coefficient=task.coefficient,
        quantity=task.quantity,
        converted_assigned=task.quantity * task.coefficient,
        done=done,
        delays=1 if late else 0,
        assessed=task.assessed_at is not None,
        meets_quality=task.meets_quality,
        major_errors=task.major_errors,
        objective_cause=task.objective_cause,
    )
