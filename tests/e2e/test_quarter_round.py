"""A quarter of evaluation in a real browser, then the year computed from its quarters.

The quarter is the one containing today (danhgia.core.clock, so a dated run picks its own).
The other three quarters of the year go through the services at an instant inside each
(tests/evaluations/test_quarter_round.py). In the browser: HR opens the quarter for Sở Nội vụ
by choosing this month and the kind "quý"; Nguyễn Văn An evaluates himself; the manager
reviews; the head accepts every proposal (An's) and decides the manager's and HR's sheets one
by one; HR closes the quarter, then opens the annual classification of the year; An reads his
annual sheet, whose inputs are the four quarters. Screenshots go to pytest's tmp_path.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import pgettext
from playwright.sync_api import Page, expect

from danhgia.annual.models import AnnualSheet
from danhgia.core import clock
from danhgia.core.periods import period_label
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.schema import parse_rulebook
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import period_bounds
from danhgia.evaluations.shipped import LEVEL_NAMES, ensure_shipped_rulebooks
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.e2e.test_tasks import log_out, open_menu_link, vi
from tests.evaluations.test_quarter_round import (
    MANAGER_SCORES,
    QUARTER_TOTALS,
    add_chair,
    close_quarter_by_services,
    quarter_of,
    quarter_starts,
    quarter_task,
    self_evaluate,
)

GOOD = LEVEL_NAMES["good"]


def vi_context(context: str, message: str) -> str:
    with translation.override("vi"):
        return pgettext(context, message)


def points(value: Decimal) -> str:
    """A score as the Vietnamese pages print it (floatformat:2: "83,50")."""
    with translation.override("vi"):
        return number_format(value, 2)


def expect_message(page: Page, text: str) -> None:
    """The message the page shows after an action (a status in the messages list)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


class Shots:
    """Full-page screenshots, numbered in the order taken, in a temporary directory."""

    def __init__(self, page: Page, directory: Path) -> None:
        self.page, self.directory, self.count = page, directory, 0

    def __call__(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=self.directory / f"{self.count:02d}-{name}.png", full_page=True)


def open_quarter_as_hr(page: Page, today: datetime.date, label: str, shots: Shots) -> None:
    """HR chooses this month (whatever month of the quarter it is) and the kind "quý"."""
    log_in(page, "hr", PASSWORD)
    open_menu_link(page, "/danh-gia/ky/")
    form = page.locator("form", has=page.get_by_role("button", name=vi("Open the period")))
    form.get_by_label(vi("organisation"), exact=False).select_option(label="Sở Nội vụ")
    form.get_by_label(vi("month"), exact=False).fill(today.strftime("%Y-%m"))
    form.get_by_label(vi("kind"), exact=False).select_option(label=vi("quarter"))
    form.get_by_role("button", name=vi("Open the period")).click()
    expect_message(
        page,
        vi("Period %(period)s opened: %(count)d sheets.")
        % {"period": f"{label} · Sở Nội vụ", "count": 4},
    )
    row = page.get_by_role("row").filter(has_text="Sở Nội vụ").filter(has_text=label)
    expect(row).to_contain_text(vi("open: self-evaluation"))
    shots("hr-periods")
    log_out(page)


def fill_criteria(page: Page, names: list[str], scores: dict[str, int]) -> None:
    for name, value in zip(names, scores.values(), strict=True):
        page.get_by_label(name, exact=True).fill(str(value))


