"""What makes the dashboards stale: the writes that change what they count bump the period's
data version (`evaluations.PeriodDataVersion`) in their transaction and queue one rebuild
for the worker at their commit; nothing else does, a page view writes nothing, and no module of
the dashboards but the integrity check (state against history, by design) reads the audit log.
"""

import ast
import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Leave, PeriodDataVersion
from danhgia.evaluations.services.periods import add_sheet, change_deadlines
from danhgia.evaluations.services.records import record_leave
from danhgia.evaluations.services.reopen import reopen_sheet
from danhgia.evaluations.services.transfers import transfer_person
from danhgia.organisations.services import save_person
from danhgia.reports.dashboards.models import PeriodSummary, UnitMonth
from danhgia.reports.dashboards.summaries import ensure_fresh, refresh_all, stale_periods
from tests.conftest import World
from tests.factories import PersonFactory
from tests.reports.dashboards.conftest import Month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OCTOBER = datetime.date(2026, 10, 1)
DASHBOARDS = Path(__file__).resolve().parents[3] / "danhgia" / "reports" / "dashboards"
# Modules that compare the state with the audit log by design (the nightly integrity check).
READS_HISTORY = {"integrity.py", "verify_state.py"}


def _version(month: Month) -> int:
    found = PeriodDataVersion.objects.filter(period=month.period).first()
    return found.version if found else 0


def _figures() -> dict[tuple[int, int], tuple[int, ...]]:
    return {
        (row.period_id, row.unit_id): (row.sheets, row.decided, row.good, row.tasks)
        for row in UnitMonth.objects.all()
    }


def test_a_decision_makes_the_period_stale(world: World, october: Month) -> None:
    october.evaluate("staff")
    assert ensure_fresh() == 1
    before = _version(october)

    october.decide("staff")

    assert _version(october) == before + 1
    assert stale_periods() == {october.period.pk: before + 1}
    assert ensure_fresh() == 1
    assert UnitMonth.objects.get(unit=world.division, month=OCTOBER).decided == 1
    assert PeriodSummary.objects.get(period=october.period).version == before + 1


def test_other_writes_leave_the_dashboards_as_they_are(world: World, october: Month) -> None:
    october.evaluate("cv0")  # self-evaluation and review: nothing counted changes
    assert ensure_fresh() == 1
    before = _version(october)
    hr = world.users["hr"]

    october.evaluate("staff")
    record_leave(
        world.people["cv1"],
        by=hr,
        kind=Leave.Kind.SICK,
        start=datetime.date(2026, 10, 5),
        end=datetime.date(2026, 10, 6),
    )
    change_deadlines(
        october.period,
        by=hr,
        deadlines={
            "self_evaluation_due": october.period.self_evaluation_due,
            "review_due": october.period.review_due,
            "decision_due": october.period.decision_due + datetime.timedelta(days=1),
        },
    )
    person = world.people["cv2"]
    person.title = "Chuyên viên chính"
    save_person(person, by=hr)
    transfer_person(world.people["cv3"], world.division_other, on=OCTOBER, by=hr)

    assert _version(october) == before
    assert stale_periods() == {}
    assert ensure_fresh() == 0


def test_each_write_that_changes_the_figures_is_seen(world: World, october: Month) -> None:
    """Reviewed (nothing counted), decided, reopened, a sheet added: after each, the rows
    rebuilt from the stale periods equal a full rebuild."""
    october.evaluate("staff")
    october.decide("staff")
    ensure_fresh()
    newcomer = PersonFactory(unit=world.division, active_from=datetime.date(2026, 10, 20))
    changes = [
        lambda: october.evaluate("cv0"),
        lambda: october.decide("cv0"),
        lambda: reopen_sheet(october.sheet("staff"), by=world.users["hr"], reason="Xem lại"),
        lambda: add_sheet(october.period, newcomer, by=world.users["hr"]),
    ]
    rebuilt = []
    for change in changes:
        change()
        rebuilt.append(ensure_fresh())
        incremental = _figures()
        refresh_all()
        assert _figures() == incremental
    assert rebuilt == [0, 1, 1, 1]


def test_a_page_view_writes_nothing_even_when_the_figures_are_stale(
    world: World, october: Month, login
) -> None:  # type: ignore[no-untyped-def]
    october.evaluate("staff")
    october.decide("staff")
    ensure_fresh()  # the worker's run queued at the writes' commit
    built = PeriodSummary.objects.get(period=october.period).built_at
    october.evaluate("cv0")
    october.decide("cv0")  # the figures are stale until the worker runs
    assert stale_periods()
    client = login(world.users["head"])
    url = reverse("dashboards:unit", args=[world.dept.pk])

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert PeriodSummary.objects.get(period=october.period).built_at == built


def test_no_dashboard_module_reads_the_audit_log() -> None:
    readers = []
    for path in sorted(DASHBOARDS.rglob("*.py")):
        if "migrations" in path.parts or path.name in READS_HISTORY:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
        if names & {"AuditLog", "auditlog", "core_auditlog"}:
            readers.append(path.name)
    assert readers == []
    assert {path.name for path in DASHBOARDS.rglob("*.py") if path.name in READS_HISTORY} == (
        READS_HISTORY
    )


def test_the_write_queues_the_rebuild_at_its_commit(
    world: World, october: Month, django_capture_on_commit_callbacks: Any
) -> None:
    """A decision bumps the data version and queues one rebuild (the worker's, run inline under
    pytest) when it commits: the summaries are fresh without any page view."""
    ensure_fresh()
    october.evaluate("staff")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        october.decide("staff")
        october.evaluate("cv0")
        october.decide("cv0")
    assert stale_periods() == {}
    assert (
        sum(getattr(callback, "_dashboards_refresh_queued", False) for callback in callbacks) == 1
    )
    decided = UnitMonth.objects.get(period=october.period, unit=world.division).decided
    assert decided == 2


def test_a_write_rolled_back_queues_nothing(
    world: World, october: Month, django_capture_on_commit_callbacks: Any
) -> None:
    ensure_fresh()
    october.evaluate("staff")
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                october.decide("staff")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not [c for c in callbacks if getattr(c, "_dashboards_refresh_queued", False)]
