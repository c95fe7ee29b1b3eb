"""Passwords are stored with Argon2id at OWASP's parameters; older PBKDF2 hashes still log in
and are upgraded then."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from danhgia.accounts.hashers import OwaspArgon2PasswordHasher
from tests.factories import UserFactory

PRODUCTION = {
    "PASSWORD_HASHERS": [
        "danhgia.accounts.hashers.OwaspArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
}


def test_production_settings_hash_with_argon2id_at_owasp_parameters() -> None:
    from config import settings as production

    assert PRODUCTION["PASSWORD_HASHERS"] == production.PASSWORD_HASHERS
    with override_settings(**PRODUCTION):
        encoded = make_password("mat-khau-dai-du-10")
        assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert check_password("mat-khau-dai-du-10", encoded)
        assert not check_password("sai", encoded)
        assert isinstance(identify_hasher(encoded), OwaspArgon2PasswordHasher)


@pytest.mark.django_db
@override_settings(**PRODUCTION, AXES_ENABLED=False)
def test_a_pbkdf2_password_logs_in_and_is_upgraded() -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        old = make_password("mat-khau-cu-2024")
    user = UserFactory(username="cu", password=old)
    user.password = old
    user.save(update_fields=["password"])
    response = Client().post(
        reverse("accounts:login"), {"username": "cu", "password": "mat-khau-cu-2024"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
