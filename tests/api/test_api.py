"""The REST API: scope, tokens, idempotent tasks from documents, problem JSON, throttling."""

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from danhgia.api.models import ExternalTask, Integration
from danhgia.api.services import revoke_integration
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Sheet
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.work.models import Task
from tests.api.conftest import Api, document
from tests.conftest import World
from tests.matrix.evaluations import period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]

DOC_URL = "api:document_task"


def doc_url(external_id: str = "VB-2026-0001") -> str:
    return reverse(DOC_URL, args=[external_id])


# Scope


def test_lists_show_only_the_integration_subtree(api: Api, world: World) -> None:
    units = api.get(reverse("api:unit_list")).json()
    assert {unit["code"] for unit in units["results"]} == {"SNV", "SNV-CC"}
    people = api.get(reverse("api:person_list")).json()
    codes = {person["employee_code"] for person in people["results"]}
    assert "E-staff" in codes and "E-head" in codes
    assert "E-staff_other" not in codes and "E-supervisor" not in codes


def test_another_subtree_is_404(api: Api, world: World, make_api: Callable[..., Api]) -> None:
    other = make_api(unit=world.dept_other, name="eOffice STC")
    put = other.put(doc_url("STC-1"), document(owner="E-staff_other"))
    assert put.status_code == 201
    task_id = put.json()["id"]
    assert api.get(reverse("api:unit_detail", args=["STC"])).status_code == 404
    assert api.get(reverse("api:person_detail", args=["E-staff_other"])).status_code == 404
    assert api.get(reverse("api:task_detail", args=[task_id])).status_code == 404
    # The same external id belongs to each integration separately.
    assert api.get(doc_url("STC-1")).status_code == 404
    assert other.get(reverse("api:task_detail", args=[task_id])).status_code == 200
    response = api.get(reverse("api:unit_detail", args=["STC"]))
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_owner_outside_the_subtree_is_refused(api: Api) -> None:
    response = api.put(doc_url(), document(owner="E-staff_other"), language="en")
    assert response.status_code == 400
    assert "owner" in response.json()["errors"]
    assert not Task.objects.exists()


def test_sheets_and_published_results_in_scope(api: Api, world: World) -> None:
    october = period(world)
    assert api.get(reverse("api:result_list")).json()["results"] == []
    sheets = api.get(reverse("api:sheet_list"), month="2026-10").json()["results"]
    assert {sheet["person"] for sheet in sheets} >= {"E-staff", "E-manager"}
    assert "E-staff_other" not in {sheet["person"] for sheet in sheets}
    other_sheet = Sheet.objects.get(period=october, person=world.people["staff_other"])
    assert api.get(reverse("api:sheet_detail", args=[other_sheet.pk])).status_code == 404
    # Decided and published to the public: the decided level appears among the results
    # (tests/api/test_published_results.py: every other case).
    Sheet.objects.filter(period=october).update(
        status=Sheet.Status.DECIDED, decided_level="good", decided_at=timezone.now()
    )
    Publication.objects.create(
        period=october,
        audience=Publication.Audience.PUBLIC,
        privacy=Privacy.NAMES_AND_SCORES,
        published_at=timezone.now(),
    )
    results = api.get(reverse("api:result_list"), month="2026-10").json()["results"]
    by_person = {result["person"]: result for result in results}
    assert by_person["E-staff"]["decided_level"] == "good"
    assert "E-staff_other" not in by_person
    assert api.get(reverse("api:result_list"), month="2026-09").json()["results"] == []


# Tokens


def test_no_token_wrong_token_and_revoked_token_get_401(api: Api, world: World) -> None:
    url = reverse("api:unit_list")
    assert api.client.get(url).status_code == 401
    bad = api.client.get(url, headers={"Authorization": "Bearer dg_nope"})
    assert bad.status_code == 401
    assert bad["Content-Type"] == "application/problem+json"
    assert bad["WWW-Authenticate"].startswith("Bearer")
    assert api.get(url).status_code == 200
    revoke_integration(api.integration, by=world.users["admin"])
    revoked = api.get(url, language="en")
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["detail"]
    assert AuditLog.objects.filter(action="api.integration_revoked").count() == 1


def test_a_signed_in_person_without_token_gets_401(api: Api, world: World) -> None:
    api.client.force_login(world.users["admin"])
    assert api.client.get(reverse("api:unit_list")).status_code == 401


def test_token_is_stored_only_as_a_hash(api: Api) -> None:
    stored = Integration.objects.get(pk=api.integration.pk)
    assert api.token not in (stored.token_hash, stored.token_prefix)
    assert AuditLog.objects.filter(action="api.integration_created").count() == 1


