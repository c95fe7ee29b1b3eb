"""The head's decision page of a round, one view for every kind: every person of a unit with
their figures, the quota of "excellent" as the engine explains it, one decision per row
(htmx swaps the row and the quota meter) or every proposal at once.

What differs between a month (or quarter) and a year is given by a `DecisionPage`: the
month's in `evaluations/views/decisions.py`, the year's in `annual/views.py`. Both URL confs
keep their own URL and name and call `decision_page` with their kind.
"""

from collections.abc import Sequence
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.evaluations.forms import DecisionForm
from danhgia.evaluations.rounds import filters
from danhgia.evaluations.rounds.decide import AcceptResult
from danhgia.evaluations.rounds.etag import page_etag
from danhgia.evaluations.rounds.kind import RoundKind
from danhgia.evaluations.rounds.page import exception_offered, page_meter, typed_levels
from danhgia.evaluations.rounds.quota import Standing
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.ceiling import level_choices
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import units_visible_to

TEMPLATE = "evaluations/decision_page.html"


class DecisionPage(Protocol):
    """What the decision page of a kind of round reads and writes."""

    @property
    def round(self) -> RoundKind:
        """The round's rules (`kind.py`)."""

    url_name: str  # the page's URL name (period pk, unit pk)
    prefix: str  # of the fields of a row: `<prefix><pk>-level`
    anchor: str  # of a row's id: `<anchor>-<pk>`
    figures: str  # the template of a row's figures
    year: bool  # the template's words for a year

    def periods(self, user: User) -> QuerySet[Any]:
        """The periods the user may see, with their rulebook and organisation."""

    def may_open(self, user: User, period: Any, unit: Unit) -> bool: ...

    def sheets(self, user: User, period: Any, unit: Unit) -> QuerySet[Any]:
        """The rows of the page: every sheet of the unit and below, in roster order."""

    def decidable(self, user: User, sheets: Sequence[Any]) -> set[int]:
        """The rows the user may decide now."""

    def may_decide(self, user: User, sheet: Any) -> bool: ...

    def already_decided(self, user: User, sheet: Any) -> bool:
        """Decided by the user (or for the head they stand in for): a double click."""

    def meter_decider(self, user: User, unit: Unit) -> int:
        """Whose quota the page shows."""

    def decide(
        self, sheet: Any, *, by: User, level: str, reason: str, use_exception: bool
    ) -> Any: ...

    def accept_all(self, period: Any, unit: Unit, *, by: User) -> AcceptResult: ...

    def rows(
        self,
        period: Any,
        config: RulebookConfig,
        sheets: Sequence[Any],
        names: dict[str, str],
    ) -> list[dict[str, Any]]:
        """Each row's own figures (with `url` and `vetoes`), in the order of `sheets`."""

    def freshness(self, period: Any, unit: Unit) -> list[Any]:
        """What the rows show beyond the sheets (the facts of vetoes), for the page's ETag."""


def decision_page(
    request: AuthenticatedRequest, page: DecisionPage, period_pk: int, unit_pk: int
) -> HttpResponse:
    """GET: the page, with its ETag (`etag.py`): 304 to a look carrying the same ETag again
    (htmx `preview`: the meter as the head types; nothing is written); `?loc=` shows some
    rows only (`filters.py`), the counts and the meter still read every row. POST
    `action=decide` with `sheet`: one decision (htmx: the row and the quota meter). POST
    `action=accept_all`: every proposal that needs no reason, then those left and why."""
    period = get_object_or_404(page.periods(request.user), pk=period_pk)
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not page.may_open(request.user, period, unit):
        raise PermissionDenied
    etag = None
    if request.method in ("GET", "HEAD") and "preview" not in request.GET:
        etag = page_etag(request, page, period, unit)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:  # a head's look again, nothing changed: no page built
            not_modified.headers["ETag"] = etag
            return not_modified
    config = page.round.config(period)
    shown = filters.chosen(request.GET)  # kept by the page's forms: a decision keeps it
    context: dict[str, Any] = _page_context(page, period, unit, config, shown)
    if request.htmx and "preview" in request.GET:
        typed = typed_levels(request.GET, page.prefix, config)
        context["meter"] = _meter(request, page, unit, Scopes(page.round, period, config), typed)
        return render(request, TEMPLATE + "#meter", context)
    bound: dict[int, DecisionForm] = {}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "accept_all":
        try:
            context["accepted"] = page.accept_all(period, unit, by=request.user)
        except page.round.error as error:
            context["error"] = str(error)
    elif action == "decide":
        sheet = get_object_or_404(
            page.sheets(request.user, period, unit), pk=request.POST.get("sheet") or 0
        )
        _decide(request, page, config, sheet, bound)
        period.refresh_from_db(fields=["state"])  # the last decision of a year moves it on
        if request.htmx:
            return _row_response(request, page, period, unit, config, sheet.pk, bound)
    sheets = list(page.sheets(request.user, period, unit))
    scopes = Scopes(page.round, period, config)  # read once, for the rows and the meter
    rows = _rows(request, page, scopes, sheets, bound)
    context["rows"] = [row for row in rows if filters.matches(shown, row)]
    context["filters"] = filters.links(rows, shown, context["page_url"])
    context["meter"] = _meter(request, page, unit, scopes)
    # "Accept all" acts on every row waiting in the scope, shown or not.
    context["decidable"] = sum(1 for row in rows if row["can_decide"])
    context["hidden"] = context["decidable"] - sum(1 for r in context["rows"] if r["can_decide"])
    status = 422 if bound and not request.htmx else 200
    response = render(request, TEMPLATE, context, status=status)
    if etag is not None:
        response.headers["ETag"] = etag
    return response


