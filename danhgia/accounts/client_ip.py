"""The client's address for login throttling (django-axes).

Behind nginx every request comes from 127.0.0.1: counting failed logins per REMOTE_ADDR would
lock the whole province out after five mistakes anywhere. With BEHIND_PROXY=1 the address is
nginx's `X-Real-IP` (deploy/nginx/danhgia.conf sets it to the real client), believed only when
the request comes from a trusted proxy (TRUSTED_PROXIES) and the header holds a valid address;
otherwise a client could choose its own address and escape the lockout.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not (settings.BEHIND_PROXY and remote in settings.TRUSTED_PROXIES):
        return remote
    claimed = request.META.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(claimed))
    except ValueError:
        return remote