def test_commands_create_and_revoke(world: World, client: Any) -> None:
    out = StringIO()
    call_command(
        "create_integration",
        "--unit",
        "SNV",
        "--name",
        "VNPT iOffice",
        "--by",
        "head",
        stdout=out,
        stderr=StringIO(),
    )
    token = out.getvalue().strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(reverse("api:unit_list"), headers=headers).status_code == 200
    call_command("revoke_integration", "--name", "VNPT iOffice", "--by", "admin", stdout=StringIO())
    assert client.get(reverse("api:unit_list"), headers=headers).status_code == 401


# Tasks from incoming documents


def test_same_document_twice_is_one_task(api: Api, world: World) -> None:
    first = api.put(doc_url(), document())
    assert first.status_code == 201
    second = api.put(doc_url(), document())
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    task = Task.objects.get()
    assert task.owner == world.people["staff"]
    assert task.source == Task.Source.DOCUMENT
    assert task.document_number == "123/UBND-NC"
    assert task.deadline == datetime.date(2026, 10, 20)
    assert task.assigned_by == world.users["head"]
    assert ExternalTask.objects.get().external_id == "VB-2026-0001"
    assert AuditLog.objects.filter(action="api.task_received").count() == 1
    assert AuditLog.objects.filter(action="task.assigned").count() == 1
    assert not AuditLog.objects.filter(action="api.task_updated").exists()
    assert api.get(doc_url()).json()["external_id"] == "VB-2026-0001"


def test_a_changed_document_updates_the_task(api: Api, world: World) -> None:
    api.put(doc_url(), document())
    response = api.put(
        doc_url(), document(deadline="2026-10-25", title="Trả lời công văn (bổ sung)")
    )
    assert response.status_code == 200
    task = Task.objects.get()
    assert task.deadline == datetime.date(2026, 10, 25) == task.due_date
    assert task.title == "Trả lời công văn (bổ sung)"
    entry = AuditLog.objects.get(action="api.task_updated")
    assert entry.data["before"]["due_date"] == "2026-10-20"
    # A new owner goes through reassignment (one owner at a time).
    response = api.put(
        doc_url(),
        document(deadline="2026-10-25", owner="E-manager", title="Trả lời công văn (bổ sung)"),
    )
    assert response.status_code == 200
    assert Task.objects.get().owner == world.people["manager"]
    assert AuditLog.objects.filter(action="task.reassigned").count() == 1


def test_a_closed_task_cannot_change(api: Api) -> None:
    api.put(doc_url(), document())
    Task.objects.update(status=Task.Status.CANCELLED, cancelled_reason="x")
    response = api.put(doc_url(), document(title="Khác"), language="en")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "new document" in response.json()["detail"]


# Problem JSON in both languages


def test_validation_errors_are_problem_json_in_english(api: Api) -> None:
    response = api.put(doc_url(), document(deadline="2026-10-01", title=""), language="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == 400
    assert body["title"] == "Invalid request"
    assert "correct them" in body["detail"]
    assert set(body["errors"]) >= {"title"}
    assert response["Content-Language"] == "en"


def test_validation_errors_are_problem_json_in_vietnamese(api: Api) -> None:
    english = api.put(doc_url(), document(deadline="2026-10-01"), language="en").json()
    default = api.put(doc_url(), document(deadline="2026-10-01")).json()
    vietnamese = api.put(doc_url(), document(deadline="2026-10-01"), language="vi").json()
    assert default == vietnamese
    assert vietnamese["status"] == 400 and vietnamese["errors"]["deadline"]
    assert vietnamese["title"] != english["title"]
    assert vietnamese["errors"]["deadline"] != english["errors"]["deadline"]


def test_bad_query_and_bad_id_are_problems(api: Api) -> None:
    response = api.get(reverse("api:sheet_list"), language="en", month="2026-13")
    assert response.status_code == 400
    assert "YYYY-MM" in str(response.json()["errors"]["month"])
    assert api.get(doc_url("bad id with spaces")).status_code == 400
    assert api.get(reverse("api:task_detail", args=[2**70])).status_code == 404
    huge = api.get(reverse("api:unit_list"), language="en", limit=10**9, offset=10**30)
    assert huge.status_code == 400
    assert set(huge.json()["errors"]) == {"limit", "offset"} or "limit" in huge.json()["errors"]
    unknown = api.get(reverse("api:task_list"), language="en", stauts="done")
    assert unknown.status_code == 400
    assert "stauts" in unknown.json()["errors"]
    assert api.get(reverse("api:unit_list"), limit=200, offset=10**9).status_code == 200


# Throttling


def test_each_integration_is_rate_limited(
    api: Api, world: World, make_api: Callable[..., Api], settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"integration": "3/minute"},
    }
    url = reverse("api:unit_list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get(url, language="en")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert "Retry-After" in limited
    other = make_api(unit=world.dept_other, name="eOffice STC")
    assert other.get(url).status_code == 200
