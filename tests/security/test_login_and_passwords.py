"""Login throttling (django-axes) and the password policy (Django's validators)."""

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import World

PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 5
    settings.LOGIN_FAILURE_LIMIT_ADDRESS = 50


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_five_failures_lock_even_the_right_password(world: World, client: Any) -> None:
    login = reverse("accounts:login")
    for _ in range(4):
        assert client.post(login, {"username": "head", "password": "sai"}).status_code == 200
    assert client.post(login, {"username": "head", "password": "sai"}).status_code == 429
    assert client.post(login, {"username": "head", "password": PASSWORD}).status_code == 429
    # Another account from the same address is not locked (lockout is user name + address).
    assert client.post(login, {"username": "staff", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_a_success_before_the_limit_resets_the_count(world: World, client: Any) -> None:
    login = reverse("accounts:login")
    for _ in range(4):
        client.post(login, {"username": "head", "password": "sai"})
    assert client.post(login, {"username": "head", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        assert client.post(login, {"username": "head", "password": "sai"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_lockout_also_covers_unknown_user_names(world: World, client: Any) -> None:
    login = reverse("accounts:login")
    statuses = [
        client.post(login, {"username": "khong-ton-tai", "password": "x"}).status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("ngan-qua", "password_too_short"),  # under 10 characters
        ("password123", "password_too_common"),
        ("12345678901234", "password_entirely_numeric"),
        ("nguyenvanan-staff", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(world: World, password: str, reason: str) -> None:
    user = world.users["staff"]
    user.first_name, user.last_name, user.email = "An", "Nguyễn Văn", "nguyenvanan@example.vn"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert reason in {error.code for error in refused.value.error_list}


@pytest.mark.django_db
def test_a_good_password_is_accepted(world: World) -> None:
    validate_password("Lua-chin-vang-dong-2026", world.users["staff"])


@pytest.mark.django_db
def test_password_change_form_refuses_a_weak_password(world: World, login: Any) -> None:
    client = login(world.users["staff"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200  # the form again, with the errors
    world.users["staff"].refresh_from_db()
    assert world.users["staff"].check_password(PASSWORD)


def _fail_five_times(client: Any, **headers: str) -> None:
    login = reverse("accounts:login")
    for _ in range(5):
        client.post(login, {"username": "head", "password": "sai"}, **headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_behind_the_proxy_an_attacker_does_not_lock_the_user_out_elsewhere(
    world: World, client: Any, settings: Any
) -> None:
    """nginx sends every request from 127.0.0.1 with the client's X-Real-IP."""
    settings.BEHIND_PROXY = True
    login = reverse("accounts:login")
    _fail_five_times(client, HTTP_X_REAL_IP="203.0.113.9")
    attacker = client.post(
        login, {"username": "head", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.9"
    )
    user = client.post(
        login, {"username": "head", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.7"
    )
    assert (attacker.status_code, user.status_code) == (429, 302)


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
@pytest.mark.parametrize(
    ("behind_proxy", "remote"),
    [(False, "127.0.0.1"), (True, "192.0.2.50")],
    ids=["no-proxy", "untrusted"],
)
def test_a_client_cannot_choose_its_address_to_escape_the_lockout(
    world: World, client: Any, settings: Any, behind_proxy: bool, remote: str
) -> None:
    """Without the proxy, or from an address that is not a trusted proxy, X-Real-IP is ignored."""
    settings.BEHIND_PROXY = behind_proxy
    login = reverse("accounts:login")
    _fail_five_times(client, REMOTE_ADDR=remote, HTTP_X_REAL_IP="203.0.113.9")
    retry = client.post(
        login,
        {"username": "head", "password": PASSWORD},
        REMOTE_ADDR=remote,
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert retry.status_code == 429


# Password spraying: one password across many accounts from one address


LOCKED_OUT = "Đăng nhập sai quá nhiều lần"


def _spray(client: Any, count: int, **headers: str) -> list[Any]:
    """`count` different user names, the same wrong password, one address."""
    login = reverse("accounts:login")
    return [
        client.post(login, {"username": f"nguoi-dung-{n}", "password": "Mua-xuan-2026"}, **headers)
        for n in range(count)
    ]


def test_the_address_limit_is_well_above_the_account_limit(settings: Any) -> None:
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert (settings.LOGIN_FAILURE_LIMIT_ACCOUNT, settings.LOGIN_FAILURE_LIMIT_ADDRESS) == (5, 50)


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_spraying_one_password_across_accounts_locks_the_address(world: World, client: Any) -> None:
    answers = _spray(client, 50)
    assert [answer.status_code for answer in answers[:49]] == [200] * 49
    assert answers[49].status_code == 429
    assert LOCKED_OUT in answers[49].content.decode()
    # From that address, every account is refused, the right password too; elsewhere not.
    login = reverse("accounts:login")
    retry = client.post(login, {"username": "staff", "password": PASSWORD})
    assert retry.status_code == 429
    assert LOCKED_OUT in retry.content.decode()
    elsewhere = client.post(
        login, {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_a_success_from_the_address_does_not_reset_its_count(world: World, client: Any) -> None:
    """An attacker holding one valid account cannot wipe the address's count by logging in."""
    login = reverse("accounts:login")
    _spray(client, 45)
    assert client.post(login, {"username": "staff", "password": PASSWORD}).status_code == 302
    client.logout()
    answers = _spray(client, 5)
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_behind_the_proxy_spraying_counts_the_real_client(
    world: World, client: Any, settings: Any
) -> None:
    """Through nginx (127.0.0.1) the real client's X-Real-IP is locked, not the proxy."""
    settings.BEHIND_PROXY = True
    answers = _spray(client, 50, HTTP_X_REAL_IP="203.0.113.9")
    assert answers[-1].status_code == 429
    login = reverse("accounts:login")
    attacker = client.post(
        login, {"username": "staff", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.9"
    )
    others = client.post(
        login, {"username": "staff", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.7"
    )
    assert (others.status_code, attacker.status_code) == (302, 429)


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_a_sprayer_cannot_choose_its_address_to_escape(
    world: World, client: Any, settings: Any
) -> None:
    """From an untrusted address a changing X-Real-IP is ignored: the sender is counted."""
    settings.BEHIND_PROXY = True
    login = reverse("accounts:login")
    for n in range(50):
        client.post(
            login,
            {"username": f"nguoi-dung-{n}", "password": "Mua-xuan-2026"},
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_REAL_IP=f"198.51.100.{n + 1}",
        )
    retry = client.post(
        login,
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_REAL_IP="198.51.100.200",
    )
    assert retry.status_code == 429