def _decide(
    request: AuthenticatedRequest,
    page: DecisionPage,
    config: RulebookConfig,
    sheet: Any,
    bound: dict[int, DecisionForm],
) -> None:
    """One decision; a refused one leaves its form, with the error, in `bound`."""
    if page.already_decided(request.user, sheet):
        # A double click or a retry: the decision stands, nothing is written twice.
        messages.info(request, _("This sheet was already decided. Nothing was saved twice."))
        return
    if not page.may_decide(request.user, sheet):
        raise PermissionDenied
    form = DecisionForm(request.POST, config=config, prefix=f"{page.prefix}{sheet.pk}")
    if not form.is_valid():
        bound[sheet.pk] = form
        return
    data = form.cleaned_data
    try:
        page.decide(
            sheet,
            by=request.user,
            level=data["level"],
            reason=data["reason"],
            use_exception=bool(data.get("use_exception")),
        )
    except page.round.error as error:
        if not page.already_decided(request.user, type(sheet)._default_manager.get(pk=sheet.pk)):
            form.add_error(None, str(error))
            bound[sheet.pk] = form


def _page_context(
    page: DecisionPage, period: Any, unit: Unit, config: RulebookConfig, shown: str
) -> dict[str, Any]:
    page_url = reverse(page.url_name, args=[period.pk, unit.pk])
    return {
        "period": period,
        "unit": unit,
        "config": config,
        "levels": [(level.code, level.name) for level in config.levels],
        "page_url": page_url,
        "decide_url": filters.url(page_url, shown),
        "shown": shown,
        "prefix": page.prefix,
        "anchor": page.anchor,
        "figures": page.figures,
        "year": page.year,
        "labels": row_labels(page.year),
    }


def row_labels(year: bool) -> dict[str, str]:
    """The words of a row (`decision_page.html#row` and the figures), translated once per
    page: a hundred rows asked for them a thousand times."""
    return {
        "veto": _("veto"),
        "reason": _("Reason"),
        "decided_level": _("Decided level"),
        "reason_help": _("Required when the level differs from the computed level.")
        if year
        else _("Required when the level differs from the band of the score."),
        "use_exception": _("Use the quota exception (outstanding achievements)"),
        "decide": pgettext("verb: decide a level", "Decide"),
        "score": _("Score"),
        "band": _("Band"),
        "self": _("Self"),
        "manager": _("Manager"),
        "decided": _("Decided"),
        "quota_exception": _("quota exception"),
        "periods_counted": _("Periods counted"),
        "time_worked": _("Time worked"),
        "annual_score": _("Annual score"),
        "computed_level": _("Computed level"),
        "not_classified": _("not classified"),
    }


def _meter(
    request: AuthenticatedRequest,
    page: DecisionPage,
    unit: Unit,
    scopes: Scopes,
    typed: dict[int, str] | None = None,
) -> Standing:
    return page_meter(scopes, page.meter_decider(request.user, unit), unit, typed)


def _rows(
    request: AuthenticatedRequest,
    page: DecisionPage,
    scopes: Scopes,
    sheets: list[Any],
    bound: dict[int, DecisionForm] | None = None,
) -> list[dict[str, Any]]:
    period, config = scopes.period, scopes.config
    names = {level.code: level.name for level in config.levels}
    statuses = {code: str(label) for code, label in sheets[0].Status.choices} if sheets else {}
    decidable = page.decidable(request.user, sheets)
    offered = exception_offered(scopes, sheets)
    rows = []
    proposal = page.round.proposal
    for sheet, figures in zip(sheets, page.rows(period, config, sheets, names), strict=True):
        # A row's fields are written out by the template (300 rows × 3 widgets rendered by
        # Django's form templates took a second): the form itself only when it was posted.
        form = (bound or {}).get(sheet.pk)
        rows.append(
            {
                **figures,
                "sheet": sheet,
                "status": statuses.get(sheet.status, sheet.status),
                "can_decide": sheet.pk in decidable,
                "differs": filters.differs(proposal(sheet), sheet.band, sheet.is_decided),
                "levels": level_choices(config, sheet.band),  # none above the band if barred
                "offer_exception": sheet.pk in offered and not figures["vetoes"],
                "form": form,
                "fields": _fields(proposal(sheet), form),
            }
        )
    return rows


def _fields(proposal: str, form: DecisionForm | None) -> dict[str, Any]:
    """What the decision fields of a row show: as posted (with errors), else the proposal."""
    if form is None:
        return {"level": proposal, "reason": "", "use_exception": False}
    return {
        "level": form["level"].value(),
        "reason": form["reason"].value() or "",
        "use_exception": bool(form.data.get(form.add_prefix("use_exception"))),
        "errors": form.errors,
    }


def _row_response(
    request: AuthenticatedRequest,
    page: DecisionPage,
    period: Any,
    unit: Unit,
    config: RulebookConfig,
    sheet_pk: int,
    bound: dict[int, DecisionForm],
) -> HttpResponse:
    """The swapped row, the quota meter out of band and, once the row is decided, its name
    taken off the card of those "accept all" left to the head."""
    sheet = page.sheets(request.user, period, unit).get(pk=sheet_pk)
    scopes = Scopes(page.round, period, config)
    context = {
        **_page_context(page, period, unit, config, filters.chosen(request.GET)),
        "row": _rows(request, page, scopes, [sheet], bound)[0],
        "meter": _meter(request, page, unit, scopes),
        "oob": True,
    }
    html = render_to_string(TEMPLATE + "#row", context, request=request)
    html += render_to_string(TEMPLATE + "#meter", context, request=request)
    if sheet.is_decided:
        html += format_html('<li id="left-{}-{}" hx-swap-oob="delete"></li>', page.anchor, sheet.pk)
    return HttpResponse(html)
