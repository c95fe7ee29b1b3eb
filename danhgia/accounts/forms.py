from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import CleanInputMixin


class LoginForm(CleanInputMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not correct. Check both (passwords are "
            "case-sensitive) or use “Forgot password”."
        ),
        "inactive": _("This account is disabled. Contact your HR officer."),
    }
