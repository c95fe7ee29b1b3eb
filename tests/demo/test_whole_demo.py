"""The whole demo province (`seed_demo`): built once for this module, then read by every test.

Seeding the demo runs months, quarters and a year through the services and takes minutes, so
the tests that check what it built share one seeding (`demo`, rolled back after the module),
once per run: `make test` gives the whole module to one worker (`--dist loadscope`). Each test
still runs in its own savepoint: what one test changes the next does not see.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import annual_sheet_config
from danhgia.core import clock
from danhgia.core.audit import verify_chain
from danhgia.core.models import AuditLog
from danhgia.evaluations.demo_appeals import seed_demo_appeals
from danhgia.evaluations.models import (
    Appeal,
    Discipline,
    Leave,
    Period,
    Sheet,
    SheetTaskLine,
    SheetVersion,
)
from danhgia.evaluations.rescore_report import rescore_report
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.services.common import config_of, general_of
from danhgia.reports.dashboards.integrity import check_state
from danhgia.reports.recognition.models import EmulationProposal, Initiative

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Seed the whole demo once; yields what `seed_demo` printed. Rolled back afterwards."""
    # Which hasher stores the shared demo password is a setting, not the behaviour under test.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _counts() -> tuple[int, ...]:
    return (
        Sheet.objects.count(),
        AnnualSheet.objects.count(),
        Period.objects.count(),
        AuditLog.objects.count(),
    )


# The months


def test_three_closed_months_and_one_open_and_seeding_again_changes_nothing(demo: str) -> None:
    assert "Đã tạo đánh giá mô phỏng của Sở Nội vụ" in demo
    # The monthly demo's four months are the last ones. The annual demo adds last year's
    # quarters, and in February and March the months of last year's last quarter that the
    # monthly demo does not hold (all closed).
    every_month = list(
        Period.objects.filter(organisation__code="SNV", kind=Period.Kind.MONTH).order_by("start")
    )
    periods, earlier = every_month[-4:], every_month[:-4]
    assert [period.state for period in periods] == [Period.State.CLOSED] * 3 + [Period.State.OPEN]
    assert {period.state for period in earlier} <= {Period.State.CLOSED}
    assert periods[3].start == clock.today().replace(day=1)
    for period in periods[:3]:
        statuses = set(period.sheets.values_list("status", flat=True))
        assert statuses == {Sheet.Status.DECIDED}
        assert period.sheets.count() > 30
    current = periods[3].sheets
    assert current.filter(status=Sheet.Status.SUBMITTED).exists()
    assert current.filter(status=Sheet.Status.REVIEWED).count() == 1
    assert current.filter(status=Sheet.Status.DRAFT).exists()
    deviations = Sheet.objects.filter(status=Sheet.Status.DECIDED).exclude(decided_level=F("band"))
    assert deviations.exclude(decision_reason="").exists()
    assert not deviations.filter(decision_reason="").exists()
    assert AuditLog.objects.filter(action="sheet.returned").exists()
    closed = AuditLog.objects.filter(action="period.closed")
    assert {str(period.pk) for period in periods[:3]} <= set(
        closed.values_list("object_id", flat=True)
    )
    checked, broken, _why = verify_chain()
    assert broken is None and checked > 0
    call_command("verify_audit_log", stdout=StringIO())

    counts = _counts()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "Đánh giá mô phỏng đã có sẵn: không thay đổi gì." in again.getvalue()
    assert _counts() == counts


def test_one_sheet_of_last_month_is_reopened_and_one_appeal_answered_once(demo: str) -> None:
    reopened = SheetVersion.objects.get(cause="reopened").sheet
    appealed = Appeal.objects.get().sheet
    assert (reopened.decided_level, reopened.version) == ("completed", 2)
    assert (appealed.decided_level, appealed.version) == ("good", 2)
    assert reopened.period.state == Period.State.CLOSED
    assert list(SheetVersion.objects.order_by("pk").values_list("cause", flat=True)) == [
        "reopened",
        "appeal",
    ]
    assert Appeal.objects.get().status == Appeal.Status.CHANGED
    count = AuditLog.objects.count()
    assert seed_demo_appeals(clock.today()).reopened is None
    assert AuditLog.objects.count() == count


