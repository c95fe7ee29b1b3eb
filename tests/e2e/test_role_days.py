"""Each role's day in a real browser, on a phone (390 px) and on a laptop (1366 px).

Every walk starts on the home page ("Việc cần làm") and follows its links and the menu as a
person would; only the login page is reached by its address. The month is prepared through the
services with the personas of tests/conftest.py. At each step the test asserts what the person
sees and that the page does not scroll sideways. With SHOTS set, each step's page lands in
/tmp/shots-walk/<role>-<width>-<step>.png (never committed), for a person to look at.

- staff: the home page shows the sheet and the task → the task is reported done → the
  self-evaluation (a proposal off the band needs a reason; the total follows the scores) →
  submitted after the confirmation;
- manager: the review queue → the sheet → its review page → returned with a reason → the team;
- head: the decision page (its filters when they exist) → one row decided in place (htmx) →
  the other proposals accepted at once after the confirmation;
- HR: the periods → a month opened → the publication of a decided month, confirmed.
"""

import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Page, ViewportSize, expect

from danhgia.core import clock
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.evaluations.shipped import LEVEL_NAMES, ensure_shipped_rulebooks
from danhgia.reports.publication.models import Publication
from danhgia.work.models import Task
from danhgia.work.services.tasks import assign_task
from tests.conftest import World
from tests.e2e.conftest import TIMEOUT_MS, dialogs_of
from tests.e2e.test_browse import PASSWORD, log_in
from tests.e2e.test_evaluation_month import fill_scores, open_month
from tests.e2e.test_tasks import open_menu_link, vi
from tests.reports.publication.conftest import decided_month

SHOTS = Path("/tmp/shots-walk")
# The phone walks also run at the dates that break date code (the `dated` runs of .ci/run);
# the laptop walks, the same steps wider, run once.
VIEWPORTS = [
    pytest.param(ViewportSize(width=390, height=844), id="390"),
    pytest.param(ViewportSize(width=1366, height=768), id="1366", marks=pytest.mark.undated),
]
TASK = "Tổng hợp hồ sơ đề nghị nâng ngạch"
RETURN_REASON = "Thiếu minh chứng cho điểm tiêu chí năng lực, đề nghị bổ sung."
SCORES = {"ethics": 9, "competence": 9, "innovation": 9}


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """The machine that runs the suite is shared: a submission that recomputes a sheet may take
    more than Playwright's five seconds, so these walks wait as long as the page fixture."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def vi_plural(singular: str, plural: str, n: int, name: str = "n") -> str:
    with translation.override("vi"):
        return ngettext(singular, plural, n) % {name: n}


class Walk:
    """One person's walk: `step(name)` checks the page does not scroll sideways and, with
    SHOTS set, saves it."""

    def __init__(self, page: Page, role: str, viewport: ViewportSize) -> None:
        self.page, self.role, self.viewport = page, role, viewport
        self.width = viewport["width"]
        page.set_viewport_size(viewport)

    def step(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] + 1, (
            f"{self.role} at {self.width} px, {name}: the page scrolls sideways ({widths[0]} px)"
        )
        if os.environ.get("SHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{self.role}-{self.width}-{name}.png", full_page=False)

    def home(self) -> None:
        self.page.locator("header a.brand").click()
        expect(self.page.get_by_test_id("todo")).to_be_visible()


def self_evaluated(world: World, period: Period, key: str, *, submit: bool = True) -> Sheet:
    """`key`'s sheet with the scores of SCORES, the proposal at the band, submitted."""
    sheet = Sheet.objects.get(period=period, person=world.people[key])
    user = world.users[key]
    sheet = save_self_evaluation(sheet, by=user, scores=SCORES)
    sheet = save_self_evaluation(sheet, by=user, scores=SCORES, proposed_level=sheet.band)
    return submit_self_evaluation(sheet, by=user) if submit else sheet


