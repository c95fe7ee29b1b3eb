"""Appeals: the window (one day late is refused), files, who answers, keeping or changing the
level as a new version, vetoes and the quota on a change, withdrawal, audit and notices."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import (
    Appeal,
    Discipline,
    EvaluationPolicy,
    Period,
    Rulebook,
    Sheet,
    SheetVersion,
)
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.appeals import (
    answer_appeal,
    appeal_deadline,
    submit_appeal,
    withdraw_appeal,
)
from danhgia.evaluations.services.periods import close_period
from danhgia.evaluations.services.rulebooks import clone_rulebook
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_
from tests.evaluations.test_reopen import add_chair, decide, decided_department
from tests.work.conftest import pdf_bytes

pytestmark = pytest.mark.usefixtures("english")

GROUNDS = "Tôi đã hoàn thành vượt mức kế hoạch, đề nghị xem xét lại mức xếp loại."
ANSWER = "Đã xem lại minh chứng: đồng ý nâng mức."


def pdf(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def decided_staff_sheet(world: World, open_october: OpenOctober, make_task: MakeTask) -> Sheet:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    return decide(world, period, "staff", level="completed", reason="Còn chậm tiến độ")


def move_decision(sheet: Sheet, days_ago: int) -> Sheet:
    """Pretend the decision was taken `days_ago` days ago."""
    decided_at = timezone.now() - datetime.timedelta(days=days_ago)
    Sheet.objects.filter(pk=sheet.pk).update(decided_at=decided_at)
    sheet.refresh_from_db()
    return sheet


@pytest.mark.django_db
def test_an_appeal_on_the_last_day_is_accepted_one_day_late_is_refused(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    EvaluationPolicy.objects.create(organisation=world.dept, appeal_days=5)
    sheet = move_decision(sheet, 6)
    deadline = timezone.localdate() - datetime.timedelta(days=1)
    assert appeal_deadline(sheet) == deadline

    with pytest.raises(EvaluationError) as refused:
        submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    message = str(refused.value)
    assert deadline.strftime("%d/%m/%Y") in message
    assert "5 days after the decision" in message
    assert "Đặng Thu Hà" in message  # the HR officer to contact
    assert not Appeal.objects.exists()
    assert not AuditLog.objects.filter(action="appeal.submitted").exists()

    sheet = move_decision(sheet, 5)  # the last day itself still counts
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    assert appeal.status == Appeal.Status.SUBMITTED


@pytest.mark.django_db
def test_the_person_appeals_with_files_the_head_is_named_and_notified(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    appeal = submit_appeal(
        sheet, by=world.users["staff"], text=f" {GROUNDS} ", files=[pdf(), pdf("bang-diem.pdf")]
    )
    assert (appeal.text, appeal.sheet_version, appeal.answerer) == (GROUNDS, 1, world.users["head"])
    assert appeal.answer_due == timezone.localdate() + datetime.timedelta(days=15)
    files = list(appeal.files.all())
    assert [item.original_name for item in files] == ["minh-chung.pdf", "bang-diem.pdf"]
    assert files[0].sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert files[0].file.name.startswith("appeals/") and files[0].file.name.endswith(".pdf")
    assert "minh-chung" not in files[0].file.name
    entry = AuditLog.objects.get(action="appeal.submitted")
    assert (entry.object_type, entry.object_id, entry.actor) == (
        "evaluations.sheet",
        str(sheet.pk),
        world.users["staff"],
    )
    assert entry.data["appeal"] == appeal.pk
    assert [item["name"] for item in entry.data["files"]] == ["minh-chung.pdf", "bang-diem.pdf"]
    notice = Notification.objects.get(kind="appeal.submitted")
    assert notice.recipient == world.users["head"]
    assert "Nguyễn Văn An" in notice.message

    with pytest.raises(EvaluationError, match="already appealed"):
        submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)


@pytest.mark.django_db
def test_only_the_person_appeals_a_decided_sheet_with_text_and_accepted_files(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    undecided = Sheet.objects.get(period=period, person=world.people["staff"])
    with pytest.raises(EvaluationError, match="Only the person"):
        submit_appeal(undecided, by=world.users["staff"], text=GROUNDS)
    sheet = decide(world, period, "staff")
    for key in ("manager", "head", "hr"):
        with pytest.raises(EvaluationError, match="Only the person"):
            submit_appeal(sheet, by=world.users[key], text=GROUNDS)
    with pytest.raises(EvaluationError, match="Write the grounds"):
        submit_appeal(sheet, by=world.users["staff"], text="  ")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    with pytest.raises(EvaluationError, match="virus.pdf is not a PDF document: it is a program"):
        submit_appeal(sheet, by=world.users["staff"], text=GROUNDS, files=[fake])
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_the_head_changes_the_level_a_new_version_with_the_appeal_attached(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS, files=[pdf()])

    with pytest.raises(EvaluationError, match="Only the person named"):
        answer_appeal(appeal, by=world.users["head_other"], outcome="changed", answer=ANSWER)
    with pytest.raises(EvaluationError, match="Write the answer"):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="good", answer=""
        )
    with pytest.raises(EvaluationError, match="already decided"):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="completed", answer=ANSWER
        )
    appeal = answer_appeal(
        appeal, by=world.users["head"], outcome="changed", new_level="good", answer=ANSWER
    )

    sheet.refresh_from_db()
    assert (sheet.status, sheet.decided_level, sheet.decision_reason, sheet.version) == (
        Sheet.Status.DECIDED,
        "good",
        ANSWER,
        2,
    )
    assert sheet.decided_by == world.users["head"]
    assert (appeal.status, appeal.new_level, appeal.answer, appeal.answered_by) == (
        Appeal.Status.CHANGED,
        "good",
        ANSWER,
        world.users["head"],
    )
    version = SheetVersion.objects.get(sheet=sheet)
    assert (version.number, version.cause, version.reason) == (1, "appeal", ANSWER)
    assert (version.data["decided_level"], version.data["appeal"]) == ("completed", appeal.pk)
    assert version.data["decision_reason"] == "Còn chậm tiến độ"
    entry = AuditLog.objects.get(action="appeal.answered")
    assert (entry.object_id, entry.data["outcome"], entry.data["appeal"]) == (
        str(sheet.pk),
        "changed",
        appeal.pk,
    )
    assert (entry.data["before"]["decided_level"], entry.data["after"]["decided_level"]) == (
        "completed",
        "good",
    )
    notice = Notification.objects.get(kind="appeal.answered")
    assert notice.recipient == world.users["staff"]
    assert "Hoàn thành tốt nhiệm vụ" in notice.message

    with pytest.raises(EvaluationError, match="can no longer be answered"):
        answer_appeal(appeal, by=world.users["head"], outcome="upheld", answer=ANSWER)
    with pytest.raises(EvaluationError, match="already appealed this decision"):
        submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)


@pytest.mark.django_db
def test_the_head_keeps_the_level_with_an_answer_and_the_sheet_does_not_change(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    appeal = answer_appeal(appeal, by=world.users["head"], outcome="upheld", answer="Giữ nguyên.")
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.version, appeal.status, appeal.new_level) == (
        "completed",
        1,
        Appeal.Status.UPHELD,
        "",
    )
    assert not SheetVersion.objects.exists()
    assert "is kept" in Notification.objects.get(kind="appeal.answered").message


@pytest.mark.django_db
def test_a_change_on_appeal_respects_vetoes_and_the_quota(
    world: World, open_october: OpenOctober, make_task: MakeTask, nd335_raising: Rulebook
) -> None:
    """On rules that let the head raise a level above the band (the band is "good"), so that
    the quota is what refuses "excellent"."""

    def october() -> Period:
        return open_october(rulebook=nd335_raising)

    sheet = decided_staff_sheet(world, october, make_task)
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    # Nobody else is "good" in the unit: 20 % of 0 allows no "excellent".
    with pytest.raises(EvaluationError, match="Over the quota"):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="excellent", answer=ANSWER
        )
    Discipline.objects.create(
        person=world.people["staff"],
        form=Discipline.Form.REPRIMAND,
        channel=Discipline.Channel.ADMINISTRATIVE,
        decision_number="12/QĐ-KL",
        decided_on=datetime.date(2026, 3, 1),
        effective_from=datetime.date(2026, 3, 2),
    )
    with pytest.raises(EvaluationError, match="whatever the score"):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="good", answer=ANSWER
        )
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.version) == ("completed", 1)
    assert Appeal.objects.get().status == Appeal.Status.SUBMITTED


@pytest.mark.django_db
def test_the_person_withdraws_and_may_appeal_again_within_the_window(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    with pytest.raises(EvaluationError, match="Only the person who appealed"):
        withdraw_appeal(appeal, by=world.users["head"])
    appeal = withdraw_appeal(appeal, by=world.users["staff"])
    assert appeal.status == Appeal.Status.WITHDRAWN
    entry = AuditLog.objects.get(action="appeal.withdrawn")
    assert entry.data["after"] == {"status": "withdrawn"}
    assert Notification.objects.get(kind="appeal.withdrawn").recipient == world.users["head"]
    with pytest.raises(EvaluationError, match="can no longer be withdrawn"):
        withdraw_appeal(appeal, by=world.users["staff"])
    again = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    assert again.status == Appeal.Status.SUBMITTED


@pytest.mark.django_db
def test_an_appeal_on_a_closed_month_is_answered_by_the_superior_when_the_rulebook_says_so(
    world: World, open_october: OpenOctober, make_task: MakeTask, nd335: Rulebook
) -> None:
    clone = clone_rulebook(nd335, by=world.users["hr"], organisation=world.province, name="Tỉnh")
    clone.deadlines = {**clone.deadlines, "appeal_answered_by": "superior"}
    clone.save(update_fields=["deadlines"])
    add_chair(world)
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october(world.dept, rulebook=clone)
    for key in ("staff", "manager", "hr", "head"):
        decide(world, period, key)
    period = close_period(period, by=world.users["hr"])
    assert period.state == Period.State.CLOSED
    sheet = Sheet.objects.get(period=period, person=world.people["staff"])

    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    assert appeal.answerer == world.users["chair"]
    with pytest.raises(EvaluationError, match="Only the person named"):
        answer_appeal(appeal, by=world.users["head"], outcome="upheld", answer=ANSWER)
    appeal = answer_appeal(
        appeal, by=world.users["chair"], outcome="changed", new_level="completed", answer=ANSWER
    )
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.version, sheet.decided_by) == (
        "completed",
        2,
        world.users["chair"],
    )


@pytest.mark.django_db
def test_nobody_to_answer_the_hr_officers_answer(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    head_sheet = Sheet.objects.get(period=period, person=world.people["head"])
    Rulebook.objects.filter(pk=period.rulebook_id)  # the shipped rulebook: the decider answers
    appeal = submit_appeal(head_sheet, by=world.users["head"], text=GROUNDS)
    assert appeal.answerer == world.users["chair"]
    appeal.answerer = None
    appeal.save(update_fields=["answerer"])
    with pytest.raises(EvaluationError, match="Only the person named"):
        answer_appeal(appeal, by=world.users["chair"], outcome="upheld", answer=ANSWER)
    appeal = answer_appeal(appeal, by=world.users["hr"], outcome="upheld", answer=ANSWER)
    assert appeal.status == Appeal.Status.UPHELD
