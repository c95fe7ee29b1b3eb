"""Pages: the initiative workflow through the forms (what was typed is kept on an error), the
proposal and reward pages, the person's record of results (discipline linked to the vetoes it
caused, initiatives on the month they were recognised), and constant query counts on lists."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danhgia.evaluations.models import Discipline, Period, Rulebook, Sheet
from danhgia.organisations.models import Person, Unit
from danhgia.reports.recognition.models import EmulationProposal, Initiative, RewardDecision
from danhgia.reports.recognition.services import build_proposal, record_reward
from tests.conftest import World
from tests.factories import PersonFactory
from tests.reports.recognition.conftest import YEAR, AnnualResult, Recognised, title

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Initiatives


def test_a_person_proposes_and_the_head_recognises(world: World, login: Any) -> None:
    client = login(world.users["staff"])
    response = client.post(
        reverse("recognition:initiative_create"),
        {"title": "Mẫu văn bản dùng chung", "description": "Thư viện mẫu văn bản."},
    )
    initiative = Initiative.objects.get()
    assert response.url == reverse("recognition:initiative_detail", args=[initiative.pk])
    assert initiative.person == world.people["staff"]

    client = login(world.users["head"])
    url = reverse("recognition:initiative_assess", args=[initiative.pk])
    response = client.post(
        url,
        {
            "outcome": "recognised",
            "council": "Hội đồng sáng kiến Sở Nội vụ",
            "assessed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "scope": "province",
            "effect": "Dùng ở 12 sở.",
            "decision_number": "30/QĐ-SNV",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.status, initiative.scope) == ("recognised", "province")
    page = client.get(reverse("recognition:initiative_detail", args=[initiative.pk]))
    assert "30/QĐ-SNV" in page.content.decode()


def test_a_recognition_without_effect_keeps_what_was_typed(world: World, login: Any) -> None:
    client = login(world.users["staff"])
    client.post(
        reverse("recognition:initiative_create"), {"title": "Sổ tay", "description": "Nội dung."}
    )
    initiative = Initiative.objects.get()
    client = login(world.users["hr"])
    response = client.post(
        reverse("recognition:initiative_assess", args=[initiative.pk]),
        {
            "outcome": "recognised",
            "council": "Hội đồng cơ sở XYZ",
            "assessed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "scope": "unit",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Hội đồng cơ sở XYZ" in html
    assert "Required for a recognised initiative." in html
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PROPOSED


def test_the_manager_proposes_by_employee_code(world: World, login: Any) -> None:
    client = login(world.users["manager"])
    response = client.post(
        reverse("recognition:initiative_create"),
        {"employee_code": "e-staff", "title": "Lịch họp điện tử", "description": "Nội dung."},
    )
    assert response.status_code == 302
    assert Initiative.objects.get().person == world.people["staff"]
    response = client.post(
        reverse("recognition:initiative_create"),
        {"employee_code": "E-staff_other", "title": "Khác", "description": "Nội dung."},
    )
    assert response.status_code == 422
    assert "Nobody with the code E-staff_other" in response.content.decode()


def test_initiative_list_constant_queries(world: World, login: Any, recognised: Recognised) -> None:
    client = login(world.users["hr"])
    url = reverse("recognition:initiative_list")
    recognised(world.people["staff"])
    one = queries(client, url)
    recognised(world.people["staff_other"])
    recognised(world.people["manager"])
    assert queries(client, url) == one
    assert one <= 8


def test_initiative_list_filters_by_status(
    world: World, login: Any, recognised: Recognised
) -> None:
    recognised(world.people["staff"])
    client = login(world.users["staff"])
    html = client.get(reverse("recognition:initiative_list") + "?status=proposed").content
    assert "Phần mềm theo dõi văn bản đến" not in html.decode()
    html = client.get(reverse("recognition:initiative_list") + "?status=recognised").content
    assert "Phần mềm theo dõi văn bản đến" in html.decode()


# Proposals and rewards


def test_hr_builds_a_proposal_and_records_the_reward(
    world: World, login: Any, annual_result: AnnualResult
) -> None:
    annual_result(world.people["staff"], "good")
    annual_result(world.people["manager"], "completed")
    client = login(world.users["hr"])
    response = client.post(
        reverse("recognition:proposal_list"),
        {"organisation": world.dept.pk, "year": YEAR, "title": title("LDTT").pk},
    )
    proposal = EmulationProposal.objects.get()
    assert response.url == reverse("recognition:proposal_detail", args=[proposal.pk])
    html = client.get(response.url).content.decode()
    assert "Annual level Hoàn thành nhiệm vụ is below Hoàn thành tốt nhiệm vụ." in html

    form = client.get(reverse("recognition:reward_create") + f"?proposal={proposal.pk}")
    assert form.context["form"].initial["employee_codes"] == "E-staff"
    response = client.post(
        reverse("recognition:reward_create"),
        {
            "organisation": world.dept.pk,
            "decision_number": "01/QĐ-SNV",
            "decided_on": "15/01/2026",
            "issuer": "Giám đốc Sở Nội vụ",
            "award": "Lao động tiên tiến",
            "title": title("LDTT").pk,
            "year": YEAR,
            "employee_codes": "E-staff",
        },
    )
    assert response.status_code == 302
    reward = RewardDecision.objects.get()
    assert [p.employee_code for p in reward.people.all()] == ["E-staff"]


def test_a_proposal_without_annual_results_says_what_to_do(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    response = client.post(
        reverse("recognition:proposal_list"),
        {"organisation": world.dept.pk, "year": YEAR, "title": title("LDTT").pk},
    )
    assert response.status_code == 422
    assert "open the annual classification first" in response.content.decode()


def test_a_reward_with_unknown_codes_keeps_what_was_typed(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    response = client.post(
        reverse("recognition:reward_create"),
        {
            "organisation": world.dept.pk,
            "decision_number": "02/QĐ-SNV",
            "decided_on": "15/01/2026",
            "issuer": "Giám đốc Sở Nội vụ",
            "award": "Giấy khen",
            "employee_codes": "E-staff, X-404",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "X-404" in html and "02/QĐ-SNV" in html
    assert RewardDecision.objects.count() == 0


def _people(world: World, count: int) -> list[Person]:
    return [
        PersonFactory(
            unit=world.division, employee_code=f"P-{index:02d}", full_name=f"Người {index}"
        )
        for index in range(count)
    ]


def test_proposal_pages_constant_queries(
    world: World, login: Any, annual_result: AnnualResult
) -> None:
    client = login(world.users["hr"])
    first, *others = _people(world, 3)
    annual_result(first, "good")
    proposal = build_proposal(world.province, YEAR, title("LDTT"), by=world.users["hr"])
    detail = reverse("recognition:proposal_detail", args=[proposal.pk])
    listing = reverse("recognition:proposal_list")
    one = (queries(client, detail), queries(client, listing))
    for person in others:
        annual_result(person, "completed")
    build_proposal(world.province, YEAR, title("LDTT"), by=world.users["hr"])
    build_proposal(world.province, YEAR, title("CSTDCS"), by=world.users["hr"])
    build_proposal(world.dept, YEAR, title("LDTT"), by=world.users["hr"])
    assert (queries(client, detail), queries(client, listing)) == one


def test_reward_list_constant_queries(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    url = reverse("recognition:reward_list")
    people = _people(world, 3)

    def reward(number: str) -> None:
        record_reward(
            world.dept,
            by=world.users["hr"],
            decision_number=number,
            decided_on=datetime.date(2026, 1, 5),
            issuer="Giám đốc",
            award="Giấy khen",
            people=people,
        )

    reward("1")
    one = queries(client, url)
    reward("2")
    reward("3")
    assert queries(client, url) == one
    assert "Người 2" in client.get(url).content.decode()


# A person's record of results


def _month(month: int) -> Period:
    first = datetime.date(YEAR, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    period, _ = Period.objects.get_or_create(
        organisation=Unit.objects.get(code="TINH"),
        kind=Period.Kind.MONTH,
        start=first,
        defaults={
            "end": last,
            "rulebook": Rulebook.objects.get(code="QNAM-2022", version=1),
            "state": Period.State.CLOSED,
            "self_evaluation_due": last,
            "review_due": last,
            "decision_due": last,
            "opened_at": timezone.now(),
        },
    )
    return period


def _decided(person: Person, month: int, *, veto: str = "") -> Sheet:
    return Sheet.objects.create(
        period=_month(month),
        person=person,
        unit=person.unit,
        total=Decimal("85"),
        band="good",
        status=Sheet.Status.DECIDED,
        decided_level="not_completed" if veto else "good",
        veto=veto,
    )


def test_the_record_links_a_discipline_to_the_vetoes_it_caused(
    world: World,
    login: Any,
    annual_result: AnnualResult,
    discipline: Callable[..., Discipline],
) -> None:
    staff = world.people["staff"]
    march = _decided(staff, 3, veto="discipline_reprimand_or_higher")
    _decided(staff, 2)
    reprimand = discipline(staff, datetime.date(YEAR, 3, 10))
    annual = annual_result(staff, "not_completed", veto="discipline_reprimand_or_higher")
    response = login(world.users["staff"]).get(
        reverse("recognition:person_record", args=[staff.pk])
    )
    [record] = response.context["disciplines"]
    assert record == reprimand
    assert record.vetoed_sheets == [march]
    assert record.vetoed_annual == [annual]
    html = response.content.decode()
    assert reverse("evaluations:sheet_detail", args=[march.pk]) in html
    assert f'{reverse("annual:sheet_detail", args=[annual.pk])}">2025</a>' in html


def test_a_discipline_outside_the_window_links_no_veto(
    world: World, login: Any, discipline: Callable[..., Discipline]
) -> None:
    staff = world.people["staff"]
    _decided(staff, 2, veto="degradation")
    _decided(staff, 3, veto="discipline_reprimand_or_higher")
    discipline(staff, datetime.date(YEAR, 4, 1))  # after March: vetoed neither month
    response = login(world.users["hr"]).get(reverse("recognition:person_record", args=[staff.pk]))
    [record] = response.context["disciplines"]
    assert record.vetoed_sheets == []
    assert "No decided result vetoed by it." in response.content.decode()


def test_the_record_shows_initiatives_on_their_month(
    world: World, login: Any, recognised: Recognised
) -> None:
    staff = world.people["staff"]
    june = _decided(staff, 6)
    _decided(staff, 5)
    initiative = recognised(staff, on=datetime.date(YEAR, 6, 10))
    response = login(world.users["manager"]).get(
        reverse("recognition:person_record", args=[staff.pk])
    )
    months = {sheet.pk: sheet.initiatives for sheet in response.context["sheets"]}
    assert months[june.pk] == [initiative]
    assert sorted(len(found) for found in months.values()) == [0, 1]


def test_person_record_constant_queries(
    world: World,
    login: Any,
    recognised: Recognised,
    annual_result: AnnualResult,
    discipline: Callable[..., Discipline],
) -> None:
    staff = world.people["staff"]
    client = login(world.users["hr"])
    url = reverse("recognition:person_record", args=[staff.pk])
    _decided(staff, 1)
    recognised(staff, on=datetime.date(YEAR, 1, 20))
    discipline(staff, datetime.date(YEAR, 1, 5))
    annual_result(staff, "good")
    build_proposal(world.province, YEAR, title("LDTT"), by=world.users["hr"])
    one = queries(client, url)
    for month in (2, 3):
        _decided(staff, month, veto="discipline_reprimand_or_higher")
        recognised(staff, on=datetime.date(YEAR, month, 20))
        discipline(staff, datetime.date(YEAR, month, 1))
    build_proposal(world.province, YEAR, title("CSTDCS"), by=world.users["hr"])
    assert queries(client, url) == one
    assert one <= 20
