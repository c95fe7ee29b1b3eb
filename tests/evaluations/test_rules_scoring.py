"""Task scoring: the worked example of docs/domain.md §5, deductions, leaders, both strategies."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from danhgia.evaluations.rules.facts import LeaderFacts, TaskFact, fact_from_task
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.rules.scoring import STRATEGIES, score_tasks
from danhgia.work.models import Task
from tests.evaluations.test_rules_support import fact, nd335_config, qnam_config, worked_example

D = Decimal


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def test_the_worked_example_of_the_domain_document() -> None:
    config = nd335_config()

    result = score_tasks(config, worked_example())

    assert (result.a, result.b, result.c) == (D("93.75"), D("90.625"), D("87.5"))
    assert result.task_pct == D("90.625")
    assert result.task_points == D("63.44")
    total = result.task_points + 27
    assert total == D("90.44")
    assert band_for(config, total) == "excellent"
    assert (result.d, result.dd, result.e) == (None, None, None)


def test_the_worked_example_line_by_line() -> None:
    lines = score_tasks(nd335_config(), worked_example()).lines

    assert [
        (line.converted_assigned, line.converted_done, line.quality_credit, line.timeliness_credit)
        for line in lines
    ] == [
        (D("4.0"), D("4.0"), D("3.75"), D("4.0")),
        (D("2.0"), D("2.0"), D("2.0"), D("1.5")),
        (D("0.5"), D("0.5"), D("0.5"), D("0.5")),
        (D("0.5"), D("0.5"), D("0.5"), D("0.5")),
        (D("0.5"), D("0.5"), D("0.5"), D("0.5")),
        (D("0.5"), D("0"), D("0"), D("0")),
    ]
    assert [line.note for line in lines] == [
        "1 major error −0.25",
        "late −0.50",
        "on time, meets quality",
        "on time, meets quality",
        "on time, meets quality",
        "not done",
    ]


def test_notes_follow_the_language() -> None:
    with translation.override("vi"):
        note = score_tasks(nd335_config(), [fact(coefficient="2.0", delays=1)]).lines[0].note

    assert "0,50" in note


def test_an_objective_cause_removes_both_deductions() -> None:
    facts = worked_example()
    facts[0] = fact(1, coefficient="1.0", quantity="4", major_errors=1, objective_cause=True)
    facts[1] = fact(2, coefficient="2.0", delays=1, objective_cause=True)

    result = score_tasks(nd335_config(), facts)

    assert (result.a, result.b, result.c) == (D("93.75"), D("93.75"), D("93.75"))
    assert result.lines[0].note == "objective cause confirmed: no deduction"
    assert result.lines[1].note == "objective cause confirmed: no deduction"


def test_a_task_below_quality_earns_no_quality_credit() -> None:
    result = score_tasks(nd335_config(), [fact(meets_quality=False, major_errors=2)])

    assert (result.a, result.b, result.c) == (D(100), D(0), D(100))
    assert result.lines[0].note == "does not meet quality"


def test_unassessed_tasks_follow_the_rulebook_choice() -> None:
    done_unassessed = fact(assessed=False, meets_quality=None)
    # A task marked assessed without a quality answer is treated as not yet assessed.
    half_assessed = fact(2, assessed=True, meets_quality=None)

    lenient = score_tasks(nd335_config(), [done_unassessed, half_assessed])
    strict = score_tasks(
        nd335_config(task_scoring__params__unassessed_meets_quality=False), [done_unassessed]
    )

    assert lenient.b == D(100)
    assert lenient.lines[0].note == "not yet assessed: counted as meeting quality"
    assert lenient.lines[1].note == "not yet assessed: counted as meeting quality"
    assert strict.b == D(0)
    assert strict.lines[0].note == "not yet assessed: counted as not meeting quality"


def test_deductions_are_per_item_and_stop_at_zero() -> None:
    result = score_tasks(
        nd335_config(),
        [
            fact(1, coefficient="1.5", quantity="2", major_errors=2, delays=2),
            fact(2, coefficient="0.5", major_errors=5, delays=5),
        ],
    )

    first, second = result.lines
    assert (first.quality_credit, first.timeliness_credit) == (D("2.25"), D("2.25"))
    assert first.note == "2 major errors −0.75; late 2 times −0.75"
    assert (second.quality_credit, second.timeliness_credit) == (D(0), D(0))
    assert (result.a, result.b, result.c) == (D(100), D("64.286"), D("64.286"))


def test_a_month_without_tasks_scores_as_the_rulebook_says() -> None:
    assert score_tasks(nd335_config(), []).task_points == D(0)
    full = score_tasks(nd335_config(task_scoring__params__no_tasks="full"), [])
    assert (full.a, full.b, full.c, full.task_points) == (D(100), D(100), D(100), D(70))


def test_weights_and_cap_change_the_combination() -> None:
    weighted = nd335_config(task_scoring__params__weights={"a": 2, "b": 1, "c": 1})
    capped = nd335_config(task_scoring__params__cap_pct=90)

    assert score_tasks(weighted, worked_example()).task_pct == D("91.406")
    assert score_tasks(capped, worked_example()).task_pct == D(90)
    assert score_tasks(capped, worked_example()).task_points == D(63)


def test_percentages_round_half_up_and_points_come_from_the_exact_value() -> None:
    result = score_tasks(nd335_config(), [fact(1), fact(2), fact(3, done=False)])

    assert (result.a, result.task_pct) == (D("66.667"), D("66.667"))
    assert result.task_points == D("46.67")


def test_a_leader_adds_unit_results_organising_and_uniting() -> None:
    leader = LeaderFacts(
        staff_bands=["good", "completed", "not_completed"],
        planned_on_time_with_quality_pct=D(80),
    )

    result = score_tasks(nd335_config(), worked_example(), leader)

    assert (result.d, result.dd, result.e) == (D(50), D(80), D(100))
    # (90.625 + 50 + 80 + 100) / 4 = 80.15625
    assert result.task_pct == D("80.156")
    assert result.task_points == D("56.11")


def test_a_leader_whose_staff_all_complete_gets_full_unit_results() -> None:
    all_complete = LeaderFacts(["excellent", "completed"], D(100), uniting_pct=D(60))
    no_staff = LeaderFacts([], D(100))

    assert score_tasks(nd335_config(), worked_example(), all_complete).d == D(100)
    assert score_tasks(nd335_config(), worked_example(), all_complete).e == D(60)
    assert score_tasks(nd335_config(), worked_example(), no_staff).d == D(100)


def test_leader_facts_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown level codes"):
        LeaderFacts(["brilliant"], D(100))
    with pytest.raises(ValueError, match="between 0 and 100"):
        LeaderFacts([], D(120))


def test_task_facts_are_checked() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        fact(coefficient="0")
    with pytest.raises(ValueError, match="cannot be negative"):
        fact(delays=-1)


def test_the_quang_nam_strategy_weighs_40_40_20_and_ignores_leader_parts() -> None:
    leader = LeaderFacts(["not_completed"], D(0))

    result = score_tasks(qnam_config(), worked_example(), leader)

    assert (result.a, result.b, result.c) == (D("93.75"), D("90.625"), D("87.5"))
    # 0.4 × 93.75 + 0.4 × 90.625 + 0.2 × 87.5 = 91.25 → × 70 % = 63.875
    assert result.task_pct == D("91.25")
    assert result.task_points == D("63.88")
    assert (result.d, result.dd, result.e) == (None, None, None)


def test_the_registry_names_both_strategies() -> None:
    assert sorted(STRATEGIES) == ["nd335_abc", "qn2022_weighted"]
    with pytest.raises(TypeError):
        STRATEGIES["qn2022_weighted"].score(
            nd335_config().task_scoring.parsed, worked_example(), leader=None
        )


def _task(**values: object) -> Task:
    defaults: dict[str, object] = {
        "pk": 7,
        "title": "Báo cáo chuyên đề",
        "quantity": D("1"),
        "coefficient": D("2.0"),
        "deadline": datetime.date(2026, 1, 20),
        "status": "done",
        "completed_on": datetime.date(2026, 1, 20),
    }
    return Task(**{**defaults, **values})


def test_a_task_becomes_a_fact_without_a_query() -> None:
    on_time = fact_from_task(_task())
    late = fact_from_task(
        _task(
            completed_on=datetime.date(2026, 1, 21),
            assessed_at=datetime.datetime(2026, 1, 22, tzinfo=datetime.UTC),
            meets_quality=True,
            major_errors=1,
        )
    )
    open_task = fact_from_task(_task(status="in_progress", completed_on=None))

    assert on_time == TaskFact(7, "Báo cáo chuyên đề", D("2.0"), D("1"), D("2.0"), True)
    assert (late.delays, late.assessed, late.meets_quality, late.major_errors) == (1, True, True, 1)
    assert (open_task.done, open_task.delays) == (False, 0)
    with pytest.raises(ValueError, match="cancelled"):
        fact_from_task(_task(status="cancelled", completed_on=None))
