"""What a head of department does in a real browser: log in, browse, search, switch language.

Uses the personas of tests/conftest.py; the phone screenshot lands in var/screenshots/.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect

from danhgia.accounts.forms import LoginForm

PASSWORD = "mat-khau-thu-nghiem-1"  # every persona's password (tests/factories.py)
NAV_UNITS_VI = "Đơn vị"  # "Units" in the main menu, from locale/vi
NAV_UNITS_EN = "Units"
PHONE: ViewportSize = {"width": 375, "height": 800}


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


def expect_menu_units_link(page: Page, text: str) -> None:
    page.locator("details.menu summary").click()
    expect(page.locator("details.menu nav a[href='/don-vi/']")).to_have_text(text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_head_browses_tree_searches_and_switches_language(world, page: Page) -> None:
    log_in(page, "head", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    # Headless Chromium sends Accept-Language: en-US; Vietnamese is still the default.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect_menu_units_link(page, NAV_UNITS_VI)

    page.locator("details.menu nav a[href='/don-vi/']").click()
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    tree_links = page.get_by_test_id("unit-tree").locator("li > a")
    expect(tree_links).to_have_text(["Sở Nội vụ", "Phòng Công chức"])
    tree_links.get_by_text("Sở Nội vụ", exact=True).click()
    expect(page.locator("h1")).to_have_text("Sở Nội vụ")
    page.get_by_role("link", name="Phòng Công chức", exact=True).click()
    expect(page.locator("h1")).to_have_text("Phòng Công chức")
    expect(page.locator("#people")).to_contain_text("Nguyễn Văn An")

    page.goto("/nhan-su/")
    expect(page.locator("#results tbody tr")).to_have_count(4)
    page.evaluate("window.e2eSamePage = true")
    with page.expect_response(lambda r: "/nhan-su/?" in r.url and "nguyen" in r.url):
        page.locator("#id_q").fill("nguyen van an")
    expect(page.locator("#results tbody td:first-child")).to_have_text(["Nguyễn Văn An"])
    assert page.evaluate("window.e2eSamePage") is True, "htmx should swap results in place"

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/nhan-su/$"))
    expect_menu_units_link(page, NAV_UNITS_EN)
    page.get_by_test_id("lang-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect_menu_units_link(page, NAV_UNITS_VI)

    page.set_viewport_size(PHONE)
    page.goto("/don-vi/")
    expect(page.get_by_test_id("unit-tree")).to_be_visible()
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "head-tree-phone.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll on a phone: {scroll_width}px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_anonymous_is_sent_to_login_and_told_about_a_wrong_password(world, page: Page) -> None:
    with translation.override("en"):
        english = str(LoginForm.error_messages["invalid_login"])
    with translation.override("vi"):
        vietnamese = str(LoginForm.error_messages["invalid_login"])
    assert vietnamese != english, "the login error has no Vietnamese translation in locale/vi"

    page.goto("/don-vi/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/don-vi/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.locator("input[name=username]").fill("head")
    page.locator("input[name=password]").fill("sai-mat-khau")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errors[role=alert]")).to_have_text(vietnamese)
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    expect(page.locator("input[name=username]")).to_have_value("head")
