"""The head's decision page: every person of a unit with score, band and proposals, the
quota of "excellent" as the engine explains it, one decision per row (htmx swaps the row and
the quota meter) or every proposal at once.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.evaluations import permissions
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.forms import DecisionForm
from danhgia.evaluations.holders import decidable_by, delegations_in_force, with_decidable
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.queries import (
    in_unit,
    periods_visible_to,
    sheets_decided_by,
    sheets_of_unit,
)
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.rounds.page import exception_offered, page_meter, typed_levels
from danhgia.evaluations.rounds.quota import Standing
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.ceiling import level_choices
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import applicable_vetoes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles, units_visible_to


@login_required
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    """The units the signed-in head decides for (and those delegated to a deputy), in each
    open period that covers them."""
    heads = [role.unit for role in active_roles(request.user) if role.role == Role.HEAD]
    heads += [delegation.unit for delegation in delegations_in_force(request.user)]
    periods = periods_visible_to(request.user).filter(
        state__in=list(permissions.OPEN_PERIOD_STATES)
    )
    pairs = []
    for period in periods.select_related("organisation").order_by("-start", "pk"):
        org_path = period.organisation.path
        for unit in heads:
            if unit.path.startswith(org_path) or org_path.startswith(unit.path):
                pairs.append(
                    (period, unit if unit.path.startswith(org_path) else period.organisation)
                )
    waiting = _waiting_counts(request, pairs)
    rows = [(period, unit, count) for (period, unit), count in zip(pairs, waiting, strict=True)]
    return render(request, "evaluations/decision_list.html", {"pairs": rows})


def _waiting_counts(request: AuthenticatedRequest, pairs: list[tuple[Period, Unit]]) -> list[int]:
    """How many sheets of each (period, unit) wait for the user's decision (`decidable_by`,
    as the page's rows and accept-all read it), in one query."""
    if not pairs:
        return []
    counts = {
        f"n{index}": Count("pk", filter=Q(period=period) & in_unit(unit))
        for index, (period, unit) in enumerate(pairs)
    }
    row = Sheet.objects.filter(
        decidable_by(request.user), period__in={period.pk for period, _unit in pairs}
    ).aggregate(**counts)
    return [row[f"n{index}"] for index in range(len(pairs))]


def _page_decider(request: AuthenticatedRequest, unit: Unit) -> int:
    """Whose quota the page shows: the user's own as a head of the unit, else that of the
    head who delegated the unit to them."""
    if has_role_over(request.user, permissions.DECIDER_ROLES, unit):
        return request.user.pk
    for delegation in delegations_in_force(request.user):
        if unit.path.startswith(delegation.unit.path):
            return delegation.head_id
    return request.user.pk


def _quota(
    request: AuthenticatedRequest,
    period: Period,
    unit: Unit,
    config: RulebookConfig,
    typed: dict[int, str] | None = None,
) -> Standing:
    scopes = Scopes(MONTH, period, config)
    return page_meter(scopes, _page_decider(request, unit), unit, typed)


def _rows(
    request: AuthenticatedRequest,
    period: Period,
    config: RulebookConfig,
    sheets: list[Sheet],
    bound: dict[int, DecisionForm] | None = None,
) -> list[dict[str, Any]]:
    names = {level.code: level.name for level in config.levels}
    offered = exception_offered(Scopes(MONTH, period, config), sheets)
    undecided = [sheet for sheet in sheets if not sheet.is_decided]
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader) for sheet in undecided])
    rows = []
    for sheet in sheets:
        sheet.period = period  # no query per row for whatever reads it
        vetoes = (
            [
                veto.reason
                for veto in applicable_vetoes(
                    config, facts[sheet.person_id], period.start, period.end
                )
            ]
            if sheet.person_id in facts
            else ([sheet.veto_reason] if sheet.veto_reason else [])
        )
        can_decide = bool(getattr(sheet, "user_may_decide", False))  # `with_decidable`
        # A row's fields are written out by the template (300 rows × 3 widgets rendered by
        # Django's form templates took a second): the form itself only when it was posted.
        form = (bound or {}).get(sheet.pk)
        rows.append(
            {
                "sheet": sheet,
                "url": reverse("evaluations:sheet_detail", args=[sheet.pk]),
                "band": names.get(sheet.band, sheet.band),
                "self_level": names.get(sheet.self_level, ""),
                "manager_level": names.get(sheet.manager_level, ""),
                "decided_level": names.get(sheet.decided_level, ""),
                "vetoes": vetoes,
                "can_decide": can_decide,
                "levels": level_choices(config, sheet.band),
                "offer_exception": sheet.pk in offered and not vetoes,
                "form": form,
                "fields": _fields(sheet, form),
            }
        )
    return rows


