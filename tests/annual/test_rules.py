"""The annual rules as pure functions: time worked, the minimum, maternity, the absence cap,
vetoes, the average, the head's cap (no database)."""

import datetime
from decimal import Decimal

import pytest

from danhgia.annual.rules import (
    AnnualFacts,
    Duration,
    LeaveFact,
    PeriodResult,
    Span,
    cap_by_unit,
    classify,
    span_duration,
    subtract,
    unit_level,
)
from danhgia.evaluations.rules.vetoes import Veto
from tests.annual.conftest import YEAR, config_with, day

CONFIG = config_with()


def months(totals: dict[int, str], unit: str = "Sở Nội vụ") -> list[PeriodResult]:
    results = []
    for month, total in totals.items():
        first = day(month, 1)
        last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        results.append(PeriodResult(month, first, last, unit, Decimal(total), ""))
    return results


def every_month(total: str) -> list[PeriodResult]:
    return months(dict.fromkeys(range(1, 13), total))


def facts(**kwargs: object) -> AnnualFacts:
    values: dict[str, object] = {"year": YEAR, "active_from": day(1, 1), "active_to": None}
    values.update(kwargs)
    return AnnualFacts(**values)  # type: ignore[arg-type]


# Time


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (day(7, 3), day(12, 31), Duration(5, 29)),
        (day(7, 2), day(12, 31), Duration(5, 30)),
        (day(7, 1), day(12, 31), Duration(6, 0)),
        (day(1, 1), day(6, 30), Duration(6, 0)),
        (day(1, 1), day(12, 31), Duration(12, 0)),
        (day(1, 31), day(2, 27), Duration(1, 0)),
        (day(3, 10), day(3, 10), Duration(0, 1)),
    ],
)
def test_a_span_counts_calendar_months_then_days(first, last, expected) -> None:
    assert span_duration(Span(first, last)) == expected


def test_days_left_over_from_several_spans_carry_into_months_at_thirty() -> None:
    assert Duration(2, 20) + Duration(3, 15) == Duration(6, 5)
    assert not Duration(5, 29).reaches(6)
    assert Duration(6, 0).reaches(6)


def test_subtracting_leave_leaves_the_days_around_it() -> None:
    assert subtract([Span(day(1, 1), day(12, 31))], [Span(day(3, 10), day(9, 20))]) == [
        Span(day(1, 1), day(3, 9)),
        Span(day(9, 21), day(12, 31)),
    ]


# The minimum of six months


def test_five_months_and_29_days_worked_is_not_classified(english: None) -> None:
    result = classify(CONFIG, facts(active_from=day(7, 3), periods=every_month("92")[6:]))

    assert result.worked == Duration(5, 29)
    assert result.not_classified
    assert result.level == ""
    assert result.not_classified_reason == (
        "Worked 5 months 29 days in 2025, fewer than 6 months: not classified."
    )


def test_six_months_worked_is_classified() -> None:
    result = classify(CONFIG, facts(active_from=day(7, 1), periods=every_month("75")[6:]))

    assert result.worked == Duration(6, 0)
    assert not result.not_classified
    assert (result.score, result.band, result.level) == (Decimal("75.00"), "good", "good")


def test_someone_who_left_in_june_after_six_months_is_classified_on_their_months() -> None:
    result = classify(
        CONFIG, facts(active_to=day(6, 30), periods=months({1: "80", 2: "70", 3: "90"}))
    )

    assert result.worked == Duration(6, 0)
    assert result.score == Decimal("80.00")


# Maternity


def test_seven_months_of_maternity_leave_are_classified_from_the_months_worked() -> None:
    totals = dict.fromkeys(range(1, 13), "20")  # months on leave were decided with no tasks
    totals.update({1: "92", 2: "90", 10: "94", 11: "91", 12: "93"})
    leave = LeaveFact("maternity", day(3, 1), day(9, 30))

    result = classify(CONFIG, facts(leaves=[leave], periods=months(totals)))

    assert result.worked == Duration(12, 0)  # maternity counts as worked for the minimum
    assert result.absent == Duration(0, 0)
    assert result.days_absent == {"maternity": 214}
    assert [p.result.first.month for p in result.periods if p.counted] == [1, 2, 10, 11, 12]
    assert result.score == Decimal("92.00")
    assert (result.not_classified, result.cap_level, result.level) == (False, "", "excellent")


