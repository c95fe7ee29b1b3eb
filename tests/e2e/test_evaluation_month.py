"""One month of evaluation in a real browser, with the personas of tests/conftest.py.

The period is opened for Sở Nội vụ (world.dept) for the current month. Nguyễn Văn An (staff)
evaluates himself, the manager returns the sheet once, he corrects and resubmits, the manager
reviews, the head decides at a level other than the band (refused without a reason first), the
other sheets of the department are decided through the services, and HR closes the period
from the periods page. The decision page at 375 px lands in var/screenshots/.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from danhgia.core import clock
from danhgia.core.audit import verify_chain
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.sheets import (
    current_lines,
    save_self_evaluation,
    submit_self_evaluation,
)
from danhgia.evaluations.shipped import LEVEL_NAMES, ensure_shipped_rulebooks
from danhgia.organisations.models import Role
from danhgia.work.models import Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.tasks import assign_task, complete_task
from tests.conftest import World, _person_with_login, _role
from tests.e2e.conftest import dialogs_of
from tests.e2e.test_browse import PASSWORD, log_in
from tests.e2e.test_tasks import PHONE, log_out, open_menu_link, vi

RETURN_REASON = "Điểm tiêu chí đổi mới chưa có minh chứng, đề nghị xem lại."
DECISION_REASON = "Chưa chủ trì được việc nào của phòng trong tháng."
LEVELS = list(LEVEL_NAMES)  # best first


def make_tasks(world: World, first: datetime.date) -> list[Task]:
    """Three tasks of the month for staff, assigned by the manager; two done and assessed (on
    their due dates, which are never after today: on the 1st both are due that day)."""
    staff, manager = world.people["staff"], world.users["manager"]
    today = clock.today()
    tasks = []
    for number, due in enumerate((min(first + datetime.timedelta(days=1), today), today), 1):
        task = assign_task(
            title=f"Thẩm định hồ sơ số {number}",
            unit=staff.unit,
            owner=staff,
            by=manager,
            source=Task.Source.ASSIGNMENT,
            start_date=first,
            due_date=due,
        )
        task = complete_task(task, by=staff.user, on=due)
        tasks.append(assess_task(task, by=manager, meets_quality=True, major_errors=0, note=""))
    tasks.append(
        assign_task(
            title="Dự thảo báo cáo tháng",
            unit=staff.unit,
            owner=staff,
            by=manager,
            source=Task.Source.ASSIGNMENT,
            start_date=first,
            due_date=first.replace(day=28),
        )
    )
    return tasks


def open_month(world: World) -> Period:
    """This month of Sở Nội vụ, its deadlines the rulebook's (after the month's end)."""
    today = clock.today()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    return open_period(
        world.dept,
        today.replace(day=1),
        rulebook=rulebook,
        by=world.users["hr"],
    )


def fill_scores(page: Page, ethics: str, competence: str, innovation: str) -> None:
    for code, value in (("ethics", ethics), ("competence", competence), ("innovation", innovation)):
        page.locator(f"input[name=score_{code}]").fill(value)


def self_evaluate(page: Page, *, innovation: str, returned: bool) -> None:
    log_in(page, "staff", PASSWORD)
    open_menu_link(page, "/danh-gia/")
    page.locator("main table a").first.click()
    if returned:
        expect(page.locator("main")).to_contain_text(RETURN_REASON)
    page.get_by_role("link", name=vi("Evaluate yourself")).click()
    if returned:
        expect(page.locator("ul.messages").first).to_contain_text(RETURN_REASON)
    fill_scores(page, "9", "9", innovation)
    page.locator("textarea[name=strengths]").fill("Nắm vững quy trình thẩm định.")
    page.locator("textarea[name=shortcomings]").fill("Còn chậm ở việc dự thảo báo cáo.")
    page.locator("select[name=proposed_level]").select_option("good")
    # The live total follows the scores typed; a proposal off the band asks for a reason.
    live = page.locator("#live-total-output")
    expect(live).to_contain_text("Tổng điểm theo các điểm đang nhập")
    before = live.inner_text()
    fill_scores(page, "9", "8", innovation)
    expect(live).not_to_have_text(before)
    fill_scores(page, "9", "9", innovation)
    page.locator("textarea[name=level_reason]").fill("Hoàn thành thêm việc đột xuất.")
    # "Send?" answered "Cancel" first: nothing is sent, what was typed stays.
    dialogs = dialogs_of(page)
    dialogs.dismiss_next()
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("textarea[name=strengths]")).to_have_value("Nắm vững quy trình thẩm định.")
    assert dialogs.questions[-1] == vi(
        "Send your self-evaluation to your manager? You can withdraw it until they review it."
    )
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("ul.messages").first).to_contain_text(
        vi("Submitted. Your manager will review your sheet.")
    )
    log_out(page)


def open_review_as_manager(page: Page) -> None:
    log_in(page, "manager", PASSWORD)
    open_menu_link(page, "/danh-gia/")
    page.locator("main a", has_text="Nguyễn Văn An").first.click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn An")


def return_as_manager(page: Page) -> None:
    open_review_as_manager(page)
    page.locator("details.card > summary").click()
    page.locator("textarea[name=reason]").fill(RETURN_REASON)
    page.locator("button[name=action][value=return]").click()
    expect(page.locator("ul.messages").first).to_contain_text("Nguyễn Văn An")
    log_out(page)


def review_as_manager(page: Page) -> None:
    open_review_as_manager(page)
    fill_scores(page, "9", "8", "7")
    page.locator("textarea[name=comment]").fill("Hoàn thành đúng hạn các hồ sơ được giao.")
    page.locator("select[name=proposed_level]").select_option("good")
    page.locator("button[name=action][value=review]").click()
    expect(page.locator("ul.messages").first).to_contain_text(
        vi("Review saved. The head decides the level.")
    )
    log_out(page)


def decide_other_sheets(world: World, period: Period) -> None:
    """The department's other sheets (the manager's, HR's and the head's) through the services:
    each person submits, and the head (for the head's own sheet, the provincial chair) decides
    at the band."""
    deciders = {"manager": "head", "hr": "head", "head": "chair"}
    for key, decider in deciders.items():
        sheet = Sheet.objects.get(period=period, person=world.people[key])
        user = world.people[key].user
        sheet = save_self_evaluation(
            sheet,
            by=user,
            scores={"ethics": 9, "competence": 9, "innovation": 9},
            proposed_level="good",
        )
        sheet = submit_self_evaluation(sheet, by=user)
        decide_sheet(sheet, by=world.users[decider], level=sheet.band)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_month_self_evaluation_return_review_decision_with_a_reason_and_closing(
    world: World, page: Page
) -> None:
    ensure_shipped_rulebooks()
    chair = _person_with_login("chair", "Lê Văn Chủ", world.province, "Chủ tịch UBND tỉnh")
    world.users["chair"] = chair.user
    _role(chair.user, world.province, Role.HEAD)
    make_tasks(world, clock.today().replace(day=1))
    period = open_month(world)
    staff_sheet = Sheet.objects.get(period=period, person=world.people["staff"])
    assert (staff_sheet.reviewer, staff_sheet.decider) == (
        world.users["manager"],
        world.users["head"],
    )
    assert len(current_lines(staff_sheet)) == 3  # shown computed: none stored until submitted

    self_evaluate(page, innovation="10", returned=False)
    return_as_manager(page)
    self_evaluate(page, innovation="8", returned=True)
    review_as_manager(page)

    staff_sheet.refresh_from_db()
    assert staff_sheet.status == Sheet.Status.REVIEWED
    band = staff_sheet.band
    level = LEVELS[LEVELS.index(band) + 1]  # one level below the band

    log_in(page, "head", PASSWORD)
    open_menu_link(page, "/danh-gia/quyet-dinh/")
    page.locator(f"main a[href='/danh-gia/quyet-dinh/{period.pk}/{world.dept.pk}/']").click()
    expect(page.locator("#quota meter")).to_be_visible()
    row = page.locator(f"#sheet-{staff_sheet.pk}")
    row.locator(f"select[name=s{staff_sheet.pk}-level]").select_option(level)
    row.locator("button[type=submit]").click()
    with translation.override("vi"):
        refused = gettext(
            "“%(level)s” differs from the band of the score (%(total)s points: “%(band)s”). "
            "Give the reason for the difference."
        ) % {
            "level": LEVEL_NAMES[level],
            "total": number_format(staff_sheet.total, 2),
            "band": LEVEL_NAMES[band],
        }
    row = page.locator(f"#sheet-{staff_sheet.pk}")
    expect(row.locator(".errors")).to_contain_text(refused)
    row.locator(f"input[name=s{staff_sheet.pk}-reason]").fill(DECISION_REASON)
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#sheet-{staff_sheet.pk}")).to_contain_text(DECISION_REASON)
    expect(page.locator(f"#sheet-{staff_sheet.pk}")).to_contain_text(LEVEL_NAMES[level])

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#quota meter")).to_be_visible()
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "decision-page-phone.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_out(page)

    decide_other_sheets(world, period)
    log_in(page, "hr", PASSWORD)
    open_menu_link(page, "/danh-gia/ky/")
    page.locator(f"form[action='/danh-gia/ky/{period.pk}/dong/'] button").click()
    expect(page.locator("ul.messages").first).to_contain_text(str(vi("closed")))

    period.refresh_from_db()
    staff_sheet.refresh_from_db()
    assert period.state == Period.State.CLOSED
    assert sorted(period.sheets.values_list("status", flat=True)) == [Sheet.Status.DECIDED] * 4
    assert (staff_sheet.band, staff_sheet.decided_level, staff_sheet.decision_reason) == (
        band,
        level,
        DECISION_REASON,
    )
    assert (staff_sheet.manager_general, staff_sheet.self_general) == (Decimal(24), Decimal(26))
    assert staff_sheet.decided_by == world.users["head"]
    sheet_rows = AuditLog.objects.filter(
        object_type="evaluations.sheet", object_id=str(staff_sheet.pk)
    )
    actions = [
        (action, actor)
        for action, actor in sheet_rows.order_by("id").values_list("action", "actor__username")
        if action not in ("sheet.self_saved", "sheet.recomputed")
    ]
    assert actions == [
        ("sheet.self_submitted", "staff"),
        ("sheet.returned", "manager"),
        ("sheet.self_submitted", "staff"),
        ("sheet.reviewed", "manager"),
        ("sheet.decided", "head"),
    ]
    period_rows = AuditLog.objects.filter(
        object_type="evaluations.period", object_id=str(period.pk)
    )
    assert list(period_rows.order_by("id").values_list("action", "actor__username")) == [
        ("period.opened", "hr"),
        ("period.closed", "hr"),
    ]
    checked, broken, why = verify_chain()  # what `manage.py verify_audit_log` runs
    assert (broken, why) == (None, "")
    assert checked == AuditLog.objects.count()
    assert scroll_width <= PHONE["width"], f"horizontal scroll on a phone: {scroll_width}px"
