"""The demo: last year's annual classification of Sở Nội vụ, completed, built once (`seed_demo`
runs `seed_demo_annual` after the evaluations demo)."""

from io import StringIO

import pytest
from django.core.management import call_command

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.core import clock
from danhgia.core.audit import verify_chain
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period


@pytest.mark.django_db
def test_the_demo_has_a_closed_annual_classification_of_last_year() -> None:
    out = StringIO()

    call_command("seed_demo", stdout=out)

    year = clock.today().year - 1
    period = AnnualPeriod.objects.get(organisation__code="SNV", year=year)
    assert period.state == AnnualPeriod.State.CLOSED
    assert f"Đã tạo xếp loại năm {year} của Sở Nội vụ" in out.getvalue()
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
    assert sheets.exclude(cap_level="").exists()
    assert set(sheets.values_list("decided_level", flat=True)) - {""} >= {"good", "excellent"}
    assert AuditLog.objects.filter(action="annual.closed").count() == 1
    checked, broken, _why = verify_chain()
    assert broken is None and checked > 0

    counts = (AnnualSheet.objects.count(), AuditLog.objects.count())
    again = StringIO()
    call_command("seed_demo_annual", stdout=again)
    assert "đã có sẵn" in again.getvalue()
    assert (AnnualSheet.objects.count(), AuditLog.objects.count()) == counts
