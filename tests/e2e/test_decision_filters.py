"""The head's decision page in a browser: the filter links work without JavaScript and keep
their counts; the quota meter stays at the top of the window while the rows scroll, on a
desktop and on a phone. Screenshots of the filtered page land in var/screenshots/."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from danhgia.evaluations.services.decisions import decide_sheet
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.evaluations.conftest import make_task, nd335, open_october  # noqa: F401 (fixtures)
from tests.evaluations.test_decisions import GOOD, _colleagues, _reviewed

DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_the_head_filters_the_rows_and_the_meter_stays_in_sight(
    world: World,
    page: Page,
    open_october: Any,  # noqa: F811 (fixtures)
    make_task: Any,  # noqa: F811 (fixtures)
) -> None:
    keys = _colleagues(world, make_task, 7)
    period = open_october()
    for key in ["staff", *keys[:5]]:
        _reviewed(world, period, key, GOOD)
    _reviewed(world, period, keys[5], GOOD, level="completed")  # away from the band
    decided = _reviewed(world, period, keys[6], GOOD)
    decide_sheet(decided, by=world.users["head"], level=decided.band)
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    shots = settings.VAR_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    log_in(page, "head", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto(url)

    filters = page.locator("nav.row-filters")
    expect(filters.locator("[data-filter=waiting] .count")).to_have_text("7")
    expect(filters.locator("[data-filter=differs] .count")).to_have_text("1")
    expect(filters.locator("[data-filter=decided] .count")).to_have_text("1")
    filters.locator("[data-filter=waiting]").click()
    expect(page).to_have_url(re.compile(r"\?loc=cho$"))  # a link: no JavaScript needed
    expect(page.locator("article.decision")).to_have_count(7)
    expect(filters.locator("[data-filter=waiting]")).to_have_attribute("aria-current", "page")
    page.screenshot(path=shots / "decision-filtered-1366-top.png")

    page.mouse.wheel(0, 3000)
    expect(page.locator(".quota-sentence")).to_be_in_viewport()
    assert page.evaluate("document.getElementById('quota').getBoundingClientRect().top") == 0
    page.screenshot(path=shots / "decision-filtered-1366.png")

    page.set_viewport_size(PHONE)
    filters.locator("[data-filter=differs]").click()
    expect(page.locator("article.decision")).to_have_count(1)
    page.screenshot(path=shots / "decision-filtered-390-top.png")
    filters.locator("[data-filter=all]").click()
    page.mouse.wheel(0, 4000)
    expect(page.locator(".quota-sentence")).to_be_in_viewport()
    quota = page.locator("#quota").bounding_box()
    assert quota is not None and quota["y"] == 0
    assert quota["height"] < PHONE["height"] * 0.36  # small on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "decision-all-390-scrolled.png")
