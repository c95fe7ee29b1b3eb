"""The quota of "excellent": 20 % of those rated "good", in the unit and in each task group."""

from decimal import Decimal

import pytest
from django.utils import translation

from danhgia.evaluations.rules.quota import Decision, allowance, check_decision, quota_status
from tests.evaluations.test_rules_support import nd335_config


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def unit(good: int, excellent: int = 0, group: str = "experts", start: int = 0) -> list[Decision]:
    rows = [(start + i, "good", group) for i in range(good)]
    return rows + [(start + good + i, "excellent", group) for i in range(excellent)]


def test_nobody_rated_good_allows_no_excellent() -> None:
    config = nd335_config(quota__scope="unit")

    status = quota_status(config, [(1, "completed", "g")])
    check = check_decision(config, [(1, "completed", "g")], 1, "g")

    assert (status.allowed, status.used, status.base_count, status.exceeded) == (0, 0, 0, False)
    assert check.outcome == "blocked"


def test_seven_good_allow_one_when_rounding_down_and_the_explanation_shows_it() -> None:
    config = nd335_config(quota__scope="unit")

    status = quota_status(config, unit(good=7, excellent=1))

    assert (status.allowed, status.used, status.base_count) == (1, 1, 7)
    assert status.exceeded is False
    assert status.explanation == (
        "“Hoàn thành xuất sắc nhiệm vụ” at most 20% of the 7 rated “Hoàn thành tốt nhiệm vụ”: "
        "1.4, rounded down to 1; 1 given."
    )


@pytest.mark.parametrize(
    ("rounding", "good", "allowed"),
    [
        ("down", 7, 1),
        ("nearest", 7, 1),
        ("up", 7, 2),
        ("down", 8, 1),
        ("nearest", 8, 2),
        ("up", 5, 1),
    ],
)
def test_rounding_is_configurable(rounding: str, good: int, allowed: int) -> None:
    status = quota_status(nd335_config(quota__rounding=rounding, quota__scope="unit"), unit(good))

    assert status.allowed == allowed


def test_nearest_rounds_halves_up() -> None:
    assert allowance(Decimal("0.25"), 2, "nearest") == 1
    assert allowance(Decimal("0.25"), 2, "down") == 0


def test_one_more_excellent_within_the_quota_is_allowed() -> None:
    check = check_decision(nd335_config(), unit(good=10), person_id=0, group="experts")

    assert check.outcome == "allowed"
    assert (check.status.used, check.status.base_count, check.status.allowed) == (1, 9, 1)


def test_over_the_quota_the_exception_share_may_allow_it_with_a_reason() -> None:
    # 10 good and 1 excellent; promoting one more leaves 9 good: 20 % → 1, 25 % → 2.
    decisions = unit(good=10, excellent=1)

    check = check_decision(nd335_config(), decisions, person_id=0, group="experts")
    blocked = check_decision(nd335_config(quota__enforcement="block"), decisions, 0, "experts")
    granted = check_decision(nd335_config(), decisions, 0, "experts", exception=True)

    assert check.outcome == "exception"
    assert check.allowed is True
    assert (check.status.allowed, check.status.used, check.status.share) == (2, 2, Decimal("0.25"))
    assert check.explanation.startswith("Over the quota: allowed only as an exception")
    assert "10 rated" in check.explanation and "1 given" in check.explanation  # as it stands
    assert "With this decision there would be 2" in check.explanation
    assert "exception share for outstanding achievements (25%), 2 are allowed" in check.explanation
    assert blocked.outcome == "blocked"
    assert blocked.allowed is False
    assert granted.outcome == "allowed"


def test_beyond_the_exception_share_it_is_blocked() -> None:
    check = check_decision(nd335_config(), unit(good=5, excellent=1), person_id=0, group="experts")

    assert check.outcome == "blocked"
    assert check.explanation.startswith("Over the quota: not allowed.")


