"""Annual pages: HR's list, the head's decision page (query count, htmx row, accept all),
a person's result, the command."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import config_of
from danhgia.evaluations.rules.levels import lowest_level
from tests.annual.conftest import YEAR, Decided, OpenYear, sheet_of
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("english_pages")

FULL_YEAR = range(1, 13)


def test_hr_opens_a_year_from_the_list(world: World, login, qnam, english: None) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    url = reverse("annual:period_list")

    response = client.post(url, {"organisation": world.dept.pk, "year": YEAR}, follow=True)

    assert response.status_code == 200
    assert AnnualPeriod.objects.filter(organisation=world.dept, year=YEAR).exists()
    assert "Classification of year 2025 of Sở Nội vụ opened" in response.content.decode()
    again = client.post(url, {"organisation": world.dept.pk, "year": "abc"})
    assert again.status_code == 422
    assert 'value="abc"' in again.content.decode()


def test_every_message_names_the_year_then_the_organisation_in_vietnamese(
    world: World,
    decided: Decided,
    login,  # type: ignore[no-untyped-def]
) -> None:
    """HR's messages read "xếp loại năm 2025 của Sở Nội vụ", never "… năm Sở Nội vụ 2025"."""
    decided(world.people["staff"], FULL_YEAR, "80")
    client = login(world.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    listing = reverse("annual:period_list")
    name = "xếp loại năm 2025 của Sở Nội vụ"

    with translation.override("vi"):
        opened = client.post(listing, {"organisation": world.dept.pk, "year": YEAR}, follow=True)
        period = AnnualPeriod.objects.get(organisation=world.dept, year=YEAR)
        again = client.post(listing, {"organisation": world.dept.pk, "year": YEAR})
        recomputed = client.post(reverse("annual:period_recompute", args=[period.pk]), follow=True)
        for sheet in period.sheets.filter(status=AnnualSheet.Status.PENDING):
            AnnualSheet.objects.filter(pk=sheet.pk).update(
                status=AnnualSheet.Status.DECIDED, decided_level=sheet.proposed_level
            )
        closed = client.post(reverse("annual:period_close", args=[period.pk]), follow=True)
        twice = client.post(reverse("annual:period_close", args=[period.pk]), follow=True)

    pages = [opened, again, recomputed, closed, twice]
    texts = [page.content.decode() for page in pages]
    assert f"Đã mở {name}: " in texts[0]
    assert f"{name[0].upper()}{name[1:]} đã được mở." in texts[1]
    assert f"Đã tính lại {name}: 0 kết quả thay đổi." in texts[2]
    assert f"Đã đóng {name}." in texts[3]
    assert f"{name[0].upper()}{name[1:]} đã đóng trước đó." in texts[4]
    assert not any("Sở Nội vụ 2025" in text for text in texts)


def _decision_page(client, period: AnnualPeriod, world: World):  # type: ignore[no-untyped-def]
    return client.get(reverse("annual:decision_page", args=[period.pk, world.dept.pk]))


@pytest.mark.parametrize("extra", [0, 2])
def test_the_decision_page_costs_the_same_queries_for_1_and_3_rows(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,  # type: ignore[no-untyped-def]
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    extra: int,
) -> None:
    for person in [world.people["staff"]] + [
        PersonFactory(unit=world.division) for _ in range(extra)
    ]:
        decided(person, FULL_YEAR, "80")
    period = open_year(world.dept)
    AnnualSheet.objects.filter(annual_period=period, score__isnull=True).delete()
    assert period.sheets.count() == 1 + extra
    client = login(world.users["head"])
    _decision_page(client, period, world)  # warm the session

    # Constant in the rows: the holder rule (the head's roles, the rows they may decide, one
    # query each) and the decisions the quota counts, read once for the offer of the exception
    # and the meter; and the page's ETag (`rounds/etag.py`: its sheets, the quota's sheets,
    # the decider's roles)
    with django_assert_num_queries(15):
        response = _decision_page(client, period, world)

    assert response.status_code == 200
    assert response.content.decode().count('class="decision card annual') == 1 + extra


def test_the_head_decides_a_row_with_htmx_and_the_meter_follows(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    staff = world.people["staff"]
    decided(staff, FULL_YEAR, "80")
    period = open_year(world.dept)
    sheet = sheet_of(period, staff)
    client = login(world.users["head"])
    url = reverse("annual:decision_page", args=[period.pk, world.dept.pk])
    data = {"action": "decide", "sheet": sheet.pk, f"a{sheet.pk}-level": "completed"}

    refused = client.post(url, {**data, f"a{sheet.pk}-reason": ""}, HTTP_HX_REQUEST="true")

    body = refused.content.decode()
    assert "Give the reason for the difference" in body
    assert re.search(r'<option value="completed" selected>', body)
    assert sheet_of(period, staff).status == AnnualSheet.Status.PENDING

    done = client.post(url, {**data, f"a{sheet.pk}-reason": "Sai sót"}, HTTP_HX_REQUEST="true")

    body = done.content.decode()
    assert f'id="annual-{sheet.pk}"' in body and 'hx-swap-oob="true"' in body
    assert sheet_of(period, staff).decided_level == "completed"


def test_accept_all_decides_the_computed_levels(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    decided(world.people["manager"], FULL_YEAR, "60")
    period = open_year(world.dept)
    client = login(world.users["head"])

    response = client.post(
        reverse("annual:decision_page", args=[period.pk, world.dept.pk]), {"action": "accept_all"}
    )

    assert "2 computed levels accepted" in response.content.decode()
    assert sheet_of(period, world.people["manager"]).decided_level == "completed"


def test_a_row_decided_after_accept_all_leaves_the_card_of_those_left(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    """Accept all leaves a vetoed person to the head; deciding them by htmx takes their name
    off the card of those left (out of band)."""
    decided(world.people["staff"], FULL_YEAR, "80")
    decided(world.people["manager"], FULL_YEAR, "60")
    period = open_year(world.dept)
    vetoed = sheet_of(period, world.people["staff"])
    AnnualSheet.objects.filter(pk=vetoed.pk).update(veto="discipline", veto_reason="Khiển trách.")
    client = login(world.users["head"])
    url = reverse("annual:decision_page", args=[period.pk, world.dept.pk])

    page = client.post(url, {"action": "accept_all"}).content.decode()

    assert "1 computed level accepted" in page
    assert f'<li id="left-annual-{vetoed.pk}">' in page
    lowest = lowest_level(config_of(period))
    data = {"action": "decide", "sheet": vetoed.pk, f"a{vetoed.pk}-level": lowest}
    done = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()

    assert f'<li id="left-annual-{vetoed.pk}" hx-swap-oob="delete"></li>' in done
    assert sheet_of(period, world.people["staff"]).decided_level == lowest


def test_a_person_reads_their_result_with_the_reasons(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    staff = world.people["staff"]
    decided(staff, range(1, 4), "80", organisation=world.dept_other, unit=world.division_other)
    period = open_year()
    sheet = sheet_of(period, staff)
    client = login(world.users["staff"])

    listing = client.get(reverse("annual:my_results")).content.decode()
    page = client.get(reverse("annual:sheet_detail", args=[sheet.pk])).content.decode()

    assert reverse("annual:sheet_detail", args=[sheet.pk]) in listing
    assert "Phòng Ngân sách" in page
    assert "No decided period result" not in page
    assert "Annual classification 2025" in page


def test_the_command_opens_once(world: World, qnam) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("open_annual", organisation="SNV", year=YEAR, stdout=out)
    call_command("open_annual", organisation="SNV", year=YEAR, stdout=out)

    assert "Opened the classification of year 2025 of Sở Nội vụ" in out.getvalue()
    assert "already open" in out.getvalue()
    assert AnnualPeriod.objects.filter(organisation=world.dept, year=YEAR).count() == 1
    with pytest.raises(CommandError):
        call_command("open_annual", organisation="NONE", year=YEAR, stdout=out)


def test_the_quota_exception_is_not_offered_where_it_cannot_apply(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,  # type: ignore[no-untyped-def]
) -> None:
    """Nobody "good" yet: the exception share of none is none, so no row offers it (the
    monthly page's rule, tests/evaluations/test_views_decisions.py)."""
    staff = world.people["staff"]
    decided(staff, FULL_YEAR, "95")
    period = open_year(world.dept)
    sheet = sheet_of(period, staff)
    html = _decision_page(login(world.users["head"]), period, world).content.decode()
    assert f'name="a{sheet.pk}-level"' in html
    assert f'name="a{sheet.pk}-use_exception"' not in html


def test_the_filters_of_the_annual_decision_page(
    world: World,
    decided: Decided,
    open_year: OpenYear,
    login,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    """The same filters as a month's page (one code path): waiting, decided, all."""
    decided(world.people["staff"], FULL_YEAR, "80")
    decided(world.people["manager"], FULL_YEAR, "60")
    period = open_year(world.dept)
    staff = sheet_of(period, world.people["staff"])
    manager = sheet_of(period, world.people["manager"])
    client = login(world.users["head"])
    url = reverse("annual:decision_page", args=[period.pk, world.dept.pk])
    data = {"action": "decide", "sheet": staff.pk, f"a{staff.pk}-level": staff.proposed_level}
    client.post(f"{url}?loc=cho", data, HTTP_HX_REQUEST="true")

    waiting = client.get(f"{url}?loc=cho").content.decode()
    done = client.get(f"{url}?loc=xong").content.decode()

    assert 'data-filter="waiting" aria-current="page"' in waiting
    assert f'id="annual-{manager.pk}"' in waiting and f'id="annual-{staff.pk}"' not in waiting
    assert f'id="annual-{staff.pk}"' in done and f'id="annual-{manager.pk}"' not in done
    assert "including 1 this filter hides" in done
