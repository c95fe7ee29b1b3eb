"""Run the test OpenID Connect provider: `python -m tests.sso_provider.serve PORT`.

Reads from the environment (set by tests/e2e/test_sso.py): SSO_PROVIDER_DB (a fresh SQLite
file), SSO_PROVIDER_RSA_KEY (PEM), SSO_CLIENT_ID, SSO_CLIENT_SECRET, SSO_REDIRECT_URI,
SSO_POST_LOGOUT_URI, SSO_USER_EMAIL, SSO_USER_PASSWORD. Migrates, creates the one user and
the one application (confidential, authorization code, RS256, no consent screen), then serves
until killed."""

import os
import sys

import django


def main(port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_provider.settings"
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user(
        username="provider-user",
        email=os.environ["SSO_USER_EMAIL"],
        password=os.environ["SSO_USER_PASSWORD"],
    )
    application = get_application_model()
    application.objects.create(
        name="danhgia",
        client_id=os.environ["SSO_CLIENT_ID"],
        client_secret=os.environ["SSO_CLIENT_SECRET"],
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["SSO_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ["SSO_POST_LOGOUT_URI"],
        algorithm=application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
