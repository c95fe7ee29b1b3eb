"""Every error answers our own page: Vietnamese, `lang="vi"`, in the site's layout, with a way
back home (and the menu for a signed-in user). A lost database answers 503.

pytest-django runs with DEBUG off, as production does: Django's handlers are in play.
"""

from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import World

MENU = '<details class="menu">'
BRAND = "Đánh giá theo kết quả làm việc"  # the top bar's link home, from locale/vi


def _failing_home(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("config.views.active_roles", fail)


def assert_error_page(response: Any, status: int, title: str, *, menu: bool) -> str:
    """The page of `status`: ours, in Vietnamese and the layout; the menu when signed in."""
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="vi">' in page
    assert 'data-testid="error-page"' in page
    assert f"<h1>{title}</h1>" in page
    assert f'class="brand" href="{reverse("home")}"' in page
    assert BRAND in page
    assert 'data-testid="error-home"' in page
    assert 'data-testid="lang-en"' in page
    assert (MENU in page) is menu
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification"):
        assert english not in page
    return page


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_answers_503_in_vietnamese(
    world: World, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    _failing_home(monkeypatch, error)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff"])
    response = client.get(reverse("home"))
    # No menu: it reads the database, which is out of reach.
    page = assert_error_page(response, 503, "Hệ thống đang bận", menu=False)
    assert response.headers["Retry-After"] == "10"
    assert "không kết nối được cơ sở dữ liệu" in page
    assert "chưa được lưu" in page
    assert "127.0.0.1" not in page  # nothing of the error itself


def test_another_error_answers_500_without_details(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_home(monkeypatch, ValueError("secret detail"))
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff"])
    response = client.get(reverse("home"))
    page = assert_error_page(response, 500, "Đã có lỗi xảy ra", menu=False)
    assert "secret detail" not in page
    assert "Retry-After" not in response.headers


def test_a_bad_request_answers_400(world: World) -> None:
    response = Client().get(reverse("home"), HTTP_HOST="not-our-host.example")
    assert_error_page(response, 400, "Không hiểu được yêu cầu", menu=False)


@pytest.mark.parametrize("persona", ["staff", None])
def test_an_unknown_address_answers_404(world: World, login: Any, persona: str | None) -> None:
    client = login(world.users[persona] if persona else None)
    response = client.get("/khong-co-trang-nay/")
    assert_error_page(response, 404, "Không tìm thấy trang", menu=persona is not None)


def test_get_object_or_404_in_a_view_answers_our_404(world: World, login: Any) -> None:
    client = login(world.users["staff"])
    response = client.get(reverse("evaluations:sheet_detail", args=[999_999]))
    assert_error_page(response, 404, "Không tìm thấy trang", menu=True)


def test_http404_raised_by_a_view_answers_our_404(world: World, login: Any) -> None:
    client = login(world.users["supervisor"])
    response = client.get(reverse("dashboards:supervision_pdf"))  # no month: Http404
    assert_error_page(response, 404, "Không tìm thấy trang", menu=True)


def test_permission_denied_answers_our_403(world: World, login: Any) -> None:
    client = login(world.users["staff"])
    response = client.get(reverse("dashboards:supervision"))
    page = assert_error_page(response, 403, "Bạn không mở được trang này", menu=True)
    assert "không dành cho tài khoản của bạn" in page


def test_a_form_without_its_token_answers_our_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    response = client.post(reverse("core:notifications_mark_read"))
    page = assert_error_page(response, 403, "Biểu mẫu đã hết hạn", menu=True)
    assert "Chưa có gì được lưu" in page


def test_error_pages_follow_the_language_chosen(world: World, login: Any, settings: Any) -> None:
    client = login(world.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in page
    assert "<h1>Page not found</h1>" in page
