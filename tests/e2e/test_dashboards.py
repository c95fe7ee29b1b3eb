"""A supervisor opens the province dashboard in a real browser: the charts are drawn by
Chart.js (an instance on each canvas) next to the tables of their figures; drill-down to the
department; the supervision page flags the department whose month is all "good".

Screenshots (phone and desktop) land in var/screenshots/ for a look; they are not committed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, ViewportSize, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.reports.dashboards.conftest import (  # noqa: F401  (fixtures)
    Month,
    make_task,
    nd335,
    october,
    open_october,
)

PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def _chart_drawn(page: Page, name: str) -> bool:
    """Whether Chart.js drew the chart `name` within a few seconds (the page may still be
    loading after a click that navigates)."""
    script = (
        "name => { const canvas = document.querySelector(`[data-testid=chart-${name}]`);"
        " const chart = canvas && window.Chart && Chart.getChart(canvas);"
        " return Boolean(chart) && chart.data.datasets.length > 0 && canvas.width > 0; }"
    )
    try:
        page.wait_for_function(script, arg=name, timeout=5_000)
    except PlaywrightTimeoutError:
        return False
    return True


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_opens_the_dashboard_charts_and_the_flags(
    world: World,
    october: Month,  # noqa: F811
    page: Page,
) -> None:
    october.all_good()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    log_in(page, "supervisor", PASSWORD)
    page.goto("/bao-cao/thong-ke/?thang=2026-10")
    expect(page.locator("h1")).to_contain_text("Tỉnh Thử nghiệm")
    for name in ("levels", "trend", "proposals", "on_time"):
        expect(page.get_by_test_id(f"chart-{name}")).to_be_visible()
        assert _chart_drawn(page, name), name
    table = page.get_by_test_id("figures-levels")
    expect(table.locator("tbody th").nth(0)).to_have_text("Sở Nội vụ")
    expect(table.locator("tbody th").nth(1)).to_have_text("Sở Tài chính")
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text("100,0 %")
    page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "dashboard-desktop.png"), full_page=True)

    page.get_by_test_id("sub-units").get_by_role("link", name="Sở Nội vụ").click()
    expect(page.locator("h1")).to_contain_text("Sở Nội vụ")
    assert _chart_drawn(page, "levels")
    page.get_by_test_id("sub-units").get_by_role("link", name="Phòng Công chức").click()
    page.get_by_test_id("people").get_by_role("link", name="Nguyễn Văn An").click()
    assert _chart_drawn(page, "score")
    expect(page.get_by_test_id("tasks")).to_contain_text("Tham mưu văn bản")

    page.goto("/bao-cao/giam-sat/?thang=2026-10")
    flagged = page.get_by_test_id("flagged-unit")
    expect(flagged).to_have_count(1)
    expect(flagged.locator("h2")).to_have_text("Sở Nội vụ")
    expect(flagged.locator("[data-flag]")).to_have_count(4)
    page.screenshot(path=str(SHOTS / "supervision-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / "supervision-phone.png"), full_page=True)
