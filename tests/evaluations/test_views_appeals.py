"""Pages of reopening and appeals: the sheet page's appeals part, the forms keep what was
typed when refused, files are downloads, the appeals list's query count."""

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danhgia.core import clock
from danhgia.evaluations.models import Appeal, Period, Sheet
from danhgia.evaluations.services.appeals import submit_appeal
from danhgia.evaluations.services.periods import close_period
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober
from tests.evaluations.test_appeals import GROUNDS, decided_staff_sheet, move_decision
from tests.evaluations.test_reopen import REASON, decide, decided_department
from tests.factories import PersonFactory, UserFactory
from tests.work.conftest import pdf_bytes

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def login(client, settings):  # type: ignore[no-untyped-def]
    """`login(user)`: the test client signed in as `user`, reading the pages in English."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def pdf(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.mark.django_db
def test_the_sheet_page_shows_the_appeal_deadline_and_button_to_the_person_only(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    url = reverse("evaluations:sheet_detail", args=[sheet.pk])
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    page = login(world.users["staff"]).get(url).content.decode()
    assert f"This decision may be appealed until {deadline}." in page
    assert reverse("evaluations:appeal_create", args=[sheet.pk]) in page
    assert reverse("evaluations:sheet_reopen", args=[sheet.pk]) not in page
    page = login(world.users["hr"]).get(url).content.decode()
    assert reverse("evaluations:appeal_create", args=[sheet.pk]) not in page
    assert reverse("evaluations:sheet_reopen", args=[sheet.pk]) in page

    move_decision(sheet, 11)
    page = login(world.users["staff"]).get(url).content.decode()
    assert "The time to appeal this decision ended on" in page
    assert reverse("evaluations:appeal_create", args=[sheet.pk]) not in page


@pytest.mark.django_db
def test_a_refused_appeal_keeps_the_text_and_a_good_one_lands_on_the_sheet(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    client = login(world.users["staff"])
    url = reverse("evaluations:appeal_create", args=[sheet.pk])
    bad = SimpleUploadedFile("bang-diem.pdf", b"\x00\x01binary", content_type="application/pdf")
    response = client.post(url, {"text": GROUNDS, "attachments": [bad]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "bang-diem.pdf is not a PDF document: it is binary data of an unknown kind" in page
    assert GROUNDS in page
    assert not Appeal.objects.exists()

    response = client.post(url, {"text": GROUNDS, "attachments": [pdf()]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Your appeal was sent." in page
    assert GROUNDS in page
    assert "minh-chung.pdf" in page
    assert "Withdraw the appeal" in page

    download = client.get(reverse("evaluations:appeal_file", args=[appeal.files.get().pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf_bytes()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_head_answers_on_a_page_a_change_without_a_level_is_refused(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    client = login(world.users["head"])
    url = reverse("evaluations:appeal_answer", args=[appeal.pk])
    assert GROUNDS in client.get(url).content.decode()
    response = client.post(url, {"outcome": "changed", "new_level": "", "answer": "Đồng ý"})
    assert response.status_code == 200
    assert "Choose the new level." in response.content.decode()
    assert "Đồng ý" in response.content.decode()
    response = client.post(url, {"outcome": "changed", "new_level": "good", "answer": "Đồng ý"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.version) == ("good", 2)
    page = login(world.users["staff"]).get(response["Location"]).content.decode()
    assert "Earlier decisions" in page
    assert "changed on appeal" in page
    assert "Hoàn thành tốt nhiệm vụ" in page


@pytest.mark.django_db
def test_hr_reopens_a_closed_period_and_a_sheet_from_their_pages(
    world: World, open_october: OpenOctober, make_task: MakeTask, login: Any
) -> None:
    period = close_period(decided_department(world, open_october, make_task), by=world.users["hr"])
    client = login(world.users["hr"])
    assert (
        reverse("evaluations:period_reopen", args=[period.pk])
        in client.get(reverse("evaluations:period_list")).content.decode()
    )
    url = reverse("evaluations:period_reopen", args=[period.pk])
    yesterday = clock.today() - datetime.timedelta(days=1)
    response = client.post(url, {"reason": REASON, "decision_due": yesterday.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert "The new decision deadline must be on or after" in response.content.decode()
    assert REASON in response.content.decode()
    due = period.decision_due + datetime.timedelta(days=3)
    response = client.post(url, {"reason": REASON, "decision_due": due.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == Period.State.REVIEWING

    sheet = Sheet.objects.get(period=period, person=world.people["staff"])
    url = reverse("evaluations:sheet_reopen", args=[sheet.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == (Sheet.Status.REVIEWED, 2)
    page = client.get(response["Location"]).content.decode()
    assert REASON in page and "reopened" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_the_appeal_list_has_a_constant_query_count(
    world: World,
    open_october: OpenOctober,
    login: Any,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    keys = []
    for number in range(count):
        key = f"cv{number}"
        user = UserFactory(username=key)
        world.people[key] = PersonFactory(
            full_name=f"Chuyên Viên {number}", unit=world.division, user=user
        )
        world.users[key] = user
        keys.append(key)
    period = open_october()
    for key in keys:
        submit_appeal(decide(world, period, key), by=world.users[key], text=GROUNDS)
    client = login(world.users["head"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("evaluations:appeal_list")).content.decode()
    assert page.count("Chuyên Viên") == count