def test_a_reprimand_vetoes_the_decided_months_from_its_date(demo: str) -> None:
    discipline = Discipline.objects.get()
    assert (discipline.form, discipline.channel) == ("reprimand", "administrative")
    # Last month's sick leave (the annual demo adds last year's leaves of its own).
    this_month = clock.today().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    recent = Leave.objects.filter(start__gte=last_month, start__lt=this_month)
    assert [leave.kind for leave in recent] == ["sick"]
    sheets = Sheet.objects.filter(
        person=discipline.person, status=Sheet.Status.DECIDED
    ).select_related("period")
    vetoed = [sheet for sheet in sheets if sheet.veto]
    assert vetoed, "the month of the discipline is decided with its veto"
    for sheet in vetoed:
        assert sheet.decided_level == "not_completed"
        assert sheet.period.end >= discipline.effective_from
        assert sheet.period.end.year == discipline.effective_from.year
    for sheet in sheets:
        if sheet.period.end < discipline.effective_from:
            assert sheet.veto == ""


def test_the_demo_scores_its_vien_chuc_under_the_vien_chuc_rulebook(demo: str) -> None:
    """Issue 14 item 5: viên chức of the public-service units under VC-2025 (from 2026, when
    it applies), công chức under their period's rulebook (Nghị định 335)."""
    sheets = Sheet.objects.filter(period__start__gte=datetime.date(2026, 1, 1)).select_related(
        "person", "rulebook", "period__rulebook"
    )
    employees = [sheet for sheet in sheets if sheet.person.staff_category == "vien_chuc"]
    civil = [sheet for sheet in sheets if sheet.person.staff_category == "cong_chuc"]
    if clock.today() >= datetime.date(2026, 2, 1):
        assert employees
        assert civil
    assert {sheet.rulebook.code for sheet in employees if sheet.rulebook} <= {"VC-2025"}
    assert all(sheet.rulebook is not None for sheet in employees)
    assert all(sheet.rulebook == sheet.period.rulebook for sheet in civil)
    assert all(sheet.period.rulebook.code != "VC-2025" for sheet in civil)


def test_every_demo_sheet_matches_its_history(demo: str) -> None:
    report = check_state()
    assert report.mismatches == [], [str(m) for m in report.mismatches[:5]]
    assert report.checked > 100


# The year


def test_last_year_is_classified_and_closed_and_seeding_again_changes_nothing(demo: str) -> None:
    year = clock.today().year - 1
    period = AnnualPeriod.objects.get(organisation__code="SNV", year=year)
    assert period.state == AnnualPeriod.State.CLOSED
    assert f"Đã tạo xếp loại năm {year} của Sở Nội vụ" in demo
    # Last year is evaluated by quarter, except the months the monthly demo already holds (in
    # January to March these are last year's last months): each month in exactly one period.
    periods = Period.objects.filter(organisation__code="SNV", start__year=year)
    months = sorted(month for p in periods for month in range(p.start.month, p.end.month + 1))
    assert months == list(range(1, 13))
    assert periods.filter(kind=Period.Kind.QUARTER).exists()
    assert set(periods.values_list("state", flat=True)) == {Period.State.CLOSED}
    sheets = period.sheets
    assert sheets.count() > 30
    assert not sheets.filter(status=AnnualSheet.Status.PENDING).exists()
    assert sheets.filter(days_absent__has_key="maternity", not_classified=False).exists()
    # A long absence caps the level only under a rulebook that caps long absences (Nghị định
    # 90, the viên chức's VC-2025), never under Nghị định 335: each sheet by its own rules.
    for capped in sheets.exclude(cap_level=""):
        assert 0 < annual_sheet_config(capped).annual.params.absent_cap_from_months <= 3
    assert set(sheets.values_list("decided_level", flat=True)) - {""} >= {"good", "excellent"}
    assert AuditLog.objects.filter(action="annual.closed").count() == 1
    checked, broken, _why = verify_chain()
    assert broken is None and checked > 0

    counts = _counts()
    again = StringIO()
    call_command("seed_demo_annual", stdout=again)
    assert "đã có sẵn" in again.getvalue()
    assert _counts() == counts


def test_initiatives_once_and_proposals_of_the_classified_year(demo: str) -> None:
    assert sorted(Initiative.objects.values_list("status", flat=True)) == [
        "proposed",
        "recognised",
    ]
    assert {i.unit.code[:3] for i in Initiative.objects.select_related("unit")} == {"SNV"}
    year = clock.today().year - 1
    proposals = EmulationProposal.objects.filter(year=year).select_related("title")
    assert sorted(p.title.code for p in proposals) == ["CSTDCS", "LDTT"]

    call_command("seed_demo_recognition", stdout=StringIO())
    assert Initiative.objects.count() == 2
    assert EmulationProposal.objects.count() == 2
    assert verify_chain()[1] is None


