"""Vetoes: discipline, degradation and corruption force "not completed" with a reason."""

import datetime

import pytest
from django.utils import translation

from danhgia.evaluations.models import Discipline, Finding
from danhgia.evaluations.rules.vetoes import (
    DISCIPLINE_CHANNELS,
    DISCIPLINE_FORMS,
    FINDING_KINDS,
    DisciplineFact,
    FindingFact,
    Veto,
    VetoFacts,
    applicable_vetoes,
    level_after_vetoes,
)
from tests.evaluations.test_rules_support import nd335_config, qnam_config

day = datetime.date
JANUARY = (day(2026, 1, 1), day(2026, 1, 31))
MAY = (day(2026, 5, 1), day(2026, 5, 31))
JUNE = (day(2026, 6, 1), day(2026, 6, 30))
DECEMBER = (day(2026, 12, 1), day(2026, 12, 31))
JUNE_15 = day(2026, 6, 15)


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def discipline(
    form: str = "reprimand",
    channel: str = "administrative",
    public_duty: bool = True,
    effective_from: datetime.date = JUNE_15,
) -> VetoFacts:
    return VetoFacts([DisciplineFact(form, channel, public_duty, effective_from, None)], [], False)


def codes(vetoes: list[Veto]) -> list[str]:
    return [veto.code for veto in vetoes]


def test_a_reprimand_vetoes_the_periods_of_its_year_from_its_effect_on() -> None:
    facts = discipline()

    assert applicable_vetoes(nd335_config(), facts, *MAY) == []
    assert applicable_vetoes(nd335_config(), facts, *JUNE) == [
        Veto(
            "discipline_reprimand_or_higher",
            "Discipline of reprimand or higher for a violation in public duty: "
            "reprimand (khiển trách), administrative, effective from 15/06/2026.",
        )
    ]
    assert codes(applicable_vetoes(nd335_config(), facts, *DECEMBER)) == [
        "discipline_reprimand_or_higher"
    ]


def test_a_reprimand_effective_on_31_december_does_not_veto_the_next_year() -> None:
    facts = discipline(effective_from=day(2025, 12, 31))

    assert applicable_vetoes(nd335_config(), facts, *JANUARY) == []
    assert codes(applicable_vetoes(nd335_config(), facts, day(2025, 12, 1), day(2025, 12, 31))) == [
        "discipline_reprimand_or_higher"
    ]


def test_a_party_warning_outside_public_duty_vetoes_only_with_any_discipline() -> None:
    facts = discipline(form="warning", channel="party", public_duty=False)

    assert applicable_vetoes(nd335_config(), facts, *JUNE) == []
    assert applicable_vetoes(qnam_config(), facts, *JUNE) == [
        Veto(
            "any_discipline",
            "Discipline in the year: warning (cảnh cáo), Party, effective from 15/06/2026.",
        )
    ]


def test_a_party_discipline_for_public_duty_vetoes_under_the_decree() -> None:
    facts = discipline(form="warning", channel="party", public_duty=True)

    assert codes(applicable_vetoes(nd335_config(), facts, *JUNE)) == [
        "discipline_reprimand_or_higher"
    ]


def test_degradation_concluded_in_the_year_vetoes() -> None:
    this_year = VetoFacts([], [FindingFact("degradation", day(2026, 3, 5))], False)
    last_year = VetoFacts([], [FindingFact("degradation", day(2025, 11, 5))], False)

    assert applicable_vetoes(nd335_config(), this_year, *JUNE) == [
        Veto(
            "degradation",
            "Degradation in political ideology or ethics, concluded on: 05/03/2026.",
        )
    ]
    assert applicable_vetoes(nd335_config(), this_year, *JANUARY) == []
    assert applicable_vetoes(nd335_config(), last_year, *JUNE) == []


def test_corruption_in_the_led_unit_vetoes_leaders_only() -> None:
    finding = [FindingFact("corruption_in_led_unit", day(2026, 2, 1))]

    assert codes(applicable_vetoes(nd335_config(), VetoFacts([], finding, True), *JUNE)) == [
        "corruption_in_led_unit"
    ]
    assert applicable_vetoes(nd335_config(), VetoFacts([], finding, False), *JUNE) == []
    assert applicable_vetoes(qnam_config(), VetoFacts([], finding, True), *JUNE) == []


def test_several_vetoes_are_all_listed_in_order() -> None:
    facts = VetoFacts(
        [
            DisciplineFact("demotion", "administrative", True, day(2026, 4, 1), None),
            DisciplineFact("reprimand", "party", True, day(2026, 2, 1), day(2027, 2, 1)),
        ],
        [FindingFact("degradation", day(2026, 3, 5))],
        is_leader=False,
    )

    vetoes = applicable_vetoes(nd335_config(), facts, *JUNE)

    assert codes(vetoes) == ["discipline_reprimand_or_higher", "degradation"]
    assert vetoes[0].reason == (
        "Discipline of reprimand or higher for a violation in public duty: "
        "reprimand (khiển trách), Party, effective from 01/02/2026; "
        "demotion (giáng chức), administrative, effective from 01/04/2026."
    )


def test_a_veto_forces_the_lowest_level() -> None:
    vetoes = applicable_vetoes(nd335_config(), discipline(), *JUNE)

    assert level_after_vetoes(nd335_config(), "excellent", vetoes) == "not_completed"
    assert level_after_vetoes(nd335_config(), "excellent", []) == "excellent"


def test_the_codes_match_the_models() -> None:
    assert list(DISCIPLINE_FORMS) == list(Discipline.Form.values)
    assert list(DISCIPLINE_CHANNELS) == list(Discipline.Channel.values)
    assert list(FINDING_KINDS) == list(Finding.Kind.values)


def test_facts_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown discipline form"):
        discipline(form="expulsion")
    with pytest.raises(ValueError, match="unknown finding kind"):
        VetoFacts([], [FindingFact("gossip", day(2026, 1, 1))], False)
    with pytest.raises(ValueError, match="ends before it starts"):
        applicable_vetoes(nd335_config(), discipline(), day(2026, 2, 1), day(2026, 1, 31))
