"""The head's decision page: rows, the quota meter, one decision by htmx, accept all."""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import SINCE, World
from tests.evaluations.conftest import FULL_SCORES, OCT, future_deadlines, sheet_of
from tests.evaluations.test_decisions import EXCELLENT, GOOD, _colleagues, _reviewed
from tests.factories import PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _submit(sheet: Sheet, level: str = "completed") -> Sheet:
    user = sheet.person.user
    sheet = save_self_evaluation(sheet, by=user, scores=FULL_SCORES, proposed_level=level)
    return submit_self_evaluation(sheet, by=user)


def _review(world: World, sheet: Sheet, level: str) -> Sheet:
    return submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level=level)


@pytest.fixture
def october(world: World, open_october: Any) -> Period:
    return open_october()


@pytest.fixture
def october_raising(world: World, open_october: Any, nd335_raising: Rulebook) -> Period:
    """October on rules that let the head raise a level above the band (reasons, the quota;
    Nghị định 335's ceiling is in test_band_ceiling.py)."""
    return open_october(rulebook=nd335_raising)


def _url(period: Period, unit: Any) -> str:
    return reverse("evaluations:decision_page", args=[period.pk, unit.pk])


def test_page_lists_the_unit_with_band_and_quota(world: World, october: Period) -> None:
    page = _client(world.users["head"]).get(_url(october, world.dept)).content.decode()
    assert "Nguyễn Văn An" in page
    assert "Phạm Minh Châu" in page
    assert "Lê Thị Bình" not in page  # another department
    assert "at most 20% of the 0 rated" in page
    assert 'id="quota"' in page
    assert "No “Hoàn thành xuất sắc nhiệm vụ” can be given yet" in page  # not "0 of 0 used"


def test_decide_one_by_htmx_needs_a_reason_away_from_the_band(
    world: World, october_raising: Period
) -> None:
    october = october_raising
    sheet = _review(world, _submit(sheet_of(october, world.people["staff"])), "good")
    assert sheet.band != "good"  # no task in October: the score is the general criteria only
    client = _client(world.users["head"])
    prefix = f"s{sheet.pk}"
    data = {
        "action": "decide",
        "sheet": sheet.pk,
        f"{prefix}-level": "good",
        f"{prefix}-reason": "",
    }
    response = client.post(_url(october, world.dept), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="decision card" id="sheet-{sheet.pk}"')
    assert "Give the reason for the difference." in html
    assert '<option value="good" selected>' in html  # the level chosen is kept
    assert 'hx-swap-oob="true"' in html
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.REVIEWED

    data[f"{prefix}-reason"] = "Hoàn thành đột xuất nhiệm vụ khó"
    html = client.post(_url(october, world.dept), data, HTTP_HX_REQUEST="true").content.decode()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.decided_level, sheet.decision_reason) == (
        Sheet.Status.DECIDED,
        "good",
        "Hoàn thành đột xuất nhiệm vụ khó",
    )
    assert "Hoàn thành tốt nhiệm vụ" in html
    assert "at most 20% of the 1 rated" in html  # the meter counts the new "good"
    assert "0 of 0 “Hoàn thành xuất sắc nhiệm vụ”" not in html


