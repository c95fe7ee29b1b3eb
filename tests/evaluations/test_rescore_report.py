"""The re-score report's reasons and its refusal to write. Re-scoring the demo months (nothing
decided changes, a former rounding is reported) is tested on the shared demo in
tests/demo/test_whole_demo.py."""

from decimal import Decimal
from typing import Any

import pytest

from danhgia.evaluations.models import Period
from danhgia.evaluations.rescore_report import reasons_for, refuse_writes

# Re-scoring a period with its own rulebook does not depend on today's date: not rerun by the
# dated runs.
pytestmark = pytest.mark.undated


@pytest.mark.parametrize(
    ("changed", "reasons"),
    [
        ({"quality_pct": Decimal(1)}, ("abc",)),
        ({"unit_result_pct": Decimal(50)}, ("d",)),
        ({"uniting_pct": Decimal(80), "organising_pct": Decimal(80)}, ("dd_e",)),
        ({"task_points": Decimal("60.38"), "total": Decimal("90.38")}, ("rounding",)),
        ({"total": Decimal(91)}, ("general",)),
        ({"band": "good"}, ("band",)),
        ({"timeliness_pct": Decimal(1), "unit_result_pct": Decimal(1)}, ("abc", "d")),
    ],
)
def test_each_figure_that_differs_gives_its_reason(
    changed: dict[str, Any], reasons: tuple[str, ...]
) -> None:
    before: dict[str, Any] = {
        "quantity_pct": Decimal(100),
        "quality_pct": Decimal(75),
        "timeliness_pct": Decimal("83.75"),
        "unit_result_pct": Decimal(100),
        "organising_pct": Decimal(100),
        "uniting_pct": Decimal(100),
        "task_points": Decimal("60.37"),
        "total": Decimal("90.37"),
        "band": "excellent",
    }
    assert reasons_for(before, {**before, **changed}) == reasons


@pytest.mark.django_db
def test_the_report_refuses_any_write() -> None:
    with refuse_writes(), pytest.raises(RuntimeError, match="must not write"):
        Period.objects.update(state=Period.State.CLOSED)
