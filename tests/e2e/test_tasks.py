"""A task's life in a real browser, and the week view, with the personas of tests/conftest.py.

The head of Sở Nội vụ assigns, the owner (Nguyễn Văn An) reports progress with a PDF and
completes, the head assesses. The phone screenshot lands in var/screenshots/.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, ViewportSize, expect

from danhgia.core.models import AuditLog
from danhgia.work.models import Task
from danhgia.work.services import schedules
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.work.conftest import pdf_bytes

PHONE: ViewportSize = {"width": 375, "height": 800}
TITLE = "Thẩm định hồ sơ nâng lương trước thời hạn của Sở Y tế"
COMMENT = "Đã đối chiếu xong hồ sơ của 12 trường hợp, đang dự thảo tờ trình."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence uploaded in the browser goes to a temporary MEDIA_ROOT (the live server runs
    in this process, so the setting reaches it)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def vi(message: str) -> str:
    """`message` as the Vietnamese pages show it (the msgid when not translated yet)."""
    with translation.override("vi"):
        return gettext(message)


def open_menu_link(page: Page, href: str) -> None:
    page.locator("details.menu summary").click()
    page.locator(f"details.menu nav a[href='{href}']").click()


def log_out(page: Page) -> None:
    page.locator("details.menu summary").click()
    page.locator("details.menu form[action='/tai-khoan/dang-xuat/'] button").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))


def assign_as_head(page: Page, due: datetime.date) -> None:
    log_in(page, "head", PASSWORD)
    open_menu_link(page, "/cong-viec/giao-viec/")
    expect(page).to_have_url(re.compile(r"/cong-viec/giao-viec/$"))
    page.locator("input[name=title]").fill(TITLE)
    page.locator("#id_owners").get_by_label("Nguyễn Văn An").check()
    page.locator("input[name=due_date]").fill(due.isoformat())  # a date input takes ISO
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("dl.facts")).to_contain_text("Nguyễn Văn An")
    log_out(page)


def report_and_complete_as_owner(page: Page) -> None:
    log_in(page, "staff", PASSWORD)
    open_menu_link(page, "/cong-viec/cua-toi/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("h1")).to_have_text(TITLE)

    activity = page.locator("#activity")
    page.evaluate("window.e2eSamePage = true")
    activity.locator("input[name=progress]").fill("50")
    activity.locator("textarea[name=text]").fill(COMMENT)
    activity.locator("input[name=evidence]").set_input_files(
        {"name": "Biên bản đối chiếu.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    with page.expect_response(lambda r: r.url.endswith("/tien-do/") and r.status == 200):
        activity.locator("button[type=submit]").click()
    history = page.locator("#activity ul.history")
    expect(history).to_contain_text(COMMENT)
    expect(history.get_by_role("link", name="Biên bản đối chiếu.pdf")).to_be_visible()
    expect(page.locator("#activity progress")).to_have_attribute("value", "50")
    assert page.evaluate("window.e2eSamePage") is True, "htmx should swap the activity in place"

    page.locator("details:has(form[action$='/hoan-thanh/']) > summary").click()
    complete = page.locator("form[action$='/hoan-thanh/']")
    complete.locator("textarea[name=text]").fill("Đã trình Giám đốc Sở ký tờ trình số 45/TTr-SNV.")
    complete.locator("button[type=submit]").click()
    expect(page.locator("#activity progress")).to_have_attribute("value", "100")
    expect(page.locator("dl.facts")).to_contain_text(vi("on time"))
    log_out(page)


def assess_as_head(page: Page) -> None:
    log_in(page, "head", PASSWORD)
    page.get_by_test_id("notifications").click()
    # The one notice of its kind that day is its own digest: opening it reads it.
    page.locator("main ul.digests button", has_text=TITLE).first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    assess = page.locator("form[action$='/danh-gia/']")
    assess.locator("input[name=meets_quality][value=yes]").check()
    assess.locator("input[name=major_errors]").fill("1")
    assess.locator("button[type=submit]").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(vi("meets the quality required"))
    expect(facts).to_contain_text("Trần Thị Hạnh")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_head_assigns_owner_reports_with_a_file_and_completes_head_assesses(
    world: World, page: Page
) -> None:
    assign_as_head(page, timezone.localdate() + datetime.timedelta(days=7))
    task = Task.objects.get(title=TITLE)
    assert (task.owner, task.assigned_by) == (world.people["staff"], world.users["head"])

    report_and_complete_as_owner(page)
    assess_as_head(page)

    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == (
        Task.Status.DONE,
        100,
        timezone.localdate(),
    )
    assert (task.meets_quality, task.major_errors, task.assessed_by) == (
        True,
        1,
        world.users["head"],
    )
    assert [(e.original_name, e.content_type) for e in task.evidence.all()] == [
        ("Biên bản đối chiếu.pdf", "application/pdf")
    ]
    rows = AuditLog.objects.filter(object_type="work.task", object_id=str(task.pk))
    assert list(rows.order_by("id").values_list("action", "actor__username")) == [
        ("task.assigned", "head"),
        ("task.progress_reported", "staff"),
        ("task.completed", "staff"),
        ("task.assessed", "head"),
    ]

    page.set_viewport_size(PHONE)
    page.goto(f"/cong-viec/{task.pk}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "task-detail-phone.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll on a phone: {scroll_width}px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_see_the_published_week_of_their_department(world: World, page: Page) -> None:
    head, director = world.users["head"], world.people["head"]
    monday = schedules.monday_of(timezone.localdate())
    schedule = schedules.create_schedule(world.dept, monday, by=head)
    for offset, hour, title in ((0, 7, "Giao ban đầu tuần"), (2, 8, "Tiếp công dân định kỳ")):
        start = datetime.datetime.combine(
            monday + datetime.timedelta(days=offset), datetime.time(hour)
        )
        schedules.add_entry(
            schedule,
            by=head,
            starts_at=timezone.make_aware(start),
            title=title,
            place="Phòng họp tầng 2",
            chair=director,
        )
    schedules.publish_schedule(schedule, by=head)

    log_in(page, "staff", PASSWORD)
    open_menu_link(page, "/lich-tuan/")

    expect(page.get_by_test_id("week-range")).to_contain_text("Sở Nội vụ")
    days = page.get_by_test_id("week-day")
    expect(days).to_have_count(5)
    expect(days.nth(0)).to_contain_text("07:00 Giao ban đầu tuần")
    expect(days.nth(0)).to_contain_text("Trần Thị Hạnh")
    expect(days.nth(2)).to_contain_text("Tiếp công dân định kỳ")
    expect(page.get_by_test_id("no-schedule")).to_have_count(0)
    page.set_viewport_size(PHONE)
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "week-view-phone.png", full_page=True)