# Re-scoring the past: it does not depend on today's date (the demo does, and is rerun at the
# fixed dates), so the dated runs do not repeat it.


def _months() -> list[Period]:
    months = Period.objects.filter(organisation__code="SNV", kind=Period.Kind.MONTH)
    return list(months.select_related("rulebook").order_by("start"))


def _stored_rows() -> list[Any]:
    return [
        list(Sheet.objects.order_by("pk").values_list()),
        list(SheetTaskLine.objects.order_by("pk").values_list()),
    ]


def _report_table() -> str:
    out = StringIO()
    call_command("rescore_report", organisation="SNV", stdout=out)
    return out.getvalue()


@pytest.mark.undated
def test_rescoring_every_demo_month_changes_no_decided_sheet_and_writes_nothing(
    demo: str,
) -> None:
    months = _months()
    decided = Sheet.objects.filter(period__in=months, status=Sheet.Status.DECIDED)
    assert len(months) >= 4 and decided.count() > 90
    before = _stored_rows()

    with CaptureQueriesContext(connection) as queries:
        changes = rescore_report(months)

    writes = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert _stored_rows() == before
    table = _report_table()
    # A decided sheet's own figures are unchanged. Only a leader's d may differ, and only
    # because a person it counts was decided, after the leader, at another level than the one
    # counted then (the demo decides the vetoed and lowered sheets one by one, last).
    for change in changes:
        assert change.status == Sheet.Status.DECIDED
        assert change.reasons == ("d",)
        assert set(change.before) <= {"unit_result_pct", "task_points", "total", "band"}
        assert _counted_level_decided_later(change.sheet_id)
    print("\n" + ", ".join(f"{p.label}: {p.rulebook.code} v{p.rulebook.version}" for p in months))
    print(table)


def _counted_level_decided_later(leader_sheet_id: int) -> bool:
    leader = Sheet.objects.get(pk=leader_sheet_id)
    counted = {row["person_id"]: row["level"] for row in leader.unit_result_staff}
    later = Sheet.objects.filter(
        period=leader.period, person_id__in=counted, decided_at__gt=leader.decided_at
    )
    return any(
        counted[person] != level
        for person, level in later.values_list("person_id", "decided_level")
    )


@pytest.mark.undated
def test_a_sheet_stored_with_the_former_rounding_of_an_exact_half_cent_is_reported(
    demo: str,
) -> None:
    months = _months()
    sheet = (
        Sheet.objects.filter(period__in=months, status=Sheet.Status.DECIDED, is_leader=False)
        .select_related("period__rulebook")
        .order_by("period__start", "pk")
        .first()
    )
    assert sheet is not None
    config = config_of(sheet.period)
    share = config.task_scoring.parsed.task_share
    # One line of 4 converted units: done, 3 meeting quality, 3.35 on time: a, b, c = 100,
    # 75, 83.75 %, the mean 86.25 %, worth 86.25 × 70 % = 60.375 points exactly.
    lines = SheetTaskLine.objects.filter(sheet=sheet).order_by("pk")
    lines.exclude(pk=lines[0].pk).delete()
    lines.update(converted_assigned=4, converted_done=4, quality_credit=3, timeliness_credit="3.35")
    exact = Fraction(86_25, 100) * Fraction(share) / 100
    assert exact * 1000 % 10 == 5, "the shipped task share makes an exact x.xx5"
    former = Decimal(int(exact * 100)) / 100  # one cent short: the former, truncating rounding
    total = general_of(sheet) + former
    Sheet.objects.filter(pk=sheet.pk).update(
        quantity_pct=100,
        quality_pct=75,
        timeliness_pct="83.75",
        unit_result_pct=None,
        organising_pct=None,
        uniting_pct=None,
        task_points=former,
        total=total,
        band=band_for(config, total),
    )
    before = _stored_rows()

    changes = rescore_report(months)

    assert _stored_rows() == before
    reported = [change for change in changes if change.sheet_id == sheet.pk]
    assert [change.reasons for change in reported] == [("rounding",)]
    assert all(change.reasons == ("d",) for change in changes if change.sheet_id != sheet.pk)
    assert reported[0].before["task_points"] == former
    assert reported[0].after["task_points"] == former + Decimal("0.01")
    table = _report_table()
    assert "làm tròn" in table and str(sheet.pk) in table
    print("\n" + table)
