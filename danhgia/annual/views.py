"""Pages of the annual classification: HR opens, recomputes and closes a year; the head
decides a unit on one page (htmx swaps a row and the quota meter) or accepts every computed
level; a person reads their result."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.annual import permissions
from danhgia.annual.forms import AnnualDecisionForm, OpenAnnualForm
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.national import export_filename, export_for_national_database
from danhgia.annual.queries import (
    annual_periods_visible_to,
    annual_sheets_of_unit,
    annual_sheets_visible_to,
    own_annual_sheets,
)
from danhgia.annual.round import YEAR
from danhgia.annual.rules import STRATEGIES
from danhgia.annual.services import (
    AnnualError,
    accept_all_annual,
    annual_sheet_config,
    close_annual,
    decide_annual,
    open_annual,
    recompute_annual,
    record_annual_decision,
)
from danhgia.evaluations.holders import holds_decision
from danhgia.evaluations.models import Leave
from danhgia.evaluations.rounds.decide import AcceptResult
from danhgia.evaluations.rounds.views import decision_page as round_decision_page
from danhgia.evaluations.rules.citations import annual_citations
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.views.periods import ORGANISATION_KINDS, period_view
from danhgia.organisations.models import Person, Role, Unit
from danhgia.organisations.queries import active_roles, units_visible_to

# HR's list


@login_required
def period_list(request: AuthenticatedRequest) -> HttpResponse:
    """The annual classifications in the HR officer's scope, with their counts, and the form
    to open one."""
    if not permissions.can_manage_annual(request.user):
        raise PermissionDenied
    organisations = units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS)
    form = OpenAnnualForm(request.POST or None, organisations=organisations.order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = open_annual(data["organisation"], data["year"], by=request.user)
        except AnnualError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Classification of %(period)s opened: %(count)d people.")
                % {"period": period, "count": period.sheets.count()},
            )
            return redirect("annual:period_list")
    periods = (
        annual_periods_visible_to(request.user)
        .select_related("organisation", "rulebook")
        .annotate(
            total=Count("sheets"),
            pending=Count("sheets", filter=Q(sheets__status=AnnualSheet.Status.PENDING)),
            decided=Count("sheets", filter=Q(sheets__status=AnnualSheet.Status.DECIDED)),
            not_classified=Count(
                "sheets", filter=Q(sheets__status=AnnualSheet.Status.NOT_CLASSIFIED)
            ),
        )
        .order_by("-year", "organisation__path")[:100]
    )
    rows = [
        {
            "period": period,
            "can_manage": permissions.can_manage_annual(request.user, period.organisation),
        }
        for period in periods
    ]
    status = 422 if request.method == "POST" else 200
    return render(request, "annual/period_list.html", {"form": form, "rows": rows}, status=status)


def _recompute(request: AuthenticatedRequest, period: AnnualPeriod) -> str:
    changed = recompute_annual(period, by=request.user)
    message = _("Classification of %(period)s recomputed: %(count)d results changed.")
    return message % {"period": period, "count": changed}


def _close(request: AuthenticatedRequest, period: AnnualPeriod) -> str:
    closed = close_annual(period, by=request.user)
    return _("Classification of %(period)s closed.") % {"period": closed}


_period_view = partial(
    period_view,
    annual_periods_visible_to,
    permissions.can_manage_annual,
    error=AnnualError,
    back="annual:period_list",
)
period_recompute = _period_view(_recompute)
period_close = _period_view(_close)


def _managed_period(request: AuthenticatedRequest, pk: int) -> AnnualPeriod:
    """A classification in the user's scope (else 404) that they manage (else 403)."""
    period = get_object_or_404(
        annual_periods_visible_to(request.user).select_related("organisation"), pk=pk
    )
    if not permissions.can_manage_annual(request.user, period.organisation):
        raise PermissionDenied
    return period


@login_required
@require_POST
def period_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """HR records the number and date of the decision recognising a decided year."""
    period = _managed_period(request, pk)
    form = AnnualDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the number and the date of the decision."))
        return redirect("annual:period_list")
    data = form.cleaned_data
    try:
        record_annual_decision(period, number=data["number"], date=data["date"], by=request.user)
    except AnnualError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision of %(period)s recorded.") % {"period": period})
    return redirect("annual:period_list")


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@login_required
@require_POST
def national_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """HR downloads a decided year for the national database, as CSV or JSON (a POST: the
    download is audited, and a GET never writes)."""
    period = _managed_period(request, pk)
    fmt = request.POST.get("format", "csv")
    try:
        content = export_for_national_database(period, fmt, by=request.user)
    except AnnualError as error:
        messages.error(request, str(error))
        return redirect("annual:period_list")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(period, fmt)}"'
    return response


# The head's decision


@login_required
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    """The units the signed-in head decides for, in each annual classification not closed."""
    heads = [role.unit for role in active_roles(request.user) if role.role == Role.HEAD]
    periods = (
        annual_periods_visible_to(request.user)
        .exclude(state=AnnualPeriod.State.CLOSED)
        .select_related("organisation")
        .order_by("-year", "pk")
    )
    pairs = []
    for period in periods:
        org_path = period.organisation.path
        for unit in heads:
            if unit.path.startswith(org_path) or org_path.startswith(unit.path):
                pairs.append(
                    (period, unit if unit.path.startswith(org_path) else period.organisation)
                )
    return render(request, "annual/decision_list.html", {"pairs": pairs})


