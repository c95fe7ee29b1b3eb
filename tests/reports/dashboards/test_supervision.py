"""Each supervision flag: a month that raises it and one that does not; thresholds from the
organisation's settings; the page shows flags with their evidence and links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet
from danhgia.reports.dashboards.models import SupervisionSettings
from danhgia.reports.dashboards.services import DashboardError, save_thresholds
from danhgia.reports.dashboards.supervision import UnitFlags, flags_for_month
from tests.conftest import World
from tests.reports.dashboards.conftest import DIVISION, EXCELLENT, Month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OCTOBER = datetime.date(2026, 10, 1)
REASON = "Đã cân nhắc kết quả cụ thể"


def _dept_flags(world: World) -> UnitFlags:
    entries = flags_for_month(world.users["supervisor"], OCTOBER)
    return next(entry for entry in entries if entry.unit == world.dept)


def _codes(world: World) -> list[str]:
    return [flag.code for flag in _dept_flags(world).flags]


def test_a_month_of_everyone_good_at_the_proposal_raises_the_leniency_flags(
    world: World, october: Month
) -> None:
    october.all_good()
    entry = _dept_flags(world)
    assert (entry.sheets, entry.decided) == (9, 6)  # the division, the manager, hr and head
    assert [flag.code for flag in entry.flags] == [
        "all_good",
        "no_differentiation",
        "agreement",
        "head_never_departs",
    ]
    assert entry.flags[0].summary == "All 6 decided sheets are “good” or better."
    assert entry.flags[1].summary == "All 6 decided sheets have the same level: good."
    assert entry.flags[3].summary == "Trần Thị Hạnh decided 6 sheets, each at the level proposed."


def test_so_tai_chinh_without_decisions_has_no_flag(world: World, october: Month) -> None:
    october.all_good()
    entries = flags_for_month(world.users["supervisor"], OCTOBER)
    other = next(entry for entry in entries if entry.unit == world.dept_other)
    assert (other.decided, other.flags) == (0, [])


# 1. everyone good or better


def test_all_good_is_not_raised_when_someone_is_below_good(world: World, october: Month) -> None:
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4", manager_level="completed")
    october.decide("cv4", "completed", reason=REASON)
    assert "all_good" not in _codes(world)


def test_all_good_is_not_raised_in_a_unit_smaller_than_the_threshold(
    world: World, october: Month
) -> None:
    save_thresholds(world.province, by=world.users["supervisor"], min_sheets=7)
    october.all_good()
    assert "all_good" not in _codes(world)
    assert "no_differentiation" not in _codes(world)


# 2. no differentiation


def test_no_differentiation_is_not_raised_with_two_levels(world: World, october: Month) -> None:
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4", EXCELLENT, "excellent", "excellent")
    october.decide("cv4", "excellent")
    codes = _codes(world)
    assert "no_differentiation" not in codes
    assert "all_good" in codes


# 3. self = manager = final


def test_agreement_is_not_raised_when_proposals_differ_on_more_than_5_percent(
    world: World, october: Month
) -> None:
    october.evaluate("staff", self_level="excellent")  # the person asked for more
    october.decide("staff")
    for key in DIVISION[1:]:
        october.evaluate(key)
        october.decide(key)
    assert "agreement" not in _codes(world)


def test_the_agreement_threshold_is_the_organisations(world: World, october: Month) -> None:
    october.evaluate("staff", self_level="excellent")
    october.decide("staff")
    for key in DIVISION[1:]:
        october.evaluate(key)
        october.decide(key)
    save_thresholds(world.dept, by=world.users["hr"], agreement_share=80)
    flag = next(flag for flag in _dept_flags(world).flags if flag.code == "agreement")
    assert flag.summary == (
        "The person's proposal, the manager's and the decision are the same on 5 of 6 "
        "sheets (83.3 %; threshold 80 %)."
    )
    assert [item.text for item in flag.evidence] == [
        "Nguyễn Văn An: self excellent, manager good, decided good"
    ]
    assert flag.evidence[0].url == reverse(
        "evaluations:sheet_detail", args=[october.sheet("staff").pk]
    )


# 4. a head who never departs from proposals


def test_a_head_who_departs_once_is_not_flagged(world: World, october: Month) -> None:
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4")
    october.decide("cv4", "completed", reason=REASON)
    assert "head_never_departs" not in _codes(world)


# 5. excellent below its band


def test_excellent_given_below_the_band_is_flagged_with_the_sheet(
    world: World, october_raising: Month
) -> None:
    """Where the rules let the head raise a level (not Nghị định 335 from version 3)."""
    october = october_raising
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4", manager_level="excellent")
    october.decide("cv4", "excellent", reason=REASON)
    flag = next(flag for flag in _dept_flags(world).flags if flag.code == "excellent_below_band")
    assert flag.summary == "1 sheets decided “excellent” with a score in a lower band."
    assert [item.text for item in flag.evidence] == [
        f"Chuyên Viên 4: score 85.00 (band good); reason: {REASON}"
    ]


def test_excellent_within_its_band_is_not_flagged(world: World, october: Month) -> None:
    for key in DIVISION[:-1]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv4", EXCELLENT, "excellent", "excellent")
    october.decide("cv4", "excellent")
    assert "excellent_below_band" not in _codes(world)
    assert "quota" not in _codes(world)  # 1 of 5 "good": 20 % allows 1


# 6. quota exceeded or exception used


def test_an_exception_to_the_quota_is_flagged(world: World, october: Month) -> None:
    # Arrange: the open sheets of cv4, the manager and the HR officer are another head's, so
    # the round of the head ends with these five: 4 "good" need the exception for 1 more.
    Sheet.objects.filter(
        period=october.period,
        person__in=[world.people[key] for key in ("cv4", "manager", "hr")],
    ).update(decider=world.users["head_other"])
    for key in DIVISION[:4]:
        october.evaluate(key)
        october.decide(key)
    october.evaluate("cv3", EXCELLENT, "excellent", "excellent")
    october.decide("cv3", "excellent", use_exception=True, reason="Đơn vị có thành tích xuất sắc")
    flag = next(flag for flag in _dept_flags(world).flags if flag.code == "quota")
    assert flag.summary == (
        "1 “excellent” for 4 “good”: the quota allows 0 (20 % of “good”, rounded down); "
        "1 exceptions used."
    )
    assert [item.text for item in flag.evidence] == [
        "Chuyên Viên 3: quota exception used; reason: Đơn vị có thành tích xuất sắc"
    ]


# 7. decisions in bulk in the last hour before the deadline


def _move_decisions(period: Period, before_deadline: datetime.timedelta) -> None:
    """Arrange: the decisions were made `before_deadline` before the end of the due day."""
    end = timezone.make_aware(
        datetime.datetime.combine(period.decision_due + datetime.timedelta(days=1), datetime.time())
    )
    Sheet.objects.filter(period=period, status=Sheet.Status.DECIDED).update(
        decided_at=end - before_deadline
    )


def test_decisions_in_the_last_hour_are_flagged(world: World, october: Month) -> None:
    october.all_good()
    _move_decisions(october.period, datetime.timedelta(minutes=20))
    flag = next(flag for flag in _dept_flags(world).flags if flag.code == "bulk_last_hour")
    assert flag.summary.startswith(
        "6 of 6 decisions made in the last 60 minutes before the deadline"
    )
    assert [item.text for item in flag.evidence] == ["Decided by: Trần Thị Hạnh"]


def test_decisions_two_hours_before_the_deadline_are_not_flagged(
    world: World, october: Month
) -> None:
    october.all_good()
    _move_decisions(october.period, datetime.timedelta(hours=2))
    assert "bulk_last_hour" not in _codes(world)
    save_thresholds(world.dept, by=world.users["hr"], bulk_window_minutes=180)
    assert "bulk_last_hour" in _codes(world)


# 8. evaluations late


def test_a_self_evaluation_submitted_after_its_deadline_is_flagged(
    world: World, october: Month
) -> None:
    october.all_good()
    period = october.period
    due_end = timezone.make_aware(
        datetime.datetime.combine(
            period.self_evaluation_due + datetime.timedelta(days=1), datetime.time(8)
        )
    )
    Sheet.objects.filter(pk=october.sheet("cv2").pk).update(self_submitted_at=due_end)
    flag = next(flag for flag in _dept_flags(world).flags if flag.code == "late")
    assert flag.summary.startswith("1 submitted after ")
    assert len(flag.evidence) == 1
    assert flag.evidence[0].text.startswith("Chuyên Viên 2: submitted on ")


def test_steps_on_time_are_not_flagged_late(world: World, october: Month) -> None:
    october.all_good()
    assert "late" not in _codes(world)


# Scope, thresholds and the page


def test_flags_are_limited_to_the_supervised_scope(world: World, october: Month) -> None:
    october.all_good()
    assert flags_for_month(world.users["head"], OCTOBER) == []  # a head supervises nothing


def test_thresholds_are_saved_with_an_audit_row_by_supervisors_only(
    world: World, october: Month
) -> None:
    settings = save_thresholds(world.dept, by=world.users["supervisor"], min_sheets=8)
    assert SupervisionSettings.objects.get(organisation=world.dept).min_sheets == 8
    row = AuditLog.objects.get(action="supervision.thresholds_changed")
    assert row.object_id == str(settings.pk)
    assert row.data == {"before": {}, "after": {**row.data["after"], "min_sheets": 8}}
    with pytest.raises(DashboardError):
        save_thresholds(world.dept, by=world.users["head"], min_sheets=3)


def test_the_page_lists_flagged_units_with_evidence_links(
    world: World, october: Month, login
) -> None:  # type: ignore[no-untyped-def]
    october.all_good()
    _move_decisions(october.period, datetime.timedelta(minutes=5))
    response = login(world.users["supervisor"]).get(
        reverse("dashboards:supervision"), {"thang": "2026-10"}
    )
    assert response.status_code == 200
    flagged = response.context["flagged"]
    assert [entry.unit for entry in flagged] == [world.dept]
    html = response.content.decode()
    assert 'data-flag="bulk_last_hour"' in html
    assert reverse("dashboards:unit", args=[world.dept.pk]) + "?thang=2026-10" in html


def test_the_thresholds_form_keeps_what_was_typed(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    url = reverse("dashboards:thresholds", args=[world.dept.pk])
    data = {
        "min_sheets": "1",
        "agreement_share": "90",
        "head_min_decisions": "5",
        "bulk_window_minutes": "60",
        "bulk_min_decisions": "5",
        "late_min_sheets": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["min_sheets"]
    assert 'value="90"' in response.content.decode()
    assert not SupervisionSettings.objects.exists()
    response = client.post(url, {**data, "min_sheets": "4"})
    assert response.status_code == 302
    assert SupervisionSettings.objects.get(organisation=world.dept).min_sheets == 4


# The monthly report


def test_the_report_pdf_holds_the_flags_in_vietnamese(
    world: World, october: Month, login, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from django.utils import translation

    october.all_good()
    client = login(world.users["supervisor"])
    with translation.override("vi"):
        response = client.get(reverse("dashboards:supervision_pdf"), {"thang": "2026-10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    source = tmp_path / "report.pdf"
    source.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TỈNH THỬ NGHIỆM" in text  # the agency, as every form's header prints it
    assert "1. Sở Nội vụ" in text
    assert "Trần Thị Hạnh" in text
    assert "Sở Tài chính" in text  # among the units without flags


def test_the_report_workbook_has_a_row_per_flag_and_evidence(
    world: World, october: Month, login
) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.conf import settings
    from openpyxl import load_workbook

    october.all_good()
    client = login(world.users["supervisor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the UI language the user picked
    response = client.get(reverse("dashboards:supervision_xlsx"), {"thang": "2026-10"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Unit", "Period", "Sheets", "Decided", "Flag", "Finding", "Evidence")
    dept = [row for row in rows[1:] if row[0] == "Sở Nội vụ"]
    assert [row[4] for row in dept if row[5]] == [
        "Everyone at “good” or better",
        "No differentiation at all",
        "Self = manager = final for almost every sheet",
        "A head who never departs from proposals",
    ]
    assert dept[0][2:4] == (9, 6)
    assert next((row[0], row[5]) for row in rows if row[0] == "Sở Tài chính") == (
        "Sở Tài chính",
        "no flag",
    )


def test_a_report_for_a_month_outside_the_scope_is_not_found(
    world: World, october: Month, login
) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["supervisor"]).get(
        reverse("dashboards:supervision_pdf"), {"thang": "2019-01"}
    )
    assert response.status_code == 404
