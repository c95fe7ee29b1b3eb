"""Pages of the annual classification: HR opens, recomputes and closes a year; the head
decides a unit on one page (htmx swaps a row and the quota meter) or accepts every computed
level; a person reads their result."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.annual import permissions
from danhgia.annual.forms import AnnualDecisionForm, OpenAnnualForm
from danhgia.annual.models import AnnualPeriod, AnnualSheet
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
    close_annual,
    config_of,
    decide_annual,
    open_annual,
    recompute_annual,
)
from danhgia.evaluations.holders import holds_decision
from danhgia.evaluations.models import Leave
from danhgia.evaluations.rounds.page import exception_offered, page_meter, typed_levels
from danhgia.evaluations.rounds.quota import Standing
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.ceiling import level_choices
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.views.periods import ORGANISATION_KINDS
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
                _("Annual classification %(period)s opened: %(count)d people.")
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


def _period_action(request: AuthenticatedRequest, pk: int, *, close: bool) -> HttpResponse:
    period = get_object_or_404(
        annual_periods_visible_to(request.user).select_related("organisation"), pk=pk
    )
    if not permissions.can_manage_annual(request.user, period.organisation):
        raise PermissionDenied
    try:
        if close:
            period = close_annual(period, by=request.user)
            messages.success(request, _("%(period)s is closed.") % {"period": period})
        else:
            changed = recompute_annual(period, by=request.user)
            messages.success(
                request,
                _("%(period)s recomputed: %(count)d results changed.")
                % {"period": period, "count": changed},
            )
    except AnnualError as error:
        messages.error(request, str(error))
    return redirect("annual:period_list")


@login_required
@require_POST
def period_recompute(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _period_action(request, pk, close=False)


@login_required
@require_POST
def period_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _period_action(request, pk, close=True)


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


def _quota(
    user_id: int,
    period: AnnualPeriod,
    unit: Unit,
    config: RulebookConfig,
    typed: dict[int, str] | None = None,
) -> Standing:
    return page_meter(Scopes(YEAR, period, config), user_id, unit, typed)


def _page_context(period: AnnualPeriod, unit: Unit, config: RulebookConfig) -> dict[str, Any]:
    return {
        "period": period,
        "unit": unit,
        "config": config,
        "levels": [(level.code, level.name) for level in config.levels],
        "decide_url": reverse("annual:decision_page", args=[period.pk, unit.pk]),
        "prefix": "a",
        "anchor": "annual",
        "figures": "annual/decision_figures.html",
        "year": True,
    }


def _rows(
    request: AuthenticatedRequest,
    period: AnnualPeriod,
    config: RulebookConfig,
    sheets: list[AnnualSheet],
    bound: dict[int, AnnualDecisionForm] | None = None,
) -> list[dict[str, Any]]:
    names = {level.code: level.name for level in config.levels}
    decidable = permissions.decidable_ids(request.user, sheets)
    offered = exception_offered(Scopes(YEAR, period, config), sheets)
    rows = []
    for sheet in sheets:
        form = (bound or {}).get(sheet.pk)
        rows.append(
            {
                "sheet": sheet,
                "url": reverse("annual:sheet_detail", args=[sheet.pk]),
                "band": names.get(sheet.band, ""),
                "proposed": names.get(sheet.proposed_level, ""),
                "cap": names.get(sheet.cap_level, ""),
                "decided": names.get(sheet.decided_level, ""),
                "counted": sum(1 for month in sheet.months if month.get("counted")),
                "vetoes": [sheet.veto_reason] if sheet.veto else [],
                "can_decide": sheet.pk in decidable,
                "levels": level_choices(config, sheet.band),
                "offer_exception": sheet.pk in offered and not sheet.veto,
                "fields": _fields(sheet, form),
            }
        )
    return rows


def _fields(sheet: AnnualSheet, form: AnnualDecisionForm | None) -> dict[str, Any]:
    """What the decision fields of a row show: as posted (with errors), else the computed
    level."""
    if form is None:
        return {"level": sheet.proposed_level, "reason": "", "use_exception": False}
    return {
        "level": form["level"].value(),
        "reason": form["reason"].value() or "",
        "use_exception": bool(form.data.get(form.add_prefix("use_exception"))),
        "errors": form.errors,
    }


@login_required
def decision_page(request: AuthenticatedRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """GET: the page. POST `action=decide` with `sheet`: one decision (htmx: the row and the
    quota meter). POST `action=accept_all`: every computed level that needs no reason."""
    period = get_object_or_404(
        annual_periods_visible_to(request.user).select_related("rulebook", "organisation"),
        pk=period_pk,
    )
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    decides_some = annual_sheets_of_unit(period, unit).filter(holds_decision(request.user)).exists()
    if not permissions.can_open_decision_page(request.user, unit, decides_some):
        raise PermissionDenied
    config = config_of(period)
    if request.htmx and "preview" in request.GET:
        # The meter as the head types (a GET: nothing is written).
        typed = typed_levels(request.GET, "a", config)
        preview = {
            **_page_context(period, unit, config),
            "meter": _quota(request.user.pk, period, unit, config, typed),
        }
        return render(request, "evaluations/decision_page.html#meter", preview)
    context: dict[str, Any] = _page_context(period, unit, config)
    bound: dict[int, AnnualDecisionForm] = {}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "accept_all":
        try:
            context["accepted"] = accept_all_annual(period, unit, by=request.user)
        except AnnualError as error:
            context["error"] = str(error)
    elif action == "decide":
        sheet = get_object_or_404(
            annual_sheets_of_unit(period, unit), pk=request.POST.get("sheet") or 0
        )
        if not permissions.can_decide(request.user, sheet):
            raise PermissionDenied
        form = AnnualDecisionForm(request.POST, config=config, prefix=f"a{sheet.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                decide_annual(
                    sheet,
                    by=request.user,
                    level=data["level"],
                    reason=data["reason"],
                    use_exception=bool(data.get("use_exception")),
                )
            except AnnualError as error:
                form.add_error(None, str(error))
                bound[sheet.pk] = form
        else:
            bound[sheet.pk] = form
        if request.htmx:
            period.refresh_from_db(fields=["state"])
            return _row_response(request, period, unit, config, sheet.pk, bound)
    period.refresh_from_db(fields=["state"])
    sheets = list(annual_sheets_of_unit(period, unit))
    context["rows"] = _rows(request, period, config, sheets, bound)
    context["meter"] = _quota(request.user.pk, period, unit, config)
    context["decidable"] = sum(1 for row in context["rows"] if row["can_decide"])
    status = 422 if bound and not request.htmx else 200
    return render(request, "evaluations/decision_page.html", context, status=status)


def _row_response(
    request: AuthenticatedRequest,
    period: AnnualPeriod,
    unit: Unit,
    config: RulebookConfig,
    sheet_pk: int,
    bound: dict[int, AnnualDecisionForm],
) -> HttpResponse:
    """The swapped row, and the quota meter out of band."""
    sheet = annual_sheets_of_unit(period, unit).get(pk=sheet_pk)
    context = {
        **_page_context(period, unit, config),
        "row": _rows(request, period, config, [sheet], bound)[0],
        "meter": _quota(request.user.pk, period, unit, config),
        "oob": True,
    }
    template = "evaluations/decision_page.html"
    html = render_to_string(template + "#row", context, request=request)
    html += render_to_string(template + "#meter", context, request=request)
    return HttpResponse(html)


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
        config = config_of(sheet.annual_period)
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
    config = config_of(period)
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