def self_evaluate_as_staff(page: Page, label: str, criteria: list[str], shots: Shots) -> None:
    log_in(page, "staff", PASSWORD)
    open_menu_link(page, "/danh-gia/")
    page.get_by_role("link", name=label).click()
    expect(page.get_by_role("definition").filter(has_text=label)).to_be_visible()
    shots("staff-sheet")
    page.get_by_role("link", name=vi("Evaluate yourself")).click()
    expect(page.get_by_role("link", name=f"Nguyễn Văn An · {label}")).to_be_visible()
    shots("staff-self-evaluation")
    fill_criteria(page, criteria, {"ethics": 9, "competence": 9, "innovation": 9})
    page.get_by_label(vi("proposed level"), exact=False).select_option(label=GOOD)
    page.locator("textarea[name=level_reason]").fill("Hoàn thành thêm việc đột xuất.")
    page.get_by_role("button", name=vi("Submit to my manager")).click()
    expect_message(page, vi("Submitted. Your manager will review your sheet."))
    log_out(page)


def review_as_manager(
    page: Page, label: str, criteria: list[str], scores: dict[str, int], shots: Shots
) -> None:
    log_in(page, "manager", PASSWORD)
    open_menu_link(page, "/danh-gia/")
    waiting = page.get_by_role("listitem").filter(has_text="Nguyễn Văn An")
    expect(waiting).to_contain_text(label)
    waiting.get_by_role("link", name="Nguyễn Văn An").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nguyễn Văn An")
    fill_criteria(page, criteria, scores)
    page.get_by_label(vi("comments of the manager"), exact=False).fill("Hoàn thành đúng hạn.")
    page.get_by_label(vi("proposed level"), exact=False).select_option(label=GOOD)
    shots("manager-review")
    page.get_by_role("button", name=vi("Save the review")).click()
    expect_message(page, vi("Review saved. The head decides the level."))
    log_out(page)


