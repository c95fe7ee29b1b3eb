"""A quarter is named "Quý IV/2026" (English "Q4 2026") on every surface: the evaluation
pages, the dashboards and supervision (page and Excel), the sheet's PDF, publication (internal
and public pages, embed, JSON, Atom), the API and notifications. It used to be shown as its
first month ("Quý 10/2026", "10/2026 quý", "Kết quả tháng 10/2026")."""

import datetime
import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from danhgia.api.serializers import ResultSerializer, SheetSerializer
from danhgia.core import clock
from danhgia.core.models import Notification
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.newcomers import add_missing_sheets
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.reminders.rules.common import period_label
from danhgia.reports.dashboards.summaries import ensure_fresh
from danhgia.reports.exports import documents
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory
from tests.reports.exports.conftest import pdf_text
from tests.reports.publication.conftest import DECIDED, decided_sheet, generous_rulebook

Q4 = datetime.date(2026, 10, 1)
LABEL = "Quý IV/2026"
# The quarter's first month as a month ("10/2026", "Quý 10/2026"); a full date such as
# 01/10/2026 is fine.
AS_A_MONTH = re.compile(r"(?<![\d/])10/2026|Quý 10")


def assert_named_as_quarter(text: str, where: str) -> None:
    assert LABEL in text, where
    found = AS_A_MONTH.search(text)
    assert found is None, (where, text[max(found.start() - 80, 0) : found.end() + 40])


@pytest.fixture
def quarter(world: World) -> Period:
    """Q4 2026 of Sở Nội vụ, decided and closed, published to the public."""
    ensure_shipped_rulebooks()
    end = datetime.date(2026, 12, 31)
    period = Period.objects.create(
        organisation=world.dept,
        kind=Period.Kind.QUARTER,
        start=Q4,
        end=end,
        rulebook=generous_rulebook(),  # DECIDED's one "excellent" is within its quota
        state=Period.State.CLOSED,
        self_evaluation_due=end,
        review_due=end,
        decision_due=end,
        opened_at=clock.now(),
    )
    for key, total, level in DECIDED:
        decided_sheet(period, world.people[key], total, level)
    period.sheets.update(decider=world.users["head"], decided_by=world.users["head"])
    publish_period(
        period,
        by=world.users["hr"],
        audience=Publication.Audience.PUBLIC,
        privacy=Privacy.NAMES_WITHOUT_SCORES,
    )
    return period


def test_the_label_itself(quarter: Period) -> None:
    assert quarter.label == LABEL
    assert str(quarter) == "Quý IV/2026 · Sở Nội vụ"
    assert period_label(quarter) == "Sở Nội vụ · Quý IV/2026"  # reminders
    with translation.override("en"):
        assert quarter.label == "Q4 2026"


def _page(client: Client, name: str, *args: Any, query: str = "") -> str:
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200, name
    return response.content.decode()


def test_evaluation_pages(world: World, quarter: Period, login: Any) -> None:
    sheet = quarter.sheets.get(person=world.people["staff"])
    staff = login(world.users["staff"])
    for name, args in [("evaluations:sheet_detail", [sheet.pk]), ("evaluations:my_sheets", [])]:
        assert_named_as_quarter(_page(staff, name, *args), name)
    hr = login(world.users["hr"])
    for name, args in [
        ("evaluations:period_list", []),
        ("evaluations:person_record", [world.people["staff"].pk]),
    ]:
        assert_named_as_quarter(_page(hr, name, *args), name)


def test_publication_pages(world: World, quarter: Period, login: Any) -> None:
    public = Client()
    code = world.dept.code
    for name, args in [
        ("publication:public_index", []),
        ("publication:public_unit", [code]),
        ("publication:public_month", [code, Q4]),
        ("publication:public_month_embed", [code, Q4]),
        ("publication:public_unit_atom", [code]),
    ]:
        assert_named_as_quarter(_page(public, name, *args), name)
    data = public.get(reverse("publication:public_month_json", args=[code, Q4])).json()
    assert data["period"]["label"] == LABEL
    hr = login(world.users["hr"])
    for name, args in [
        ("publication:internal_list", []),
        ("publication:internal_page", [quarter.pk]),
        ("publication:manage_list", []),
    ]:
        assert_named_as_quarter(_page(hr, name, *args), name)


def test_dashboards_and_supervision(world: World, quarter: Period, login: Any) -> None:
    ensure_fresh()  # the worker's run queued at the writes' commit
    head = login(world.users["head"])
    unit = _page(head, "dashboards:unit", world.dept.pk)
    assert f'<option value="2026-10" selected>{LABEL}</option>' in unit
    assert_named_as_quarter(_page(head, "dashboards:person", world.people["staff"].pk), "person")
    supervisor = login(world.users["supervisor"])
    assert_named_as_quarter(
        _page(supervisor, "dashboards:supervision", query="?thang=2026-10"), "supervision"
    )
    response = supervisor.get(reverse("dashboards:supervision_xlsx") + "?thang=2026-10")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    [sheet] = book.worksheets
    assert sheet.title == "Giám sát Quý IV-2026"  # no "/" in a sheet's title
    periods = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert periods == {LABEL}


def test_the_sheets_pdf(world: World, quarter: Period, tmp_path: Any) -> None:
    sheet = quarter.sheets.get(person=world.people["staff"])
    with translation.override("vi"):
        text = " ".join(pdf_text(documents.sheet_pdf(sheet), tmp_path).split())
    assert_named_as_quarter(text, "sheet PDF")


def test_the_api(world: World, quarter: Period) -> None:
    sheet = Sheet.objects.select_related("period").get(period=quarter, person=world.people["staff"])
    with translation.override("vi"):
        assert SheetSerializer(sheet).data["period_label"] == LABEL
        assert ResultSerializer(sheet).data["period_kind"] == "quarter"


def test_a_notification(world: World) -> None:
    ensure_shipped_rulebooks()
    period = open_period(
        world.dept,
        Q4,
        kind="quarter",
        by=world.users["hr"],
        deadlines={
            "self_evaluation_due": datetime.date(2027, 1, 10),
            "review_due": datetime.date(2027, 1, 15),
            "decision_due": datetime.date(2027, 1, 20),
        },
    )
    newcomer = PersonFactory(unit=world.division, user=UserFactory(username="moi"))
    with translation.override("vi"):
        add_missing_sheets(period, by=None)
    [notification] = Notification.objects.filter(recipient=newcomer.user)
    assert_named_as_quarter(notification.message, "notification")