class YearPage:
    """The decision page of a year (`evaluations/rounds/views.py` is the page)."""

    round = YEAR
    url_name = "annual:decision_page"
    prefix = "a"
    anchor = "annual"
    figures = "annual/decision_figures.html"
    year = True

    def periods(self, user: User) -> QuerySet[AnnualPeriod]:
        return annual_periods_visible_to(user).select_related("rulebook", "organisation")

    def may_open(self, user: User, period: AnnualPeriod, unit: Unit) -> bool:
        decides_some = annual_sheets_of_unit(period, unit).filter(holds_decision(user)).exists()
        return permissions.can_open_decision_page(user, unit, decides_some)

    def sheets(self, user: User, period: AnnualPeriod, unit: Unit) -> QuerySet[AnnualSheet]:
        return annual_sheets_of_unit(period, unit)

    def decidable(self, user: User, sheets: Sequence[AnnualSheet]) -> set[int]:
        return permissions.decidable_ids(user, sheets)

    def may_decide(self, user: User, sheet: AnnualSheet) -> bool:
        return permissions.can_decide(user, sheet)

    def already_decided(self, user: User, sheet: AnnualSheet) -> bool:
        return sheet.is_decided and (
            sheet.decided_by_id == user.pk or permissions.acts_as_decider(user, sheet)
        )

    def meter_decider(self, user: User, unit: Unit) -> int:
        return user.pk

    def decide(
        self, sheet: AnnualSheet, *, by: User, level: str, reason: str, use_exception: bool
    ) -> AnnualSheet:
        return decide_annual(sheet, by=by, level=level, reason=reason, use_exception=use_exception)

    def accept_all(self, period: AnnualPeriod, unit: Unit, *, by: User) -> AcceptResult:
        return accept_all_annual(period, unit, by=by)

    def rows(
        self,
        period: AnnualPeriod,
        config: RulebookConfig,
        sheets: Sequence[AnnualSheet],
        names: dict[str, str],
    ) -> list[dict[str, Any]]:
        return [
            {
                "url": reverse("annual:sheet_detail", args=[sheet.pk]),
                "band": names.get(sheet.band, ""),
                "proposed": names.get(sheet.proposed_level, ""),
                "cap": names.get(sheet.cap_level, ""),
                "decided": names.get(sheet.decided_level, ""),
                "counted": sum(1 for month in sheet.months if month.get("counted")),
                "vetoes": [sheet.veto_reason] if sheet.veto else [],
            }
            for sheet in sheets
        ]

    def freshness(self, period: AnnualPeriod, unit: Unit) -> list[Any]:
        """Nothing beyond the sheets: a year's vetoes and caps are stored on them."""
        return []


YEAR_PAGE = YearPage()


@login_required
def decision_page(request: AuthenticatedRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """The head's decision page of a year (`evaluations/rounds/views.py`)."""
    return round_decision_page(request, YEAR_PAGE, period_pk, unit_pk)


# A person's results


def _name(user: User | None) -> str:
    if user is None:
        return ""
    person = Person.objects.filter(user=user).only("full_name").first()
    return person.full_name if person else user.username


@login_required
def my_results(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's annual results, newest year first."""
    sheets = list(own_annual_sheets(request.user))
    names = {}
    for sheet in sheets:
        config = annual_sheet_config(sheet)
        names[sheet.pk] = {level.code: level.name for level in config.levels}
    rows = [
        {
            "sheet": sheet,
            "decided": names[sheet.pk].get(sheet.decided_level, ""),
            "proposed": names[sheet.pk].get(sheet.proposed_level, ""),
        }
        for sheet in sheets
    ]
    return render(request, "annual/my_results.html", {"rows": rows})


@login_required
def sheet_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One person's annual result: the periods counted, time worked and absent, the score,
    what limits the level and why, the decision."""
    sheet = get_object_or_404(
        annual_sheets_visible_to(request.user).select_related(
            "annual_period__organisation",
            "annual_period__rulebook",
            "person",
            "unit",
            "decider",
            "decided_by",
        ),
        pk=pk,
    )
    if not permissions.can_view_sheet(request.user, sheet):
        raise PermissionDenied
    period = sheet.annual_period
    config = annual_sheet_config(sheet)
    names = {level.code: level.name for level in config.levels}
    months = [
        {
            **month,
            "start": datetime.date.fromisoformat(month["start"]),
            "end": datetime.date.fromisoformat(month["end"]),
            "total": Decimal(month["total"]),
            "level_name": names.get(month["level"], month["level"]),
        }
        for month in sheet.months
    ]
    kinds = dict(Leave.Kind.choices)
    absences = [(kinds.get(kind, kind), days) for kind, days in sheet.days_absent.items()]
    context = {
        "sheet": sheet,
        "period": period,
        "config": config,
        "cites": annual_citations(config),
        "months": months,
        "absences": absences,
        "band": names.get(sheet.band, ""),
        "proposed": names.get(sheet.proposed_level, ""),
        "cap": names.get(sheet.cap_level, ""),
        "decided": names.get(sheet.decided_level, ""),
        "strategy": STRATEGIES[config.annual.strategy].label,
        "decider": _name(sheet.decider),
        "decided_by": _name(sheet.decided_by),
    }
    return render(request, "annual/sheet_detail.html", context)
