"""Parsing rulebooks: the shipped ones, defaults, and a `RuleError` for every invalid value."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.schema import (
    AnnualParams,
    Deadlines,
    Quota,
    RuleError,
    parse_parts,
    parse_rulebook,
)
from danhgia.evaluations.rules.scoring import ND335Params, QN2022Params
from danhgia.evaluations.shipped import ND335_2025, QNAM_2022, SHIPPED_RULEBOOKS
from tests.evaluations.test_rules_support import changed, parts_of


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def test_nd335_parses_with_the_decree_numbers() -> None:
    config = parse_rulebook(Rulebook(**ND335_2025))

    assert [(c.code, c.max_points) for c in config.criteria] == [
        ("ethics", 10),
        ("competence", 10),
        ("innovation", 10),
    ]
    assert config.general_share == 30
    assert config.task_share == 70
    assert config.task_scoring.strategy == "nd335_abc"
    params = config.task_scoring.parsed
    assert isinstance(params, ND335Params)
    assert (params.weight_a, params.weight_b, params.weight_c) == (1, 1, 1)
    assert params.credit.error_deduction == Decimal("0.25")
    assert params.credit.delay_deduction == Decimal("0.25")
    assert (params.leader.d_full_pct, params.leader.d_reduced_pct) == (100, 50)
    assert [(level.code, level.name, level.min_score) for level in config.levels] == [
        ("excellent", "Hoàn thành xuất sắc nhiệm vụ", 90),
        ("good", "Hoàn thành tốt nhiệm vụ", 70),
        ("completed", "Hoàn thành nhiệm vụ", 50),
        ("not_completed", "Không hoàn thành nhiệm vụ", 0),
    ]
    assert config.vetoes == (
        "discipline_reprimand_or_higher",
        "degradation",
        "corruption_in_led_unit",
    )
    assert config.quota == Quota(
        share=Decimal("0.20"),
        base_level="good",
        top_level="excellent",
        scope="unit_and_group",
        exception_share=Decimal("0.25"),
        rounding="down",
        enforcement="exception_with_reason",
    )
    assert config.annual.strategy == "average"
    assert config.annual.params == AnnualParams(6, True, 3, "completed", False)
    assert config.deadlines == Deadlines(3, 5, 7)
    assert "[L]" in config.notes["criteria"]


def test_quang_nam_template_parses_with_its_own_strategy() -> None:
    config = parse_rulebook(Rulebook(**QNAM_2022))

    assert QNAM_2022["local_defaults"] is True
    assert config.task_scoring.strategy == "qn2022_weighted"
    params = config.task_scoring.parsed
    assert isinstance(params, QN2022Params)
    assert (params.weight_quantity, params.weight_quality, params.weight_timeliness) == (
        40,
        40,
        20,
    )
    assert sum(c.max_points for c in config.criteria) == config.general_share == 30
    assert config.vetoes == ("any_discipline", "degradation")
    assert config.deadlines == Deadlines(5, 7, 10)
    assert all("[L]" in note for note in config.notes.values())


def test_every_shipped_rulebook_parses() -> None:
    assert [parse_parts(**parts_of(data)).levels[-1].code for data in SHIPPED_RULEBOOKS] == [
        "not_completed"
    ] * len(SHIPPED_RULEBOOKS)


def test_left_out_fields_take_the_documented_defaults() -> None:
    parts = parts_of(ND335_2025)
    parts["task_scoring"] = {"strategy": "nd335_abc"}
    parts["quota"] = {}
    parts["annual"] = {}

    config = parse_parts(**parts)

    assert config.task_scoring.parsed == parse_parts(**parts_of(ND335_2025)).task_scoring.parsed
    assert config.task_scoring.params == {}
    assert config.quota == Quota()
    assert config.annual.params == AnnualParams()


def test_deadlines_count_days_after_the_period_end() -> None:
    assert Deadlines(3, 5, 7).due_dates(datetime.date(2026, 1, 31)) == (
        datetime.date(2026, 2, 3),
        datetime.date(2026, 2, 5),
        datetime.date(2026, 2, 7),
    )


def test_the_message_names_the_part_and_the_field() -> None:
    with pytest.raises(RuleError) as error:
        parse_parts(**changed(ND335_2025, "task_scoring.params.weights.a", -1))

    assert str(error.value) == "task scoring: params.weights.a must be between 0 and 1000."
    assert error.value.part == "task_scoring"


ND335_BAD_PARAMS = [
    ("general_share", 40, "params.general_share and params.task_share must add up to 100"),
    ("general_share", -5, "params.general_share must be between 0 and 100"),
    ("task_share", 0, "params.task_share must be greater than 0"),
    ("task_share", True, "params.task_share must be a number"),
    ("error_deduction", "abc", "params.error_deduction must be a number"),
    ("error_deduction", "NaN", "params.error_deduction must be a number"),
    ("error_deduction", 2, "params.error_deduction must be between 0 and 1"),
    ("error_deduction", "0.125", "params.error_deduction may have at most 2 decimals"),
    ("delay_deduction", "-0.1", "params.delay_deduction must be between 0 and 1"),
    ("delay_deduction", None, "params.delay_deduction must be a number"),
    ("cap_pct", 0, "params.cap_pct must be greater than 0"),
    ("cap_pct", 101, "params.cap_pct must be between 0 and 100"),
    ("unassessed_meets_quality", "yes", "params.unassessed_meets_quality must be true or false"),
    ("no_tasks", "some", "params.no_tasks must be one of: zero, full"),
    ("weights", [1, 1, 1], "params.weights must be an object"),
    ("weights", {"a": 0, "b": 0, "c": 0}, "params.weights must not all be 0"),
    ("weights", {"a": 1, "b": 1, "c": 1, "d": 1}, "unknown field params.weights.d"),
    ("leader", {"d_full_pct": 120}, "params.leader.d_full_pct must be between 0 and 100"),
    ("leader", {"d_reduced_pct": "x"}, "params.leader.d_reduced_pct must be a number"),
    ("leader", {"e_default_pct": "Infinity"}, "params.leader.e_default_pct must be a number"),
    ("leader", {"weights": {"own": -1}}, "params.leader.weights.own must be between 0 and 1000"),
    ("leader", {"bonus": 1}, "unknown field params.leader.bonus"),
    ("bonus", 5, "unknown field params.bonus"),
]


@pytest.mark.parametrize(("key", "value", "problem"), ND335_BAD_PARAMS)
def test_bad_nd335_params_are_refused(key: str, value: Any, problem: str) -> None:
    with pytest.raises(RuleError, match=problem):
        parse_parts(**changed(ND335_2025, f"task_scoring.params.{key}", value))


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("weights", {"quantity": 50}, "params.weights must add up to 100"),
        ("weights", {"quantity": -10, "quality": 90}, "params.weights.quantity must be between"),
        ("weights", {"a": 1}, "unknown field params.weights.a"),
        ("leader", {}, "unknown field params.leader"),
        ("cap_pct", "200", "params.cap_pct must be between 0 and 100"),
    ],
)
def test_bad_quang_nam_params_are_refused(key: str, value: Any, problem: str) -> None:
    with pytest.raises(RuleError, match=problem):
        parse_parts(**changed(QNAM_2022, f"task_scoring.params.{key}", value))


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("task_scoring.strategy", "free_formula", "strategy must be one of: nd335_abc, qn2022"),
        ("task_scoring.params", "a+b+c", "params must be an object"),
        ("task_scoring.formula", "a+b+c", "unknown field formula"),
        ("criteria.items.0.max_points", 9, "add up to 29 instead of 30"),
        ("criteria.items.0.max_points", 0, r"items\[0\].max_points must be greater than 0"),
        ("criteria.items.1.code", "ethics", "criterion codes must be unique"),
        ("criteria.items.2.name", " ", r"items\[2\].name must not be empty"),
        ("criteria.items", [], "items must be a non-empty list"),
        ("levels.items.0.code", "outstanding", "the levels must be, from highest to lowest"),
        ("levels.items.1.min_score", 95, "must be below the one above it"),
        ("levels.items.3.min_score", 10, "the lowest level must start at 0"),
        ("levels.items.0.min_score", 101, r"items\[0\].min_score must be between 0 and 100"),
        ("vetoes.enabled", ["no_smiling"], "unknown veto no_smiling"),
        ("vetoes.enabled", "degradation", "enabled must be a list of texts"),
        ("quota.share", 0, "share must be greater than 0"),
        ("quota.share", "1.5", "share must be between 0 and 1"),
        ("quota.exception_share", "0.10", "exception_share cannot be smaller than share"),
        ("quota.rounding", "bankers", "rounding must be one of: down, nearest, up"),
        ("quota.scope", "province", "scope must be one of: unit_and_group, unit"),
        ("quota.enforcement", "warn", "enforcement must be one of: block, exception_with_reason"),
        ("quota.top_level", "good", "top_level must be a higher level than base_level"),
        ("quota.base_level", "great", "base_level must be one of"),
        ("annual.strategy", "median", "strategy must be one of: average"),
        ("annual.params.absent_cap_level", "bad", "params.absent_cap_level must be one of"),
        ("annual.params.min_months_worked", 13, "must be a whole number between 0 and 12"),
        ("annual.params.maternity_exempt", 1, "params.maternity_exempt must be true or false"),
        ("deadlines.review_days", 2, "the days must follow the order"),
        ("deadlines.self_evaluation_days", -1, "must be a whole number between 0 and 60"),
        ("deadlines.decision_days", 3.5, "must be a whole number"),
        ("deadlines.review_days", ..., "review_days is missing"),
        ("deadlines.note", 5, "note must be a text"),
    ],
)
def test_bad_parts_are_refused(path: str, value: Any, problem: str) -> None:
    with pytest.raises(RuleError, match=problem):
        parse_parts(**changed(ND335_2025, path, value))


@pytest.mark.parametrize(
    "part", ["criteria", "task_scoring", "levels", "vetoes", "quota", "annual", "deadlines"]
)
def test_a_part_that_is_not_an_object_is_refused(part: str) -> None:
    parts = parts_of(ND335_2025)
    parts[part] = ["not", "an", "object"]

    with pytest.raises(RuleError, match="this part must be an object"):
        parse_parts(**parts)


def test_numbers_may_be_written_as_floats_without_losing_exactness() -> None:
    config = parse_parts(**changed(ND335_2025, "quota.share", 0.2))

    assert config.quota.share == Decimal("0.2")
