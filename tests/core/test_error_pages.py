"""Server errors answer a plain page in the user's language; a lost database answers 503."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import World


def _failing_home(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("config.views.active_roles", fail)


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
    page = response.content.decode()
    assert response.status_code == 503
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
    page = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi" in page
    assert "secret detail" not in page
    assert "Retry-After" not in response.headers
