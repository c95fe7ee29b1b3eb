from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danhgia.accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from danhgia.accounts.throttling import forget_account_failures

        user_logged_in.connect(forget_account_failures, dispatch_uid="forget_account_failures")
