"""State checked against its history (issue 15): `verify_state` replays the audit log of
decisions, reopenings, appeals, periods and publications and names every object whose current
value was changed outside the application."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from danhgia.core.models import Notification
from danhgia.evaluations.services.appeals import answer_appeal, submit_appeal
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import close_period
from danhgia.evaluations.services.reopen import reopen_sheet
from danhgia.organisations.models import Role, UnitRole
from danhgia.reports.dashboards.integrity import check_state
from danhgia.reports.dashboards.models import IntegrityCheck
from danhgia.reports.publication.services import publish_period
from tests.conftest import SINCE, World
from tests.evaluations.conftest import MakeTask, OpenOctober
from tests.evaluations.test_reopen import REASON, decided_department
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("english")


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fails_naming(*texts: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="State differs from the audit log"):
        call_command("verify_state", stdout=StringIO(), stderr=err)
    output = err.getvalue()
    for text in texts:
        assert text in output, output
    return output


def passes() -> None:
    out = StringIO()
    call_command("verify_state", stdout=out)
    assert "State matches the audit log" in out.getvalue()


@pytest.mark.django_db
def test_a_raw_sql_change_of_a_decided_level_is_named_with_the_sheet_person_and_levels(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    passes()
    sheet = period.sheets.get(person=world.people["staff"])
    assert sheet.decided_level == "good"

    raw("UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", sheet.pk)

    output = fails_naming(
        f" {sheet.pk} ({world.people['staff'].full_name}",
        "decided_level is «excellent (Hoàn thành xuất sắc",
        "says «good (Hoàn thành tốt",
    )
    assert output.count("decided_level") == 1
    run = IntegrityCheck.objects.get(ok=False)
    assert run.mismatches == 1 and str(sheet.pk) in run.details


@pytest.mark.django_db
def test_vietnamese_names_the_levels(
    world: World, open_october: OpenOctober, make_task: MakeTask, settings: object
) -> None:
    from django.utils import translation

    period = decided_department(world, open_october, make_task)
    sheet = period.sheets.get(person=world.people["staff"])
    raw("UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", sheet.pk)
    with translation.override("vi"):
        (mismatch,) = check_state().mismatches
        text = str(mismatch)
    assert "xuất sắc" in text.lower() and "tốt" in text.lower(), text


@pytest.mark.django_db
def test_raw_changes_of_a_total_a_period_state_and_an_unpublication_are_named(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    period = close_period(period, by=world.users["hr"])
    publication = publish_period(
        period, by=world.users["hr"], audience="public", privacy="names_scores"
    )
    passes()
    sheet = period.sheets.get(person=world.people["manager"])

    raw("UPDATE evaluations_sheet SET total=99.5 WHERE id=%s", sheet.pk)
    raw("UPDATE evaluations_period SET state='open' WHERE id=%s", period.pk)
    raw(
        "UPDATE reports_publication_publication SET unpublished_at=published_at, "
        "unpublish_reason='x' WHERE id=%s",
        publication.pk,
    )

    fails_naming(
        f" {sheet.pk} ({world.people['manager'].full_name}",
        "total is «99.50»",
        f" {period.pk} (",
        "state is «open», the audit log",
        "says «closed»",
        f" {publication.pk} (",
        "unpublished_at is «",
    )
    assert IntegrityCheck.objects.get(ok=False).mismatches == 3


@pytest.mark.django_db
def test_a_reopened_and_redecided_sheet_and_an_appeal_that_changed_the_level_verify_clean(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    sheet = period.sheets.get(person=world.people["staff"])
    sheet = reopen_sheet(sheet, by=world.users["hr"], reason=REASON)
    assert sheet.decider is not None
    sheet = decide_sheet(sheet, by=sheet.decider, level="completed", reason="Chậm tiến độ")
    appeal = submit_appeal(sheet, by=world.users["staff"], text="Tôi đã hoàn thành đúng hạn.")
    answer_appeal(
        appeal, by=world.users["head"], outcome="changed", new_level="good", answer="Đồng ý."
    )
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.version) == ("good", 3)

    passes()
    report = check_state()
    assert report.checked > 0 and report.mismatches == []


@pytest.mark.django_db
def test_a_failing_check_notifies_the_system_administrators_once_per_run(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    admin = UserFactory(username="sysadmin")
    UnitRole.objects.create(
        user=admin, unit=world.province, role=Role.SYSTEM_ADMIN, valid_from=SINCE
    )
    period = decided_department(world, open_october, make_task)
    passes()
    assert not Notification.objects.filter(kind="integrity.failed").exists()

    sheet = period.sheets.get(person=world.people["staff"])
    raw("UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", sheet.pk)
    fails_naming()

    admins = set(UnitRole.objects.filter(role=Role.SYSTEM_ADMIN).values_list("user_id", flat=True))
    notices = Notification.objects.filter(kind="integrity.failed")
    assert admin.pk in admins and len(admins) > 1
    assert sorted(n.recipient_id for n in notices) == sorted(admins)
    assert {n.url for n in notices} == {reverse("dashboards:integrity")}


@pytest.mark.django_db
def test_hr_and_supervisors_read_the_checks_staff_may_not(
    world: World, open_october: OpenOctober, make_task: MakeTask, client: object
) -> None:
    from django.test import Client

    period = decided_department(world, open_october, make_task)
    sheet = period.sheets.get(person=world.people["staff"])
    raw("UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", sheet.pk)
    fails_naming()

    browser = Client()
    browser.force_login(world.users["hr"])
    page = browser.get(reverse("dashboards:integrity"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-ok="0"' in html and f" {sheet.pk} (" in html

    browser.force_login(world.users["supervisor"])
    assert f" {sheet.pk} (" in browser.get(reverse("dashboards:integrity")).content.decode()
    supervision = browser.get(reverse("dashboards:supervision")).content.decode()
    assert f'href="{reverse("dashboards:integrity")}"' in supervision

    browser.force_login(world.users["staff"])
    assert browser.get(reverse("dashboards:integrity")).status_code == 403

    # An HR officer of one department reads the counts, not the names of the whole installation.
    UnitRole.objects.create(
        user=world.users["head_other"],
        unit=world.dept_other,
        role=Role.HR_OFFICER,
        valid_from=world.dept_other.valid_from,
    )
    browser.force_login(world.users["head_other"])
    html = browser.get(reverse("dashboards:integrity")).content.decode()
    assert 'data-ok="0"' in html and "integrity-details-hidden" in html
    assert f" {sheet.pk} (" not in html


@pytest.mark.django_db
def test_a_level_written_on_a_sheet_no_decision_was_audited_for_is_named(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    passes()
    sheet = period.sheets.get(person=world.people["staff"])
    assert sheet.decided_level == ""

    raw("UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", sheet.pk)

    fails_naming(
        f" {sheet.pk} ({world.people['staff'].full_name}",
        "decided_level is «excellent (Hoàn thành xuất sắc",
        "no audit row ever recorded it",
    )


@pytest.mark.django_db
def test_a_reopened_sheet_waiting_for_its_new_decision_verifies_clean_and_a_raw_level_is_named(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    sheet = period.sheets.get(person=world.people["staff"])
    reopen_sheet(sheet, by=world.users["hr"], reason=REASON)
    passes()

    raw("UPDATE evaluations_sheet SET decided_level='good' WHERE id=%s", sheet.pk)
    fails_naming(f" {sheet.pk} (", "decided_level is «good (Hoàn thành tốt", "says —")


@pytest.mark.django_db
def test_an_older_reopening_row_without_the_cleared_level_makes_it_not_checkable(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    from danhgia.core.audit import log_action

    period = decided_department(world, open_october, make_task)
    sheet = period.sheets.get(person=world.people["staff"])
    before = check_state()
    # A reopening as it was logged before issue 15: status and version only.
    raw(
        "UPDATE evaluations_sheet SET decided_level='', status='reviewed' WHERE id=%s",
        sheet.pk,
    )
    log_action(sheet, "sheet.reopened", data={"after": {"status": "reviewed", "version": 2}})

    report = check_state()
    assert report.mismatches == []
    assert report.not_checkable == before.not_checkable + 1
