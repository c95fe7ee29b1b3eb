"""The API under the input policy: text cleaned and bounded, dates in their window, a working
owner, and every failure a problem (RFC 9457), never an HTML page."""

import datetime
import json
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework.request import Request

from config.errors import server_error
from danhgia.api.problems import problem_exception_handler
from danhgia.core import clock
from danhgia.core.dates import DateKind, out_of_window_message
from danhgia.work.models import Task
from tests.api.conftest import Api, document
from tests.conftest import World

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _put(api: Api, body: Any, external_id: str = "VB-1") -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return api.client.put(
        reverse("api:document_task", args=[external_id]),
        raw.encode("utf-8", errors="surrogatepass"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}", "Accept-Language": "vi"},
    )


def _today(days: int = 0) -> str:
    return (clock.today() + datetime.timedelta(days=days)).isoformat()


def _doc(**changes: Any) -> dict[str, Any]:
    return document(document_date=_today(), deadline=_today(10), **changes)


def test_zero_width_and_control_characters_are_removed(api: Api) -> None:
    body = _doc(
        title="\ufeffTrả lời\u200b công văn\x07",
        description="Dòng một\u200d\r\nDòng hai\x1b",
        document_number="12\u200b/UBND\u202e",
        owner="E-staff\u200b",
    )
    assert _put(api, body).status_code == 201
    task = Task.objects.get()
    assert (task.title, task.description, task.document_number, task.owner.employee_code) == (
        "Trả lời công văn",
        "Dòng một\nDòng hai",
        "12/UBND",
        "E-staff",
    )


@pytest.mark.parametrize(
    ("name", "limit"), [("title", 300), ("description", 5000), ("document_number", 60)]
)
def test_text_over_its_limit_is_refused(api: Api, name: str, limit: int) -> None:
    response = _put(api, _doc(**{name: "x" * (limit + 1)}))
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["errors"] == {name: [f"Chỉ được viết tối đa {limit} ký tự."]}
    assert Task.objects.count() == 0


def test_a_3_mb_description_is_refused(api: Api) -> None:
    response = _put(api, _doc(description="mô tả " * 500_000))
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM), response.json()
    assert Task.objects.count() == 0


@pytest.mark.parametrize("day", ["9999-12-31", "1900-01-01", "0001-01-01", "2100-01-01"])
@pytest.mark.parametrize("name", ["document_date", "deadline"])
def test_far_dates_are_refused_naming_the_window(api: Api, name: str, day: str) -> None:
    response = _put(api, {**_doc(), name: day})
    with translation.override("vi"):
        message = out_of_window_message(DateKind.WORK)
    assert response.status_code == 400
    assert response.json()["errors"][name] == [message]
    assert Task.objects.count() == 0


def test_a_month_filter_outside_the_window_is_refused(api: Api) -> None:
    response = api.get(reverse("api:sheet_list"), "vi", month="9999-12")
    with translation.override("vi"):
        message = out_of_window_message(DateKind.PERIOD)
    assert (response.status_code, response.json()["errors"]) == (400, {"month": [message]})


def test_an_owner_not_working_today_is_refused(api: Api, world: World) -> None:
    staff = world.people["staff"]
    staff.active_from = clock.today() + datetime.timedelta(days=30)
    staff.save(update_fields=["active_from"])
    response = _put(api, _doc())
    assert response.status_code == 400
    assert response.json()["errors"] == {"owner": ["Người này hiện không công tác tại đơn vị."]}
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    "raw", ["[" * 100_000 + "]" * 100_000, "{", '{"title": "\ud800"}', "\xff\xfe"]
)
def test_an_unreadable_body_is_a_400_problem(api: Api, raw: str) -> None:
    response = _put(api, raw)
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert Task.objects.count() == 0


def test_an_unexpected_error_in_a_view_is_a_500_problem() -> None:
    request = Request(RequestFactory().get("/api/v1/units/"))
    response = problem_exception_handler(RuntimeError("bug"), {"request": request})
    assert response is not None
    assert (response.status_code, response.content_type) == (500, PROBLEM)
    assert response.data["status"] == 500


def test_an_error_outside_the_api_views_is_a_problem_too() -> None:
    request = RequestFactory().get("/api/v1/units/")
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        response = server_error(request)
    assert (response.status_code, response["Content-Type"]) == (500, PROBLEM)
    assert json.loads(response.content)["status"] == 500
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        page = server_error(RequestFactory().get("/"))
    assert page["Content-Type"].startswith("text/html")
