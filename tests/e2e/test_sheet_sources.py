"""A leader's month on a phone (390 px): every figure carries its footnote number and the
sources are listed under the sheet without widening the page. The screenshot lands in
var/screenshots/sheet-sources-phone.png."""

from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from danhgia.organisations.models import Person
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.evaluations.conftest import (  # noqa: F401 - fixtures
    MakeTask,
    OpenOctober,
    make_task,
    nd335,
    oct_,
    open_october,
    sheet_of,
)

PHONE_390 = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leaders_month_shows_its_sources_on_a_phone(
    world: World,
    page: Page,
    open_october: OpenOctober,  # noqa: F811
    make_task: MakeTask,  # noqa: F811
) -> None:
    Person.objects.filter(pk=world.people["manager"].pk).update(is_leader=True)
    make_task(quantity=Decimal(2), done_on=oct_(10), meets_quality=True)
    make_task("manager", by="head", quantity=Decimal(1), done_on=oct_(12), meets_quality=True)
    sheet = sheet_of(open_october(), world.people["manager"])
    page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
    log_in(page, "manager", PASSWORD)

    page.goto(f"/danh-gia/phieu/{sheet.pk}/")

    for figure in ["general", "a", "b", "c", "d", "dd", "e", "leader_points", "total", "bands"]:
        expect(page.locator(f"sup.cite[data-figure='{figure}']")).to_be_visible()
    sources = page.locator("#sources li")
    expect(sources.first).to_be_visible()
    assert sources.count() >= 10
    expect(page.locator("#sources")).to_contain_text("Điều 15 khoản 3 điểm a")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_390["width"], width
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "sheet-sources-phone.png", full_page=True)
