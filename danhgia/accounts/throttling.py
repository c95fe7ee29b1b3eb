"""Login throttling (django-axes) per account and per address.

Failed logins are counted per user name and client address (LOGIN_FAILURE_LIMIT_ACCOUNT, 5:
one person's password guessed from one place) and per client address alone
(LOGIN_FAILURE_LIMIT_ADDRESS, 50: one password tried across many accounts, "password
spraying"). Axes counts both (AXES_LOCKOUT_PARAMETERS) but compares the larger count with a
single limit, so `failure_limit` gives it the limit that applies: the account's once that
account's own count has reached it, the address's otherwise. The address comes from
`client_ip` (the real client behind the trusted proxy).

A successful login forgets that account's failures from that address only
(`forget_account_failures`; axes' own reset would also wipe the address's count, so an
attacker holding one valid account could reset it at will).
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from danhgia.accounts.client_ip import client_ip


def account_failures(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Failures of this user name from this address within the cool-off time."""
    total = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """AXES_FAILURE_LIMIT: the limit axes compares with the larger of its two counts."""
    per_account: int = settings.LOGIN_FAILURE_LIMIT_ACCOUNT
    if account_failures(request, credentials) >= per_account:
        return per_account
    per_address: int = settings.LOGIN_FAILURE_LIMIT_ADDRESS
    return per_address


def forget_account_failures(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """On `user_logged_in`: forget the failures of this user name from this address."""
    if request is None or not settings.AXES_ENABLED:
        return
    AccessAttempt.objects.filter(
        username=user.get_username(), ip_address=client_ip(request)
    ).delete()