def decide_as_head(page: Page, label: str, world: World, shots: Shots) -> None:
    """Accept every proposal (An's: the band, proposed by the manager), then decide the two
    sheets the head reviews themself, one by one at the level the page proposes."""
    log_in(page, "head", PASSWORD)
    open_menu_link(page, "/danh-gia/quyet-dinh/")
    page.get_by_role("link", name=f"Sở Nội vụ · {label}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)
    # the unit's export gathers a month's sheets: not offered for a quarter
    expect(page.get_by_role("link", name=vi("Excel / PDF"))).to_have_count(0)
    page.get_by_role("button", name=vi("Accept all proposals")).click()
    with translation.override("vi"):
        accepted = translation.ngettext(
            "%(count)s proposal accepted", "%(count)s proposals accepted", 1
        ) % {"count": 1}
    expect(page.get_by_role("heading", name=accepted)).to_be_visible()
    staff = page.get_by_role("article").filter(has_text="Nguyễn Văn An")
    expect(staff).to_contain_text(GOOD)
    left = page.locator("#accepted").get_by_role("listitem")
    expect(left).to_have_count(2)  # the two sheets the head reviews themself
    for key in ("manager", "hr"):
        name = world.people[key].full_name
        sheet = page.get_by_role("article").filter(has_text=name)
        sheet.get_by_role("button", name=vi_context("verb: decide a level", "Decide")).click()
        expect(sheet.get_by_role("button")).to_have_count(0)
        expect(sheet).to_contain_text(vi("decided"))
        expect(left.filter(has_text=name)).to_have_count(0)  # off the card of those left
    expect(page.get_by_text(vi("Left for you to decide one by one:"))).to_be_hidden()
    shots("head-decision-page")
    log_out(page)


def close_quarter_as_hr(page: Page, label: str, shots: Shots) -> None:
    log_in(page, "hr", PASSWORD)
    open_menu_link(page, "/danh-gia/ky/")
    row = page.get_by_role("row").filter(has_text="Sở Nội vụ").filter(has_text=label)
    row.get_by_role("button", name=vi("Close")).click()
    expect_message(
        page,
        vi("%(period)s is now: %(state)s.")
        % {"period": f"{label} · Sở Nội vụ", "state": vi("closed")},
    )
    expect(row).to_contain_text(vi("closed"))
    shots("hr-periods-closed")


def open_year_as_hr(page: Page, year: int, shots: Shots) -> None:
    page.goto("/danh-gia-nam/")
    form = page.locator("form", has=page.get_by_role("button", name=vi("Open"), exact=True))
    form.get_by_label(vi("organisation"), exact=False).select_option(label="Sở Nội vụ")
    form.get_by_label(vi("year"), exact=False).fill(str(year))
    form.get_by_role("button", name=vi("Open"), exact=True).click()
    expect_message(page, f"Đã mở xếp loại năm {year} của Sở Nội vụ: 4 người.")
    shots("hr-annual")
    log_out(page)


def read_annual_sheet_as_staff(page: Page, year: int, labels: list[str], shots: Shots) -> None:
    log_in(page, "staff", PASSWORD)
    page.goto("/danh-gia-nam/cua-toi/")
    page.get_by_role("link", name=f"{year} · Sở Nội vụ").click()
    periods = page.get_by_role("table").filter(has_text=labels[0])
    rows = periods.get_by_role("row")
    expect(rows).to_have_count(5)  # the header and four quarters
    for index, (label, total) in enumerate(zip(labels, QUARTER_TOTALS, strict=True), 1):
        expect(rows.nth(index)).to_contain_text(label)
        expect(rows.nth(index)).to_contain_text(points(total))
        expect(rows.nth(index)).to_contain_text(GOOD)
        expect(rows.nth(index)).to_contain_text(vi("yes"))
    result = page.locator("section", has=page.get_by_role("heading", name=vi("3. Result")))
    expect(result).to_contain_text(points(Decimal("83.5")))
    expect(result).to_contain_text(GOOD)
    shots("staff-annual-sheet")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_quarter_in_the_browser_then_the_year_from_its_quarters(
    world: World, page: Page, tmp_path: Path
) -> None:
    ensure_shipped_rulebooks()
    add_chair(world)
    shots = Shots(page, tmp_path)
    today = clock.today()
    first = quarter_of(today)
    year = first.year
    starts = quarter_starts(year)
    index = starts.index(first)
    with translation.override("vi"):
        labels = [period_label(Period.Kind.QUARTER, start) for start in starts]
    label = labels[index]
    for number, start in enumerate(starts):
        if start != first:
            close_quarter_by_services(world, start, MANAGER_SCORES[number])
    quarter_task(world, first)

    open_quarter_as_hr(page, today, label, shots)
    period = Period.objects.get(organisation=world.dept, kind=Period.Kind.QUARTER, start=first)
    assert (period.start, period.end) == period_bounds(today, Period.Kind.QUARTER)
    criteria = [criterion.name for criterion in parse_rulebook(period.rulebook).criteria]
    self_evaluate_as_staff(page, label, criteria, shots)
    review_as_manager(page, label, criteria, MANAGER_SCORES[index], shots)
    self_evaluate(world, period, ("manager", "hr", "head"))
    decide_as_head(page, label, world, shots)
    head_sheet = Sheet.objects.get(period=period, person=world.people["head"])
    decide_sheet(head_sheet, by=world.users["chair"], level=head_sheet.band)
    close_quarter_as_hr(page, label, shots)
    open_year_as_hr(page, year, shots)
    read_annual_sheet_as_staff(page, year, labels, shots)

    staff_sheet = Sheet.objects.get(period=period, person=world.people["staff"])
    assert (staff_sheet.total, staff_sheet.decided_level) == (QUARTER_TOTALS[index], "good")
    annual = AnnualSheet.objects.get(annual_period__year=year, person=world.people["staff"])
    assert [item["period"] for item in annual.months] == list(
        Period.objects.filter(organisation=world.dept, kind=Period.Kind.QUARTER)
        .order_by("start")
        .values_list("pk", flat=True)
    )
    assert (annual.score, annual.proposed_level) == (Decimal("83.5"), "good")
    print(f"screenshots: {tmp_path}")  # noqa: T201 - to look at them after a run (-s)
