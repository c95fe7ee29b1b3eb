"""Past periods never change: re-scoring every shipped demo month with the current code (each
month with its own rulebook version) changes no decided sheet and writes nothing; a sheet
stored with the former rounding of an exact x.xx5 is reported with the reason "rounding"."""

from decimal import Decimal
from fractions import Fraction
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danhgia.evaluations.models import Period, Sheet, SheetTaskLine
from danhgia.evaluations.rescore_report import reasons_for, refuse_writes, rescore_report
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.services.common import config_of, general_of

# Re-scoring a period with its own rulebook does not depend on today's date (the demo it runs
# on does, and the demo tests are rerun at the fixed dates): not rerun by the dated runs.
pytestmark = pytest.mark.undated

WRITES = ("INSERT", "UPDATE", "DELETE")


def _months() -> list[Period]:
    call_command("seed_demo", stdout=StringIO())
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


@pytest.mark.django_db
def test_rescoring_every_demo_month_changes_no_decided_sheet_and_writes_nothing() -> None:
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


@pytest.mark.django_db
def test_a_sheet_stored_with_the_former_rounding_of_an_exact_half_cent_is_reported() -> None:
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


@pytest.mark.parametrize(
    ("changed", "reasons"),
    [
        ({"quality_pct": Decimal(1)}, ("abc",)),
        ({"unit_result_pct": Decimal(50)}, ("d",)),
        ({"uniting_pct": Decimal(80), "organising_pct": Decimal(80)}, ("dd_e",)),
        ({"task_points": Decimal("60.38"), "total": Decimal("90.38")}, ("rounding",)),
        ({"total": Decimal(91)}, ("general",)),
        ({"band": "good"}, ("band",)),
        ({"timeliness_pct": Decimal(1), "unit_result_pct": Decimal(1)}, ("abc", "d")),
    ],
)
def test_each_figure_that_differs_gives_its_reason(
    changed: dict[str, Any], reasons: tuple[str, ...]
) -> None:
    before: dict[str, Any] = {
        "quantity_pct": Decimal(100),
        "quality_pct": Decimal(75),
        "timeliness_pct": Decimal("83.75"),
        "unit_result_pct": Decimal(100),
        "organising_pct": Decimal(100),
        "uniting_pct": Decimal(100),
        "task_points": Decimal("60.37"),
        "total": Decimal("90.37"),
        "band": "excellent",
    }
    assert reasons_for(before, {**before, **changed}) == reasons


@pytest.mark.django_db
def test_the_report_refuses_any_write() -> None:
    with refuse_writes(), pytest.raises(RuntimeError, match="must not write"):
        Period.objects.update(state=Period.State.CLOSED)