def test_a_refused_decision_keeps_what_was_typed(world: World, october_raising: Period) -> None:
    """Without htmx: the whole page again (422), the row's level and reason as typed."""
    october = october_raising
    sheet = _review(world, _submit(sheet_of(october, world.people["staff"])), "good")
    prefix = f"s{sheet.pk}"
    data = {
        "action": "decide",
        "sheet": sheet.pk,
        f"{prefix}-level": "excellent",
        f"{prefix}-reason": "Sáng kiến cấp tỉnh",
    }
    response = _client(world.users["head"]).post(_url(october, world.dept), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<option value="excellent" selected>' in html
    assert 'value="Sáng kiến cấp tỉnh"' in html
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.REVIEWED


def test_accept_all_decides_matching_proposals_and_lists_the_others(
    world: World, october: Period
) -> None:
    staff = sheet_of(october, world.people["staff"])
    staff = _review(world, _submit(staff), staff.band)
    hr = _submit(sheet_of(october, world.people["hr"]))
    hr = submit_review(hr, by=world.users["head"], scores=FULL_SCORES, proposed_level="good")
    response = _client(world.users["head"]).post(
        _url(october, world.dept), {"action": "accept_all"}
    )
    page = response.content.decode()
    staff.refresh_from_db()
    hr.refresh_from_db()
    assert (staff.status, hr.status) == (Sheet.Status.DECIDED, Sheet.Status.REVIEWED)
    assert "1 proposal accepted" in page
    assert "differs from the band" in page


def test_a_row_decided_after_accept_all_leaves_the_card_of_those_left(
    world: World, october_raising: Period
) -> None:
    """The card of those "accept all" left lists only the ones still waiting: deciding one of
    them by htmx takes its name off the card (out of band). On rules that let the head raise a
    level (the proposal here is above the band), so that a reason is what is missing."""
    october = october_raising
    staff = sheet_of(october, world.people["staff"])
    _review(world, _submit(staff), staff.band)
    hr = _submit(sheet_of(october, world.people["hr"]))
    hr = submit_review(hr, by=world.users["head"], scores=FULL_SCORES, proposed_level="good")
    client = _client(world.users["head"])
    page = client.post(_url(october, world.dept), {"action": "accept_all"}).content.decode()
    assert f'<li id="left-sheet-{hr.pk}">' in page
    assert f'id="left-sheet-{staff.pk}"' not in page  # accepted
    prefix = f"s{hr.pk}"
    data = {"action": "decide", "sheet": hr.pk, f"{prefix}-level": "good"}

    refused = client.post(_url(october, world.dept), data, HTTP_HX_REQUEST="true")

    assert 'hx-swap-oob="delete"' not in refused.content.decode()  # still waiting
    decided = client.post(
        _url(october, world.dept),
        {**data, f"{prefix}-reason": "Chậm tiến độ"},
        HTTP_HX_REQUEST="true",
    )

    assert f'<li id="left-sheet-{hr.pk}" hx-swap-oob="delete"></li>' in decided.content.decode()
    hr.refresh_from_db()
    assert hr.status == Sheet.Status.DECIDED


def test_only_the_decider_posts(world: World, october: Period) -> None:
    sheet = _review(world, _submit(sheet_of(october, world.people["staff"])), "completed")
    data = {"action": "decide", "sheet": sheet.pk, f"s{sheet.pk}-level": "completed"}
    assert _client(world.users["hr"]).post(_url(october, world.dept), data).status_code == 403
    assert _client(world.users["manager"]).post(_url(october, world.dept), data).status_code == 404


def _unit_with(world: World, code: str, people: int) -> tuple[Any, Any]:
    """A department with a head and `people` staff who have submitted their sheets."""
    unit = UnitFactory(code=code, name=f"Sở {code}", parent=world.province)
    head = UserFactory(username=f"head-{code}")
    PersonFactory(unit=unit, user=head, title="Giám đốc")
    UnitRole.objects.create(user=head, unit=unit, role=Role.HEAD, valid_from=SINCE)
    for index in range(people):
        PersonFactory(unit=unit, user=UserFactory(username=f"{code}-{index}"))
    return unit, head


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_people(world: World, nd335: Any) -> None:
    counts = []
    for code, people in (("ONE", 1), ("THREE", 3)):
        unit, head = _unit_with(world, code, people)
        period = open_period(unit, OCT, by=world.users["hr"], deadlines=future_deadlines())
        for sheet in Sheet.objects.filter(period=period).exclude(person__user=head):
            _submit(sheet)
        counts.append(_count(_client(head), _url(period, unit)))
    assert counts[0] == counts[1] > 0


# The quota: the meter, a refusal and the exception read the same counts


def test_a_refusal_explains_how_the_round_could_end(world: World, october_raising: Period) -> None:
    """The meter counts decisions and proposals as they stand (no "excellent"); a refused
    "excellent" says that even with every open level "good" the unit would be over."""
    october = october_raising
    sheet = _review(world, _submit(sheet_of(october, world.people["staff"])), "good")
    prefix = f"s{sheet.pk}"
    data = {
        "action": "decide",
        "sheet": sheet.pk,
        f"{prefix}-level": "excellent",
        f"{prefix}-reason": "Sáng kiến cấp tỉnh",
    }
    response = _client(world.users["head"]).post(_url(october, world.dept), data)
    meter = response.context["meter"]
    [row] = [row for row in response.context["rows"] if row["sheet"].pk == sheet.pk]
    [error] = row["fields"]["errors"]["__all__"]
    assert (meter.status.used, meter.over) == (0, [])
    assert error.startswith("Over the quota: not allowed. Even if every level not yet decided")
    assert "1 given" in error  # the refused decision, counted in the best case
    assert sheet.person.full_name not in error  # not named as one to reopen: it is this row


def test_the_meter_follows_the_levels_as_they_are_typed(
    world: World, open_october: Any, make_task: Any
) -> None:
    """A GET of the page's meter with the levels chosen in the selects (htmx on change):
    nothing is written, the rows over the quota are named."""
    keys = _colleagues(world, make_task, 2)
    october = open_october()
    first = _reviewed(world, october, keys[0], EXCELLENT)
    second = _reviewed(world, october, keys[1], EXCELLENT)
    client = _client(world.users["head"])
    url = _url(october, world.dept)
    typed = {"preview": "1", f"s{first.pk}-level": "excellent", f"s{second.pk}-level": "excellent"}
    html = client.get(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section class="card quota" id="quota"')
    assert "Over the quota" in html and "Chuyên Viên 0" in html and "Chuyên Viên 1" in html
    typed[f"s{second.pk}-level"] = "good"
    html = client.get(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert "Chuyên Viên 1" not in html
    assert Sheet.objects.filter(period=october, status=Sheet.Status.DECIDED).count() == 0


def _checkbox(html: str, sheet: Sheet) -> bool:
    return f'id="s{sheet.pk}-use_exception"' in html


def test_the_quota_exception_is_offered_only_where_it_applies(
    world: World, open_october: Any, make_task: Any
) -> None:
    keys = _colleagues(world, make_task, 2)
    october = open_october()
    head = world.users["head"]
    client = _client(head)
    second, first = (_reviewed(world, october, key, EXCELLENT) for key in keys)
    decide_sheet(_reviewed(world, october, "staff", GOOD), by=head, level="good")
    # At best 4 "good" (staff, cv0, the manager, the HR officer): 20 % gives 0, the exception
    # share 25 % gives 1: offered on the undecided rows, whatever is decided already.
    html = client.get(_url(october, world.dept)).content.decode()
    assert _checkbox(html, first)
    assert not _checkbox(html, sheet_of(october, world.people["staff"]))  # decided
    decide_sheet(
        first, by=head, level="excellent", use_exception=True, reason="Thành tích xuất sắc"
    )
    # The exception is used up: another "excellent" is blocked, so nothing is offered.
    assert not _checkbox(client.get(_url(october, world.dept)).content.decode(), second)


def test_the_quota_exception_is_never_offered_when_the_rulebook_blocks(
    world: World, open_october: Any, make_task: Any, nd335: Rulebook
) -> None:
    Rulebook.objects.filter(pk=nd335.pk).update(quota={**nd335.quota, "enforcement": "block"})
    keys = _colleagues(world, make_task, 5)
    october = open_october()
    for key in ["staff", *keys[:3]]:
        decide_sheet(_reviewed(world, october, key, GOOD), by=world.users["head"], level="good")
    first = _reviewed(world, october, keys[4], EXCELLENT)
    html = _client(world.users["head"]).get(_url(october, world.dept)).content.decode()
    assert not _checkbox(html, first)


@pytest.mark.parametrize("kind", [Period.Kind.MONTH, Period.Kind.QUARTER])
def test_the_export_of_the_month_is_offered_only_for_a_month(
    world: World, nd335: Any, kind: str
) -> None:
    """The unit's export gathers the sheets of a month; a quarter has none there, so its page
    does not send the head to an empty "Tháng 7/2026"."""
    period = open_period(
        world.dept,
        OCT.replace(month=7),
        kind=kind,
        by=world.users["hr"],
        deadlines=future_deadlines(),
    )
    page = _client(world.users["head"]).get(_url(period, world.dept)).content.decode()
    assert period.label in page
    month_export = reverse("exports:month_export", args=[world.dept.pk, 2026, 7])
    assert (month_export in page) == (kind == Period.Kind.MONTH)


def test_the_quota_names_groups_by_their_job_position(world: World, open_october: Any) -> None:
    """A sheet keeps its job position's code; the meter says the name people know."""
    from tests.factories import JobPositionFactory

    legal = JobPositionFactory(code="PC", name="Chuyên viên pháp chế")
    staffing = JobPositionFactory(code="TCCB", name="Chuyên viên tổ chức cán bộ")
    for key, position in (("staff", legal), ("manager", staffing)):
        world.people[key].job_position = position
        world.people[key].save(update_fields=["job_position"])
    october = open_october()

    page = _client(world.users["head"]).get(_url(october, world.dept)).content.decode()

    assert "Group “Chuyên viên pháp chế”" in page
    assert "Group “Chuyên viên tổ chức cán bộ”" in page
    assert "“TCCB”" not in page and "“PC”" not in page


def test_two_job_positions_of_one_name_stay_two_groups(world: World) -> None:
    from danhgia.evaluations.rounds.kind import group_labels
    from tests.factories import JobPositionFactory

    JobPositionFactory(code="KT1", name="Kế toán")
    JobPositionFactory(code="KT2", name="Kế toán")
    JobPositionFactory(code="VT", name="Văn thư")

    assert group_labels({"KT1", "KT2", "VT", ""}) == {
        "KT1": "Kế toán (KT1)",
        "KT2": "Kế toán (KT2)",
        "VT": "Văn thư",
    }