# Staff ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_staff_sees_the_day_reports_a_task_evaluates_and_submits(
    world: World, page: Page, viewport: ViewportSize
) -> None:
    ensure_shipped_rulebooks()
    period = open_month(world)
    today = clock.today()
    task = assign_task(
        title=TASK,
        unit=world.division,
        owner=world.people["staff"],
        by=world.users["manager"],
        source=Task.Source.ASSIGNMENT,
        start_date=today,
        # Due within the open month, so that it counts on its sheet (on 31/12 that is today).
        due_date=min(today + datetime.timedelta(days=3), period.end),
    )
    walk = Walk(page, "staff", viewport)

    log_in(page, "staff", PASSWORD)
    todo = page.get_by_test_id("todo")
    with translation.override("vi"):
        hello = gettext("Hello, %(name)s") % {"name": "Nguyễn Văn An"}
        my_sheet = gettext("My sheet of %(period)s") % {"period": period.label}
    expect(page.locator("h1")).to_have_text(hello)
    expect(todo).to_contain_text(my_sheet)
    due_soon = vi_plural(
        "%(n)s of my tasks is due within 7 days", "%(n)s of my tasks are due within 7 days", 1
    )
    expect(todo.get_by_role("link", name=due_soon)).to_be_visible()
    walk.step("1-home")

    todo.get_by_role("link", name=due_soon).click()
    expect(page.locator("#due-soon")).to_contain_text(TASK)
    walk.step("2-my-tasks")
    page.locator("#due-soon").get_by_role("link", name=TASK).click()
    expect(page.locator("h1")).to_have_text(TASK)
    walk.step("3-task")
    page.locator("details:has(form[action$='/hoan-thanh/']) > summary").click()
    complete = page.locator("form[action$='/hoan-thanh/']")
    complete.locator("textarea[name=text]").fill("Đã trình Trưởng phòng bảng tổng hợp 18 hồ sơ.")
    walk.step("4-task-complete-form")
    complete.locator("button[type=submit]").click()
    expect(page.locator("#activity progress")).to_have_attribute("value", "100")
    expect(page.locator("dl.facts")).to_contain_text(vi("on time"))
    walk.step("5-task-done")

    walk.home()
    expect(todo.get_by_role("link", name=due_soon)).to_have_count(0)
    todo.get_by_role("link", name=my_sheet).click()
    expect(page.locator("main")).to_contain_text(TASK)  # the task line of the month
    walk.step("6-sheet")
    page.get_by_role("link", name=vi("Evaluate yourself")).click()
    expect(page.locator("h1")).to_have_text(vi("Self-evaluation"))
    fill_scores(page, "9", "8", "8")
    live = page.locator("#live-total-output")
    expect(live).to_contain_text("Tổng điểm theo các điểm đang nhập")
    before = live.inner_text()
    fill_scores(page, "9", "9", "9")
    expect(live).not_to_have_text(before)
    page.locator("textarea[name=strengths]").fill("Hoàn thành đúng hạn các hồ sơ được giao.")
    page.locator("textarea[name=shortcomings]").fill("Còn chậm khi tổng hợp số liệu.")
    sheet = Sheet.objects.get(period=period, person=world.people["staff"])
    levels = list(LEVEL_NAMES)
    other = levels[levels.index(sheet.band) + 1]  # a level below the band: a reason is due
    page.locator("select[name=proposed_level]").select_option(other)
    page.locator("textarea[name=level_reason]").fill("Chưa chủ trì được việc nào trong tháng.")
    walk.step("7-self-evaluation")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("ul.messages").first).to_contain_text(
        vi("Submitted. Your manager will review your sheet.")
    )
    assert dialogs_of(page).questions == [
        vi("Send your self-evaluation to your manager? You can withdraw it until they review it.")
    ]
    walk.step("8-submitted")

    walk.home()
    expect(todo).to_contain_text(my_sheet)
    expect(todo).to_contain_text(str(Sheet.Status.SUBMITTED.label))  # type: ignore[attr-defined]
    walk.step("9-home-after")
    sheet.refresh_from_db()
    task.refresh_from_db()
    assert (sheet.status, sheet.self_level, task.status) == (
        Sheet.Status.SUBMITTED,
        other,
        Task.Status.DONE,
    )


# Manager -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_manager_opens_the_queue_reviews_and_returns_a_sheet(
    world: World, page: Page, viewport: ViewportSize
) -> None:
    ensure_shipped_rulebooks()
    period = open_month(world)
    sheet = self_evaluated(world, period, "staff")
    walk = Walk(page, "manager", viewport)

    log_in(page, "manager", PASSWORD)
    todo = page.get_by_test_id("todo")
    queue = vi_plural("%(n)s sheet waits for your review", "%(n)s sheets wait for your review", 1)
    expect(todo.get_by_role("link", name=queue)).to_be_visible()
    walk.step("1-home")

    todo.get_by_role("link", name=queue).click()
    walk.step("2-queue")
    # The queue leads straight to the review page.
    page.locator(f"main a[href='/danh-gia/phieu/{sheet.pk}/nhan-xet/']").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("main form")).to_have_count(2)  # the review, the return
    walk.step("3-review")
    page.locator("details.card > summary", has_text=vi("Return for correction")).click()
    page.locator("textarea[name=reason]").fill(RETURN_REASON)
    walk.step("4-return-form")
    page.locator("button[name=action][value=return]").click()
    expect(page.locator("ul.messages").first).to_contain_text("Nguyễn Văn An")
    walk.step("5-returned")

    walk.home()
    expect(todo.get_by_role("link", name=queue)).to_have_count(0)
    open_menu_link(page, "/danh-gia/nhom-cua-toi/")
    team = page.get_by_test_id("team-period")
    row = team.locator("tbody tr", has_text="Nguyễn Văn An")
    expect(row).to_contain_text(str(Sheet.Status.RETURNED.label))  # type: ignore[attr-defined]
    walk.step("6-team")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.return_reason) == (Sheet.Status.RETURNED, RETURN_REASON)