def _fields(sheet: Sheet, form: DecisionForm | None) -> dict[str, Any]:
    """What the decision fields of a row show: as posted (with errors), else the proposal."""
    if form is None:
        return {"level": sheet.manager_level or sheet.band, "reason": "", "use_exception": False}
    return {
        "level": form["level"].value(),
        "reason": form["reason"].value() or "",
        "use_exception": bool(form.data.get(form.add_prefix("use_exception"))),
        "errors": form.errors,
    }


@login_required
def decision_page(request: AuthenticatedRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """GET: the page. POST `action=decide` with `sheet`: one decision (htmx: the row and the
    quota meter). POST `action=accept_all`: every proposal that needs no reason, then the
    list of those skipped and why."""
    period = get_object_or_404(
        periods_visible_to(request.user).select_related("rulebook", "organisation"), pk=period_pk
    )
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not (
        has_role_over(request.user, permissions.DECIDER_ROLES, unit)
        or sheets_decided_by(request.user, period, unit).exists()
    ):
        raise PermissionDenied
    config = config_of(period)
    if request.htmx and "preview" in request.GET:
        # The meter as the head types: the levels chosen but not yet decided stand in for
        # the proposals (a GET: nothing is written).
        typed = typed_levels(request.GET, "s", config)
        preview = {
            **_page_context(period, unit, config),
            "meter": _quota(request, period, unit, config, typed),
        }
        return render(request, "evaluations/decision_page.html#meter", preview)
    context: dict[str, Any] = _page_context(period, unit, config)
    bound: dict[int, DecisionForm] = {}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "accept_all":
        try:
            context["accepted"] = accept_all_proposals(period, unit, by=request.user)
        except EvaluationError as error:
            context["error"] = str(error)
    elif action == "decide":
        sheet = get_object_or_404(sheets_of_unit(period, unit), pk=request.POST.get("sheet") or 0)
        if _already_decided(request, sheet):
            # A double click or a retry: the decision stands, nothing is written twice.
            messages.info(request, _("This sheet was already decided. Nothing was saved twice."))
        elif not permissions.can_decide(request.user, sheet):
            raise PermissionDenied
        else:
            form = DecisionForm(request.POST, config=config, prefix=f"s{sheet.pk}")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    decide_sheet(
                        sheet,
                        by=request.user,
                        level=data["level"],
                        reason=data["reason"],
                        use_exception=bool(data.get("use_exception")),
                    )
                except EvaluationError as error:
                    if not _already_decided(request, Sheet.objects.get(pk=sheet.pk)):
                        form.add_error(None, str(error))
                        bound[sheet.pk] = form
            else:
                bound[sheet.pk] = form
        if request.htmx:
            return _row_response(request, period, unit, config, sheet.pk, bound)
    sheets = list(with_decidable(sheets_of_unit(period, unit), request.user))
    context["rows"] = _rows(request, period, config, sheets, bound)
    context["meter"] = _quota(request, period, unit, config)
    context["decidable"] = sum(1 for row in context["rows"] if row["can_decide"])
    status = 422 if bound and not request.htmx else 200
    return render(request, "evaluations/decision_page.html", context, status=status)


def _already_decided(request: AuthenticatedRequest, sheet: Sheet) -> bool:
    """Decided by this user (or for the head they stand in for)."""
    return sheet.status == Sheet.Status.DECIDED and (
        sheet.decided_by_id == request.user.pk or permissions.acts_as_decider(request.user, sheet)
    )


def _page_context(period: Period, unit: Unit, config: RulebookConfig) -> dict[str, Any]:
    return {
        "period": period,
        "unit": unit,
        "config": config,
        "levels": [(level.code, level.name) for level in config.levels],
        "decide_url": reverse("evaluations:decision_page", args=[period.pk, unit.pk]),
        "prefix": "s",
        "anchor": "sheet",
        "figures": "evaluations/includes/decision_figures_month.html",
        "year": False,
    }


def _row_response(
    request: AuthenticatedRequest,
    period: Period,
    unit: Unit,
    config: RulebookConfig,
    sheet_pk: int,
    bound: dict[int, DecisionForm],
) -> HttpResponse:
    """The swapped row, and the quota meter out of band."""
    sheet = with_decidable(sheets_of_unit(period, unit), request.user).get(pk=sheet_pk)
    context = {
        **_page_context(period, unit, config),
        "row": _rows(request, period, config, [sheet], bound)[0],
        "meter": _quota(request, period, unit, config),
        "oob": True,
    }
    template = "evaluations/decision_page.html"
    html = render_to_string(template + "#row", context, request=request)
    html += render_to_string(template + "#meter", context, request=request)
    return HttpResponse(html)
