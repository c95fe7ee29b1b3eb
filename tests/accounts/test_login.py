import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import World

PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.mark.django_db
def test_login_then_home(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:login"), {"username": "head", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Trần Thị Hạnh" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_keeps_the_user_name_and_explains(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": "head", "password": "sai"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="head"' in text
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in text


@pytest.mark.django_db
def test_pages_are_vietnamese_even_for_an_english_browser(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_sticks(client) -> None:  # type: ignore[no-untyped-def]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "head", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "head", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_link(world: World, client) -> None:  # type: ignore[no-untyped-def]
    world.users["head"].email = "hanh@example.vn"
    world.users["head"].save()
    client.post(reverse("accounts:password_reset"), {"email": "hanh@example.vn"})
    assert len(mail.outbox) == 1
    assert "/tai-khoan/dat-lai-mat-khau/" in mail.outbox[0].body


def test_sessions_expire(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.django_db
def test_user_without_role_sees_only_their_own_person(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["staff"])
    response = client.get(reverse("organisations:person_list"))
    assert [p.full_name for p in response.context["page"].object_list] == ["Nguyễn Văn An"]
    assert client.get(reverse("organisations:unit_tree")).context["rows"] == []
