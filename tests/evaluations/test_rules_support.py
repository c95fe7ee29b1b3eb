"""Helpers for the rules tests (no tests here): the shipped rulebooks parsed, facts, edits."""

import copy
from decimal import Decimal
from typing import Any

from danhgia.evaluations.rules.facts import TaskFact
from danhgia.evaluations.rules.schema import RulebookConfig, parse_parts
from danhgia.evaluations.shipped import ND335_2025, QNAM_2022

PARTS = ("criteria", "task_scoring", "levels", "vetoes", "quota", "annual", "deadlines")


def parts_of(data: dict[str, Any]) -> dict[str, Any]:
    """The seven JSON parts of a rulebook's data, deep-copied so a test may change them."""
    return {part: copy.deepcopy(data[part]) for part in PARTS}


def changed(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The parts with one value set (or removed, for `...`) at a dotted path: `quota.share`."""
    parts = parts_of(data)
    *heads, last = path.split(".")
    node: Any = parts
    for head in heads:
        node = node[int(head)] if isinstance(node, list) else node[head]
    if value is ...:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return parts


def nd335_config(**edits: Any) -> RulebookConfig:
    """The shipped Nghị định 335 rulebook, with optional edits `{"quota.rounding": "up"}`."""
    return _config(ND335_2025, edits)


def qnam_config(**edits: Any) -> RulebookConfig:
    return _config(QNAM_2022, edits)


def _config(data: dict[str, Any], edits: dict[str, Any]) -> RulebookConfig:
    parts = parts_of(data)
    for path, value in edits.items():
        parts = changed({**data, **parts}, path.replace("__", "."), value)
    return parse_parts(**parts)


def fact(
    task_id: int = 1,
    *,
    coefficient: str = "1",
    quantity: str = "1",
    done: bool = True,
    **extra: Any,
) -> TaskFact:
    """A task fact; assessed as meeting quality unless told otherwise."""
    values: dict[str, Any] = {"assessed": True, "meets_quality": True, **extra}
    return TaskFact(
        task_id=task_id,
        title=f"task {task_id}",
        coefficient=Decimal(coefficient),
        quantity=Decimal(quantity),
        converted_assigned=Decimal(coefficient) * Decimal(quantity),
        done=done,
        **values,
    )


def worked_example() -> list[TaskFact]:
    """docs/domain.md §5: 4 letters (1.0) with one major error; a report (2.0) delivered late once;
    4 appraisal files (0.5) as four tasks of one file each, three done."""
    return [
        fact(1, coefficient="1.0", quantity="4", major_errors=1),
        fact(2, coefficient="2.0", quantity="1", delays=1),
        fact(3, coefficient="0.5"),
        fact(4, coefficient="0.5"),
        fact(5, coefficient="0.5"),
        fact(6, coefficient="0.5", done=False, assessed=False, meets_quality=None),
    ]
