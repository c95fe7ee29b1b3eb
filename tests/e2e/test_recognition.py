"""Initiatives in a real browser: Nguyễn Văn An (staff) proposes an initiative; the head of Sở
Nội vụ records the council's recognition; An reads it on his record of results. Pages at 375 px
and on a desktop land in var/screenshots/ (never committed), without horizontal scroll on a
phone."""

import datetime

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.core import clock
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.reports.recognition.models import Initiative
from danhgia.reports.recognition.services import build_proposal
from danhgia.reports.recognition.shipped import ensure_shipped_titles
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, PHONE, log_in
from tests.e2e.test_tasks import log_out
from tests.reports.recognition.conftest import title

pytestmark = pytest.mark.usefixtures("english_pages")

TITLE = "Thư viện mẫu văn bản hành chính dùng chung"


def screenshot(page: Page, name: str) -> None:
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.screenshot(path=folder / f"recognition-{name}-{label}.png", full_page=True)
        if label == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: horizontal scroll on a phone ({width}px)"


def _last_year(world: World) -> None:
    # A transactional test: earlier ones may have flushed what the data migrations shipped.
    ensure_shipped_rulebooks()
    ensure_shipped_titles()
    year = clock.today().year - 1
    period = AnnualPeriod.objects.create(
        organisation=world.province,
        year=year,
        rulebook=Rulebook.objects.get(code="QNAM-2022", version=1),
        state=AnnualPeriod.State.DECIDED,
        decision_due=datetime.date(year, 12, 15),
        opened_at=clock.now(),
    )
    for key, level in (("staff", "good"), ("manager", "completed"), ("head", "excellent")):
        person = world.people[key]
        AnnualSheet.objects.create(
            annual_period=period,
            person=person,
            unit=person.unit,
            status=AnnualSheet.Status.DECIDED,
            decided_level=level,
            months_worked=12,
        )
    build_proposal(world.province, year, title("LDTT"), by=world.users["hr"])


@pytest.mark.django_db(transaction=True)
def test_an_initiative_from_proposal_to_the_record(page: Page, world: World) -> None:
    _last_year(world)
    log_in(page, "staff", PASSWORD)
    page.goto("/sang-kien/de-xuat/")
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=description]").fill("Mẫu văn bản chuẩn cho các phòng.")
    screenshot(page, "propose")
    page.locator("main form button[type=submit]").click()
    initiative = Initiative.objects.get()
    expect(page).to_have_url(f"{page.url.split('/sang-kien/')[0]}/sang-kien/{initiative.pk}/")
    log_out(page)

    log_in(page, "head", PASSWORD)
    page.goto(f"/sang-kien/{initiative.pk}/tham-dinh/")
    page.locator("input[name=outcome][value=recognised]").check()
    page.locator("input[name=council]").fill("Hội đồng sáng kiến cơ sở Sở Nội vụ")
    page.locator("input[name=assessed_on]").fill(clock.today().isoformat())
    page.locator("select[name=scope]").select_option("unit")
    page.locator("textarea[name=effect]").fill("Giảm một nửa thời gian soạn thảo.")
    page.locator("input[name=decision_number]").fill("08/QĐ-HĐSK")
    screenshot(page, "assess")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("08/QĐ-HĐSK")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.RECOGNISED
    log_out(page)

    log_in(page, "staff", PASSWORD)
    page.goto(f"/ket-qua/nguoi/{world.people['staff'].pk}/")
    expect(page.locator("#initiatives")).to_contain_text(TITLE)
    expect(page.locator("#emulation")).to_contain_text("Lao động tiên tiến")
    screenshot(page, "record")
    log_out(page)

    log_in(page, "hr", PASSWORD)
    page.goto("/thi-dua/de-nghi/")
    screenshot(page, "proposals")
    page.locator("table.proposals a").first.click()
    expect(page.locator("main")).to_contain_text("Phạm Minh Châu")
    screenshot(page, "proposal")
    page.goto("/thi-dua/danh-hieu/")
    screenshot(page, "titles")
