"""Properties of the task scoring for any facts (hypothesis): ranges, order, monotonicity."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danhgia.evaluations.rules.facts import LeaderFacts, TaskFact
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.scoring import TaskResult, score_tasks
from tests.evaluations.test_rules_support import nd335_config, qnam_config

CONFIGS = {
    "nd335": nd335_config(),
    "nd335_full": nd335_config(task_scoring__params__no_tasks="full"),
}
CONFIGS["strict"] = nd335_config(task_scoring__params__unassessed_meets_quality=False)
CONFIGS["qnam"] = qnam_config()
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def task_facts(draw: st.DrawFn, task_id: int = 1) -> TaskFact:
    coefficient = Decimal(draw(st.integers(1, 1000))) / 100
    quantity = Decimal(draw(st.integers(1, 2000))) / 100
    assessed = draw(st.booleans())
    return TaskFact(
        task_id=task_id,
        title="t",
        coefficient=coefficient,
        quantity=quantity,
        converted_assigned=coefficient * quantity,
        done=draw(st.booleans()),
        delays=draw(st.integers(0, 6)),
        assessed=assessed,
        meets_quality=draw(st.one_of(st.none(), st.booleans())),
        major_errors=draw(st.integers(0, 8)),
        objective_cause=draw(st.booleans()),
    )


fact_lists = st.lists(task_facts(), max_size=8).map(
    lambda facts: [
        TaskFact(**{**fact.__dict__, "task_id": index}) for index, fact in enumerate(facts)
    ]
)
config_names = st.sampled_from(sorted(CONFIGS))
leaders = st.one_of(
    st.none(),
    st.builds(
        LeaderFacts,
        staff_bands=st.lists(st.sampled_from(["excellent", "good", "completed", "not_completed"])),
        planned_on_time_with_quality_pct=st.integers(0, 100).map(Decimal),
        uniting_pct=st.one_of(st.none(), st.integers(0, 100).map(Decimal)),
    ),
)


def score(config: RulebookConfig, facts: list[TaskFact]) -> TaskResult:
    return score_tasks(config, facts)


@SETTINGS
@given(config_names, fact_lists, leaders)
def test_results_stay_in_range(
    name: str, facts: list[TaskFact], leader: LeaderFacts | None
) -> None:
    config = CONFIGS[name]

    result = score_tasks(config, facts, leader)

    for value in (result.a, result.b, result.c, result.task_pct):
        assert 0 <= value <= 100
    for part in (result.d, result.dd, result.e):
        assert part is None or 0 <= part <= 100
    assert 0 <= result.task_points <= config.task_share
    assert result.b <= result.a
    assert result.c <= result.a
    for line in result.lines:
        assert 0 <= line.quality_credit <= line.converted_done <= line.converted_assigned
        assert 0 <= line.timeliness_credit <= line.converted_done


def _replace(facts: list[TaskFact], index: int, **changes: object) -> list[TaskFact]:
    changed = list(facts)
    changed[index] = TaskFact(**{**facts[index].__dict__, **changes})
    return changed


@SETTINGS
@given(config_names, fact_lists.filter(bool), st.data())
def test_delivering_on_time_never_lowers_timeliness_or_points(
    name: str, facts: list[TaskFact], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(facts) - 1))
    late = _replace(facts, index, delays=data.draw(st.integers(1, 6)))
    on_time = _replace(facts, index, delays=0)

    before, after = score(CONFIGS[name], late), score(CONFIGS[name], on_time)

    assert after.c >= before.c
    assert after.task_points >= before.task_points


@SETTINGS
@given(config_names, fact_lists.filter(bool), st.data())
def test_removing_a_major_error_never_lowers_quality_or_points(
    name: str, facts: list[TaskFact], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(facts) - 1))
    errors = data.draw(st.integers(1, 8))
    with_error = _replace(facts, index, major_errors=errors)
    fewer = _replace(facts, index, major_errors=errors - 1)

    before, after = score(CONFIGS[name], with_error), score(CONFIGS[name], fewer)

    assert after.b >= before.b
    assert after.task_points >= before.task_points


@SETTINGS
@given(config_names, fact_lists.filter(bool), st.data())
def test_marking_a_task_done_never_lowers_quantity_or_points(
    name: str, facts: list[TaskFact], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(facts) - 1))
    not_done = _replace(facts, index, done=False)
    done = _replace(facts, index, done=True)

    before, after = score(CONFIGS[name], not_done), score(CONFIGS[name], done)

    assert after.a >= before.a
    assert after.task_points >= before.task_points


@SETTINGS
@given(fact_lists, st.sampled_from(["excellent", "good", "completed"]))
def test_a_leader_loses_unit_results_when_a_staff_member_does_not_complete(
    facts: list[TaskFact], band: str
) -> None:
    fine = LeaderFacts([band, "good"], Decimal(90))
    failing = LeaderFacts([band, "not_completed"], Decimal(90))

    before, after = (
        score_tasks(nd335_config(), facts, fine),
        score_tasks(nd335_config(), facts, failing),
    )

    assert (before.d, after.d) == (Decimal(100), Decimal(50))
    assert after.task_points <= before.task_points
