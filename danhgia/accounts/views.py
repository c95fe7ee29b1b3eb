"""The login page (password and, when configured, single sign-on) and the SSO failure page."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from danhgia.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login view; the password form only where local passwords are allowed
    (settings.LOCAL_PASSWORDS) and the SSO button only where OIDC is configured."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["local_passwords"] = settings.LOCAL_PASSWORDS
        return context


def sso_unknown(request: HttpRequest) -> HttpResponse:
    """Where the provider's answer leads when it names nobody with a login here: no account
    is created; the person is told whom to ask. Not found while OIDC is off."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return render(request, "accounts/sso_unknown.html")