# Head ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_head_filters_decides_one_and_accepts_all(
    world: World, page: Page, viewport: ViewportSize
) -> None:
    ensure_shipped_rulebooks()
    period = open_month(world)
    staff = self_evaluated(world, period, "staff")
    staff = submit_review(
        staff, by=world.users["manager"], scores=SCORES, proposed_level=staff.band
    )
    others = [
        submit_review(sheet, by=world.users["head"], scores=SCORES, proposed_level=sheet.band)
        for sheet in (self_evaluated(world, period, key) for key in ("manager", "hr"))
    ]
    waiting = Sheet.objects.filter(period=period, status="reviewed").count()
    assert waiting == 3
    walk = Walk(page, "head", viewport)

    log_in(page, "head", PASSWORD)
    todo = page.get_by_test_id("todo")
    to_decide = vi_plural(
        "%(n)s sheet waits for your decision", "%(n)s sheets wait for your decision", waiting
    )
    expect(todo.get_by_role("link", name=to_decide)).to_be_visible()
    walk.step("1-home")

    todo.get_by_role("link", name=to_decide).click()
    page.locator(f"main a[href='/danh-gia/quyet-dinh/{period.pk}/{world.dept.pk}/']").click()
    expect(page.locator("#quota meter")).to_be_visible()
    rows = page.locator("article.decision")
    expect(rows.filter(has=page.locator("form.decide"))).to_have_count(waiting)
    walk.step("2-decision-page")

    # The filter links (data-filter) come with the decision page's own work; until they are
    # there, the walk goes on without them.
    waiting_filter = page.locator("a[data-filter=waiting]")
    if waiting_filter.count():
        waiting_filter.click()
        expect(rows.filter(has=page.locator("form.decide"))).to_have_count(waiting)
        walk.step("3-filter-waiting")

    row = page.locator(f"article#sheet-{staff.pk}")
    row.locator(f"select[name=s{staff.pk}-level]").select_option(staff.band)
    page.evaluate("window.e2eSamePage = true")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"article#sheet-{staff.pk}.decided")).to_contain_text(
        LEVEL_NAMES[staff.band]
    )
    assert page.evaluate("window.e2eSamePage") is True, "the row is decided in place (htmx)"
    walk.step("4-one-decided")

    page.locator("button[name=action][value=accept_all]").click()
    accepted = vi_plural("%(count)s proposal accepted", "%(count)s proposals accepted", 2, "count")
    expect(page.locator("#accepted h2")).to_have_text(accepted)
    assert dialogs_of(page).questions == [
        vi("Accept the proposals for everyone waiting? Each decision is recorded in your name.")
    ]
    expect(page.locator("article.decision form.decide")).to_have_count(0)
    walk.step("5-accepted-all")

    walk.home()
    expect(todo.get_by_role("link", name=to_decide)).to_have_count(0)
    walk.step("6-home-after")
    decided = Sheet.objects.filter(pk__in=[staff.pk, *(sheet.pk for sheet in others)])
    assert (
        sorted(decided.values_list("status", "decided_by__username"))
        == [(Sheet.Status.DECIDED, "head")] * 3
    )


# HR ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_hr_opens_a_month_and_publishes_a_decided_one(
    world: World, page: Page, viewport: ViewportSize, live_server
) -> None:  # type: ignore[no-untyped-def]
    october = decided_month(world)
    walk = Walk(page, "hr", viewport)

    log_in(page, "hr", PASSWORD)
    todo = page.get_by_test_id("todo")
    expect(todo).not_to_contain_text(vi("Open periods you manage"))
    walk.step("1-home")

    open_menu_link(page, "/danh-gia/ky/")
    expect(page.locator("h1")).to_have_text(vi("Evaluation periods"))
    walk.step("2-periods")
    form = page.locator("main form[action='/danh-gia/ky/']")
    form.locator("select[name=organisation]").select_option(label="Sở Tài chính")
    form.locator("select[name=kind]").select_option("month")
    walk.step("3-open-form")
    form.locator("button[type=submit]").click()
    opened = Period.objects.get(organisation=world.dept_other)
    expect(page.locator("table.periods")).to_contain_text(opened.label)
    walk.step("4-opened")

    walk.home()
    expect(todo).to_contain_text(vi("Open periods you manage"))
    expect(todo).to_contain_text(f"{opened.label} · Sở Tài chính")
    walk.step("5-home-open")

    open_menu_link(page, "/cong-bo/")
    row = page.locator(f"[data-testid=period-{october.pk}]")
    expect(row).to_contain_text(vi("not published"))
    walk.step("6-publication")
    row.locator(f"a[href='/cong-bo/ky/{october.pk}/dang/']").click()
    page.locator("input[name=audience][value=public]").check()
    page.locator("input[name=privacy][value=names_levels]").check()
    walk.step("7-publish-form")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/cong-bo/")
    expect(row.locator("a[href='/cong-khai/SNV/2026-10/']")).to_be_visible()
    assert dialogs_of(page).questions == [
        vi("Publish these results? What you chose becomes readable at once.")
    ]
    walk.step("8-published")
    publication = Publication.objects.get(period=october)
    assert (publication.audience, publication.privacy, publication.published_by) == (
        "public",
        "names_levels",
        world.users["hr"],
    )
    assert (opened.state, opened.sheets.count()) == (Period.State.OPEN, 2)