def test_without_the_maternity_exemption_seven_months_of_leave_is_not_classified() -> None:
    leave = LeaveFact("maternity", day(3, 1), day(9, 30))

    result = classify(
        config_with(maternity_exempt=False), facts(leaves=[leave], periods=every_month("90"))
    )

    assert result.worked == Duration(5, 0)
    assert result.not_classified


# Absent 3 to < 6 months


def test_three_months_of_sick_leave_cap_the_level_at_completed(english: None) -> None:
    leave = LeaveFact("sick", day(4, 1), day(6, 30))

    result = classify(CONFIG, facts(leaves=[leave], periods=every_month("95")))

    assert result.absent == Duration(3, 0)
    assert (result.band, result.cap_level, result.level) == ("excellent", "completed", "completed")
    assert result.cap_reason == (
        "Absent 3 months in 2025 (3 months or more): at most “Hoàn thành nhiệm vụ”."
    )
    assert [p.counted for p in result.periods] == [True] * 3 + [False] * 3 + [True] * 6
    assert result.score == Decimal("95.00")


def test_two_months_and_29_days_absent_are_not_capped() -> None:
    leave = LeaveFact("sick", day(4, 1), day(6, 29))

    result = classify(CONFIG, facts(leaves=[leave], periods=every_month("95")))

    assert result.absent == Duration(2, 29)
    assert (result.cap_level, result.level) == ("", "excellent")


def test_five_months_and_29_days_absent_are_capped_and_still_classified() -> None:
    leave = LeaveFact("unpaid", day(3, 1), day(8, 29))

    result = classify(CONFIG, facts(leaves=[leave], periods=every_month("80")))

    assert result.absent == Duration(5, 29)
    assert result.worked.reaches(6)
    assert (result.not_classified, result.cap_level, result.level) == (
        False,
        "completed",
        "completed",
    )


def test_a_cap_never_raises_a_lower_band() -> None:
    leave = LeaveFact("study", day(1, 1), day(3, 31))

    result = classify(CONFIG, facts(leaves=[leave], periods=every_month("40")))

    assert (result.band, result.cap_level, result.level) == (
        "not_completed",
        "completed",
        "not_completed",
    )


# Transfers, quarters, the average


def test_periods_of_two_units_count_alike() -> None:
    periods = months(dict.fromkeys(range(1, 7), "70"), "Sở Tài chính") + months(
        dict.fromkeys(range(7, 13), "90"), "Sở Nội vụ"
    )

    result = classify(CONFIG, facts(periods=periods))

    assert result.score == Decimal("80.00")
    assert {p.result.unit_name for p in result.periods if p.counted} == {
        "Sở Tài chính",
        "Sở Nội vụ",
    }


def test_a_quarter_weighs_three_months() -> None:
    quarter = PeriodResult(1, day(1, 1), day(3, 31), "Sở", Decimal("60"), "")
    month = PeriodResult(2, day(4, 1), day(4, 30), "Sở", Decimal("100"), "")

    result = classify(CONFIG, facts(active_to=day(8, 31), periods=[quarter, month]))

    assert result.score == Decimal("70.00")


def test_no_decided_period_yet_leaves_the_person_unclassified_until_recomputed() -> None:
    result = classify(CONFIG, facts())

    assert result.not_classified and result.score is None


# Vetoes and the head's cap


def test_a_veto_forces_the_lowest_level_whatever_the_score() -> None:
    veto = Veto("any_discipline", "Discipline in the year: reprimand.")

    result = classify(CONFIG, facts(periods=every_month("95"), vetoes=[veto]))

    assert (result.band, result.veto, result.level) == (
        "excellent",
        "any_discipline",
        "not_completed",
    )


def test_the_unit_level_is_the_band_of_its_mean_score() -> None:
    assert unit_level(CONFIG, [Decimal(95), Decimal(75)]) == "good"
    assert unit_level(CONFIG, []) is None


def test_a_head_is_not_above_the_level_of_their_unit(english: None) -> None:
    head = classify(CONFIG, facts(periods=every_month("95")))

    capped = cap_by_unit(CONFIG, head, "good", "Sở Nội vụ")

    assert (capped.level, capped.cap_level) == ("good", "good")
    assert "Head of Sở Nội vụ" in capped.cap_reason
    assert cap_by_unit(CONFIG, head, "excellent", "Sở Nội vụ") == head
