"""The conditions of emulation titles: the schema refuses what it does not know, and each
condition of `annual_conditions` at its edge."""

import datetime

import pytest
from django.utils import translation

from danhgia.reports.recognition.conditions import (
    ConditionError,
    Conditions,
    PersonYear,
    annual_conditions,
    parse_conditions,
)
from danhgia.reports.recognition.shipped import SHIPPED_TITLES

NAMES = {"good": "Hoàn thành tốt nhiệm vụ", "completed": "Hoàn thành nhiệm vụ", "LDTT": "LĐTT"}


def facts(**changes: object) -> PersonYear:
    values: dict[str, object] = {
        "annual_level": "good",
        "months_worked": 12,
        "discipline_days": [],
        "initiative_scopes": [],
        "qualifies_for": frozenset(),
    }
    values.update(changes)
    return PersonYear(**values)  # type: ignore[arg-type]


def unmet_codes(conditions: Conditions, person: PersonYear) -> list[str]:
    return [item.code for item in annual_conditions(conditions, person, NAMES)]


def test_shipped_titles_parse() -> None:
    parsed = [parse_conditions(title["conditions"]) for title in SHIPPED_TITLES]
    assert [c.requires_title for c in parsed] == ["", "LDTT"]
    assert [c.initiative_min_scope for c in parsed] == ["", "unit"]


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"min_level": "good"},
        {"min_annual_level": "best"},
        {"no_discipline_in_year": "yes"},
        {"min_months_worked": 13},
        {"min_months_worked": True},
        {"min_months_worked": "10"},
        {"initiative_min_scope": "world"},
        {"requires_title": 3},
    ],
)
def test_bad_conditions_are_refused(data: object) -> None:
    with pytest.raises(ConditionError):
        parse_conditions(data)


def test_level_at_the_minimum_passes_and_below_fails() -> None:
    conditions = Conditions(min_annual_level="good")
    assert unmet_codes(conditions, facts(annual_level="good")) == []
    assert unmet_codes(conditions, facts(annual_level="excellent")) == []
    assert unmet_codes(conditions, facts(annual_level="completed")) == ["min_annual_level"]
    assert unmet_codes(conditions, facts(annual_level="")) == ["min_annual_level"]


def test_reason_names_the_levels() -> None:
    with translation.override("en"):
        reasons = annual_conditions(
            Conditions(min_annual_level="good"), facts(annual_level="completed"), NAMES
        )
    assert [r.reason for r in reasons] == [
        "Annual level Hoàn thành nhiệm vụ is below Hoàn thành tốt nhiệm vụ."
    ]


def test_discipline_in_the_year_excludes() -> None:
    conditions = Conditions(no_discipline_in_year=True)
    assert unmet_codes(conditions, facts()) == []
    day = datetime.date(2025, 12, 31)
    assert unmet_codes(conditions, facts(discipline_days=[day])) == ["no_discipline_in_year"]
    assert unmet_codes(Conditions(), facts(discipline_days=[day])) == []


def test_months_worked_at_the_minimum() -> None:
    conditions = Conditions(min_months_worked=10)
    assert unmet_codes(conditions, facts(months_worked=10)) == []
    assert unmet_codes(conditions, facts(months_worked=9)) == ["min_months_worked"]


def test_initiative_of_a_narrower_scope_does_not_count() -> None:
    conditions = Conditions(initiative_min_scope="province")
    assert unmet_codes(conditions, facts(initiative_scopes=["unit"])) == ["initiative_min_scope"]
    assert unmet_codes(conditions, facts(initiative_scopes=["unit", "national"])) == []
    assert unmet_codes(conditions, facts()) == ["initiative_min_scope"]


def test_required_title() -> None:
    conditions = Conditions(requires_title="LDTT")
    assert unmet_codes(conditions, facts()) == ["requires_title"]
    assert unmet_codes(conditions, facts(qualifies_for=frozenset({"LDTT"}))) == []


def test_every_unmet_condition_is_listed_in_order() -> None:
    conditions = parse_conditions(SHIPPED_TITLES[1]["conditions"])
    person = facts(
        annual_level="completed",
        months_worked=3,
        discipline_days=[datetime.date(2025, 3, 1)],
    )
    assert unmet_codes(conditions, person) == [
        "min_annual_level",
        "no_discipline_in_year",
        "min_months_worked",
        "initiative_min_scope",
        "requires_title",
    ]
