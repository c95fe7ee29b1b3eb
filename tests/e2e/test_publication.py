"""Publication in a real browser: the HR officer publishes Sở Nội vụ's decided October on the
public portal (names with levels, without scores); an anonymous visitor finds it from the
index of units and reads it; the fragment for a portal opens too. Pages at 375 px and on a
desktop land in var/screenshots/ (never committed)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from danhgia.reports.publication.models import Publication
from danhgia.reports.publication.services import publish_period
from tests.conftest import World
from tests.e2e.test_appeal_flow import screenshot
from tests.e2e.test_browse import PASSWORD, log_in
from tests.e2e.test_tasks import log_out
from tests.reports.publication.conftest import decided_month


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hr_publishes_a_month_and_a_visitor_reads_it(
    world: World, page: Page, browser: Browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    october = decided_month(world)

    log_in(page, "hr", PASSWORD)
    page.goto("/cong-bo/")
    row = page.locator(f"[data-testid=period-{october.pk}]")
    expect(row).to_contain_text("Sở Nội vụ")
    row.locator(f"a[href='/cong-bo/ky/{october.pk}/dang/']").click()
    page.locator("input[name=audience][value=public]").check()
    page.locator("input[name=privacy][value=names_levels]").check()
    screenshot(page, "publication-publish")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/cong-bo/")
    expect(row.locator("a[href='/cong-khai/SNV/2026-10/']")).to_be_visible()
    publication = Publication.objects.get(period=october)
    assert (publication.audience, publication.privacy) == ("public", "names_levels")
    screenshot(page, "publication-list")
    log_out(page)

    visitor = browser.new_context(base_url=live_server.url)
    anonymous = visitor.new_page()
    try:
        anonymous.goto("/cong-khai/")
        anonymous.get_by_role("link", name="10/2026").click()
        expect(anonymous).to_have_url(f"{live_server.url}/cong-khai/SNV/2026-10/")
        division = anonymous.locator("section.pub-group", has_text="Phòng Công chức")
        expect(division).to_contain_text("Nguyễn Văn An")
        expect(division).to_contain_text("Hoàn thành tốt nhiệm vụ")
        content = anonymous.content()
        assert "83,17" not in content and "83.17" not in content
        assert "staff@snv.example.vn" not in content
        expect(anonymous.locator("table.pub-counts")).to_contain_text(
            "Hoàn thành xuất sắc nhiệm vụ"
        )
        screenshot(anonymous, "publication-public-month")
        anonymous.goto("/cong-khai/SNV/2026-10/nhung/")
        expect(anonymous.locator("body.pub-embed")).to_contain_text("Phạm Minh Châu")
        screenshot(anonymous, "publication-embed")
    finally:
        visitor.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_lands_searches_without_accents_and_filters(
    world: World, page: Page, live_server
) -> None:  # type: ignore[no-untyped-def]
    publish_period(
        decided_month(world), by=world.users["hr"], audience="public", privacy="names_levels"
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/")
    expect(page.locator("main")).to_contain_text(world.province.name)
    expect(page.get_by_role("link", name="Đăng nhập (cán bộ, công chức)")).to_be_visible()
    screenshot(page, "public-landing")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("tên người hoặc đơn vị").fill("pham minh chau")
    page.get_by_label("mức xếp loại").select_option("excellent")
    page.get_by_role("button", name="Tìm").click()

    hits = page.locator("ul.pub-hits")
    expect(hits).to_contain_text("Phạm Minh Châu")
    expect(hits).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(page.get_by_label("tên người hoặc đơn vị")).to_have_value("pham minh chau")
    screenshot(page, "public-search")
    hits.get_by_role("link", name="Tháng 10/2026").click()
    expect(page).to_have_url(f"{live_server.url}/cong-khai/SNV/2026-10/")
