"""An appeal in a real browser: Nguyễn Văn An (staff) appeals his decided level with a text and
a PDF; the head answers, changing the level with a reason; An sees the new level and the
outcome on his sheet. The database and audit rows are checked; the pages at 375 px and on a
desktop land in var/screenshots/."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from danhgia.core import clock
from danhgia.core.audit import verify_chain
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Appeal, AppealFile, Sheet, SheetVersion
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.evaluations.shipped import LEVEL_NAMES, ensure_shipped_rulebooks
from tests.conftest import World
from tests.e2e.test_browse import PASSWORD, log_in
from tests.e2e.test_evaluation_month import make_tasks, open_month
from tests.e2e.test_tasks import PHONE, log_out, vi
from tests.work.conftest import pdf_bytes

GROUNDS = "Tôi đã hoàn thành đúng hạn cả hai hồ sơ thẩm định, đề nghị xem xét lại mức xếp loại."
ANSWER = "Đã đối chiếu minh chứng: đồng ý nâng lên mức Hoàn thành tốt nhiệm vụ."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def decided_sheet(world: World) -> Sheet:
    """The month of Sở Nội vụ with An's sheet decided one level below the band ("completed")."""
    make_tasks(world, clock.today().replace(day=1))
    period = open_month(world)
    sheet = Sheet.objects.get(period=period, person=world.people["staff"])
    scores = {"ethics": 8, "competence": 8, "innovation": 8}
    sheet = save_self_evaluation(
        sheet, by=world.users["staff"], scores=scores, proposed_level="good"
    )
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    sheet = submit_review(sheet, by=world.users["manager"], scores=scores, proposed_level="good")
    return decide_sheet(
        sheet, by=world.users["head"], level="completed", reason="Chưa chủ trì việc nào."
    )


def screenshot(page: Page, name: str) -> None:
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
        if label == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: horizontal scroll on a phone ({width}px)"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_appeal_from_submission_to_re_decision(world: World, page: Page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ensure_shipped_rulebooks()
    sheet = decided_sheet(world)
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(pdf_bytes())

    log_in(page, "staff", PASSWORD)
    page.goto(f"/danh-gia/phieu/{sheet.pk}/")
    expect(page.locator("#appeals")).to_be_visible()
    page.get_by_role("link", name=vi("Appeal this level")).click()
    page.locator("textarea[name=text]").fill(GROUNDS)
    page.locator("input[name=attachments]").set_input_files(str(evidence))
    screenshot(page, "appeal-create")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("ul.messages").first).to_contain_text(
        vi("Your appeal was sent. The answer will appear on this sheet.")
    )
    expect(page.locator("#appeals")).to_contain_text(GROUNDS)
    expect(page.locator("#appeals")).to_contain_text("minh-chung.pdf")
    log_out(page)

    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.answerer, appeal.sheet_version) == (
        "submitted",
        world.users["head"],
        1,
    )

    log_in(page, "head", PASSWORD)
    page.goto("/danh-gia/khieu-nai/")
    page.locator("main a", has_text="Nguyễn Văn An").click()
    expect(page.locator("main")).to_contain_text(GROUNDS)
    page.locator("input[name=outcome][value=changed]").check()
    page.locator("select[name=new_level]").select_option("good")
    page.locator("textarea[name=answer]").fill(ANSWER)
    screenshot(page, "appeal-answer")
    page.locator("main form.answer button[type=submit]").click()
    expect(page.locator("ul.messages").first).to_contain_text("Nguyễn Văn An")
    log_out(page)

    log_in(page, "staff", PASSWORD)
    page.goto(f"/danh-gia/phieu/{sheet.pk}/")
    expect(page.locator("main")).to_contain_text(LEVEL_NAMES["good"])
    answer = page.locator(f"#appeal-{appeal.pk}")
    expect(answer).to_contain_text(ANSWER)
    expect(answer).to_contain_text(LEVEL_NAMES["good"])
    expect(answer).to_contain_text(vi("level changed"))
    expect(page.locator("table.versions")).to_contain_text(LEVEL_NAMES["completed"])
    expect(page.get_by_role("link", name=vi("Appeal this level"))).to_have_count(0)
    screenshot(page, "appeal-sheet")

    sheet.refresh_from_db()
    appeal.refresh_from_db()
    assert (sheet.status, sheet.decided_level, sheet.decision_reason, sheet.version) == (
        Sheet.Status.DECIDED,
        "good",
        ANSWER,
        2,
    )
    assert (appeal.status, appeal.new_level, appeal.answer, appeal.answered_by) == (
        "changed",
        "good",
        ANSWER,
        world.users["head"],
    )
    stored = AppealFile.objects.get()
    assert (stored.appeal, stored.original_name, stored.size) == (
        appeal,
        "minh-chung.pdf",
        len(pdf_bytes()),
    )
    version = SheetVersion.objects.get()
    assert (version.sheet, version.number, version.cause, version.data["appeal"]) == (
        sheet,
        1,
        "appeal",
        appeal.pk,
    )
    assert version.data["decided_level"] == "completed"
    rows = AuditLog.objects.filter(
        object_type="evaluations.sheet", object_id=str(sheet.pk), action__startswith="appeal."
    )
    assert list(rows.order_by("id").values_list("action", "actor__username")) == [
        ("appeal.submitted", "staff"),
        ("appeal.answered", "head"),
    ]
    answered = rows.get(action="appeal.answered")
    assert (answered.data["before"]["decided_level"], answered.data["after"]["decided_level"]) == (
        "completed",
        "good",
    )
    checked, broken, why = verify_chain()
    assert (broken, why) == (None, "")
    assert checked == AuditLog.objects.count()
