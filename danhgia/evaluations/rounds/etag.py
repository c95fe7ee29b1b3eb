"""The version of a decision page as one user sees it (its ETag): what a head's repeated
look at the page (every 10-20 s at month end) compares, to be answered 304 Not Modified
when nothing it shows changed, instead of building the page again.

The version is a digest of what the page is built from, read in a few narrow queries
without building a row: every column of its sheets with whether the user may decide each
(the roles, delegations and stand-ins behind it are evaluated by the same query), the sheets
of the quota the meter counts, the facts a row's vetoes come from, the period and its
rulebook, the user's roles and delegations in force, the language, the day (deadlines), the
query string (a filter of the rows) and the CSRF secret the page's forms carry. A decision
by anyone, a review, a veto recorded, a role or delegation given or ended, another language,
another filter or another session all change it.
"""

import hashlib
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.evaluations.holders import delegations_in_force
from danhgia.organisations.models import Unit, UnitRole
from danhgia.organisations.queries import active_roles

if TYPE_CHECKING:
    from danhgia.evaluations.rounds.views import DecisionPage


def page_etag(request: AuthenticatedRequest, page: "DecisionPage", period: Any, unit: Unit) -> str:
    """The decision page's version for `request.user` (a quoted strong ETag)."""
    user = request.user
    get_token(request)  # the page's forms carry it: a first look sets it before reading it
    decider = page.meter_decider(user, unit)
    parts: list[Any] = [
        user.pk,
        get_language(),
        request.META.get("CSRF_COOKIE"),
        clock.today(),
        request.META.get("QUERY_STRING", ""),  # a filter of the rows (`?loc=`) is another page
        _fields(period),
        _fields(period.rulebook),
        sorted(role.pk for role in active_roles(user)),
        sorted(delegation.pk for delegation in delegations_in_force(user)),
        _columns(page.sheets(user, period, unit).order_by("pk")),
        _columns(page.round.sheets(period).filter(decider_id=decider).order_by("pk")),
        _columns(UnitRole.objects.filter(user_id=decider).order_by("pk")),
        page.freshness(period, unit),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _fields(row: Model) -> list[Any]:
    """Every column of a row already read (the period and its rulebook: no query)."""
    return [getattr(row, field.attname) for field in row._meta.concrete_fields]


def _columns(rows: QuerySet[Any]) -> Any:
    """Every column (and annotation) of the rows, without building a model per row: on
    PostgreSQL one digest of the rows as text, made by the database (a hundred rows' JSON and
    dates not decoded in Python for a digest); elsewhere the rows' values."""
    values = rows.values()
    if connection.vendor != "postgresql":
        return [tuple(row.values()) for row in values]
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        digest = "SELECT md5(string_agg(r::text, '|' ORDER BY r.id)) FROM ({}) AS r"
        cursor.execute(digest.format(sql), params)  # the ORM's own SQL and parameters
        return cursor.fetchone()