def test_each_group_is_checked_as_well_as_the_unit() -> None:
    # Unit: 10 good, 1 excellent, within 2. Group "legal": 4 good, 1 excellent, over 0.
    decisions = unit(good=4, excellent=1, group="legal") + unit(6, group="finance", start=10)

    status = quota_status(nd335_config(), decisions)
    unit_only = quota_status(nd335_config(quota__scope="unit"), decisions)

    assert (status.allowed, status.used, status.base_count) == (2, 1, 10)
    assert status.by_group == {"finance": (1, 0, 6), "legal": (0, 1, 4)}
    assert status.exceeded is True
    assert "Group “legal”:" in status.explanation
    assert unit_only.exceeded is False
    assert unit_only.by_group == {}


def test_the_unit_is_checked_even_when_every_group_is_within_its_own() -> None:
    # Rounding up, each group of 1 good may have 1 excellent, but the unit of 2 good only 1.
    decisions = unit(good=1, excellent=1, group="a") + unit(1, 1, group="b", start=10)

    status = quota_status(nd335_config(quota__rounding="up"), decisions)

    assert all(counts.used <= counts.allowed for counts in status.by_group.values())
    assert (status.allowed, status.used) == (1, 2)
    assert status.exceeded is True


def test_a_person_already_listed_is_counted_once() -> None:
    decisions = [(1, "good", "g"), (2, "good", "g"), (3, "good", "g"), (4, "good", "g")]
    decisions += [(5, "good", "g"), (6, "good", "g")]

    check = check_decision(nd335_config(), decisions, person_id=1, group="g")

    assert (check.status.base_count, check.status.used) == (5, 1)
    assert check.outcome == "allowed"


def test_a_single_group_is_not_explained_twice_and_an_empty_group_is_named() -> None:
    one_group = quota_status(nd335_config(), unit(good=5, excellent=1, group=""))
    two_groups = quota_status(
        nd335_config(), unit(good=5, group="") + unit(good=5, group="legal", start=10)
    )

    assert "Group" not in one_group.explanation
    assert one_group.by_group == {"": (1, 1, 5)}
    assert "Group “no job position”:" in two_groups.explanation


# The meter's lead: one plain sentence


def test_the_sentence_says_the_places_used_the_share_and_the_base() -> None:
    config = nd335_config(quota__scope="unit")

    sentence = quota_status(config, unit(good=25, excellent=3)).sentence

    assert sentence == (
        "3/5 places for “Hoàn thành xuất sắc nhiệm vụ” used "
        "(20 % of the 25 rated “Hoàn thành tốt nhiệm vụ”)."
    )


def test_the_sentence_names_each_group_when_the_quota_holds_by_group() -> None:
    config = nd335_config(quota__scope="unit_and_group")
    rows = unit(good=5, excellent=1, group="Kế toán") + unit(
        good=10, excellent=1, group="Chuyên viên pháp chế", start=100
    )

    sentence = quota_status(config, rows).sentence

    assert sentence == (
        "2/3 places for “Hoàn thành xuất sắc nhiệm vụ” used "
        "(20 % of the 15 rated “Hoàn thành tốt nhiệm vụ”); "
        "by group: Chuyên viên pháp chế 1/2, Kế toán 1/1."
    )


def test_the_sentence_says_none_can_be_given_rather_than_0_of_0() -> None:
    config = nd335_config(quota__scope="unit")

    sentence = quota_status(config, unit(good=4)).sentence

    assert sentence == (
        "No “Hoàn thành xuất sắc nhiệm vụ” can be given yet "
        "(20 % of the 4 rated “Hoàn thành tốt nhiệm vụ”)."
    )


def test_the_sentence_in_vietnamese() -> None:
    config = nd335_config(quota__scope="unit")

    with translation.override("vi"):
        sentence = quota_status(config, unit(good=25, excellent=3)).sentence

    assert sentence == (
        "Đã dùng 3/5 suất “Hoàn thành xuất sắc nhiệm vụ” "
        "(20 % của 25 người đạt “Hoàn thành tốt nhiệm vụ”)."
    )
