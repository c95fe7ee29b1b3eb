"""Issue 14, contradiction 3, for the year: a rulebook that makes the band of the annual score
a ceiling (`levels.may_raise_above_band` false, as Nghị định 335 version 3) refuses an annual
level above it, one by one and in "accept all", and the page offers only the allowed levels;
the Quảng Nam 2022 rulebook, without the field, still lets the head raise it."""

from typing import Any

import pytest
from django.urls import reverse

from danhgia.annual.models import AnnualPeriod
from danhgia.annual.round import AnnualError
from danhgia.annual.services import accept_all_annual, decide_annual
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.services.rulebooks import clone_rulebook, update_rulebook_part
from tests.annual.conftest import Decided, OpenYear, sheet_of
from tests.conftest import World

FULL_YEAR = range(1, 13)
CEILING = "cannot be above the band of the score"
REASON = "Có sáng kiến được công nhận cấp tỉnh"


@pytest.fixture
def ceiling(world: World, qnam: Rulebook) -> Rulebook:
    """HR's clone of the Quảng Nam 2022 rulebook with the band as a ceiling."""
    clone = clone_rulebook(qnam, by=world.users["hr"], organisation=world.province, name="Trần")
    levels = {
        **clone.levels,
        "may_raise_above_band": False,
        "sources": {**clone.levels.get("sources", {}), "may_raise_above_band": "Điều 20"},
    }
    return update_rulebook_part(clone, by=world.users["hr"], part="levels", value=levels)


def _year(decided: Decided, open_year: OpenYear, world: World, **options: Any) -> AnnualPeriod:
    decided(world.people["staff"], FULL_YEAR, "60")  # band "completed"
    return open_year(world.dept, **options)


def test_the_annual_level_cannot_be_raised_above_the_band(
    world: World, decided: Decided, open_year: OpenYear, ceiling: Rulebook, english: None
) -> None:
    period = _year(decided, open_year, world, rulebook=ceiling)
    sheet = sheet_of(period, world.people["staff"])
    assert (sheet.band, sheet.proposed_level) == ("completed", "completed")
    with pytest.raises(AnnualError, match=CEILING) as refused:
        decide_annual(sheet, by=world.users["head"], level="good", reason=REASON)
    assert "choose “Hoàn thành nhiệm vụ” or lower" in str(refused.value)
    sheet = decide_annual(sheet, by=world.users["head"], level="completed")
    assert sheet.decided_level == "completed"


def test_a_rulebook_without_the_rule_still_lets_the_head_raise_the_annual_level(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    period = _year(decided, open_year, world)
    sheet = sheet_of(period, world.people["staff"])
    sheet = decide_annual(sheet, by=world.users["head"], level="good", reason=REASON)
    assert (sheet.band, sheet.decided_level) == ("completed", "good")


def test_accept_all_annual_decides_computed_levels_within_the_band(
    world: World, decided: Decided, open_year: OpenYear, ceiling: Rulebook, english: None
) -> None:
    period = _year(decided, open_year, world, rulebook=ceiling)
    result = accept_all_annual(period, world.dept, by=world.users["head"])
    assert [sheet.person_id for sheet in result.decided] == [world.people["staff"].pk]
    assert result.decided[0].decided_level == "completed"


def test_the_annual_page_offers_levels_up_to_the_band(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    ceiling: Rulebook,
    login: Any,
    english_pages: None,
) -> None:
    period = _year(decided, open_year, world, rulebook=ceiling)
    sheet = sheet_of(period, world.people["staff"])
    url = reverse("annual:decision_page", args=[period.pk, world.dept.pk])
    page = login(world.users["head"]).get(url).content.decode()
    assert 'id="band-ceiling"' in page
    assert "Điều 20" in page
    start = page.index(f'id="annual-{sheet.pk}"')
    row = page[start : page.index("</article>", start)]
    assert '<option value="completed"' in row
    assert '<option value="good"' not in row
