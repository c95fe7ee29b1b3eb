"""Periods and rulebooks for the HR officer: the periods with their state and deadlines, open
one, move it on, close it; the rulebooks and their parts in plain words."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.evaluations import permissions
from danhgia.evaluations.forms import OpenPeriodForm
from danhgia.evaluations.models import Period, Rulebook
from danhgia.evaluations.queries import periods_visible_to
from danhgia.evaluations.rulebook_forms import ROUNDING_WORDS, VETO_WORDS
from danhgia.evaluations.rules.reading import PART_NAMES
from danhgia.evaluations.rules.schema import RuleError, parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.newcomers import add_missing_sheets, people_without_sheet
from danhgia.evaluations.services.periods import advance_period, close_period, open_period
from danhgia.organisations.models import Unit, UnitKind
from danhgia.organisations.queries import units_visible_to

# The units a period is opened for (a division is evaluated within its department).
ORGANISATION_KINDS = [
    UnitKind.PROVINCE,
    UnitKind.DEPARTMENT,
    UnitKind.COMMUNE,
    UnitKind.DISTRICT,
    UnitKind.PUBLIC_SERVICE,
]


@login_required
def period_list(request: AuthenticatedRequest) -> HttpResponse:
    """The periods in the HR officer's scope, newest first, and the form to open one."""
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    organisations = units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS)
    form = OpenPeriodForm(request.POST or None, organisations=organisations.order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = open_period(
                data["organisation"], data["month"], kind=data["kind"], by=request.user
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Period %(period)s opened: %(count)d sheets.")
                % {"period": period, "count": period.sheets.count()},
            )
            return redirect("evaluations:period_list")
    periods = periods_visible_to(request.user).select_related("organisation", "rulebook")
    rows = []
    for period in periods.order_by("-start", "organisation__path")[:100]:
        can_manage = permissions.can_manage_periods(request.user, period.organisation)
        is_open = period.state in permissions.OPEN_PERIOD_STATES
        rows.append(
            {
                "period": period,
                "can_manage": can_manage,
                # One count per open period (a handful): who joined since it opened.
                "missing": people_without_sheet(period).count() if can_manage and is_open else 0,
            }
        )
    return render(request, "evaluations/period_list.html", {"form": form, "rows": rows})


def period_view(
    periods: Callable[[User], QuerySet[Any]],
    may_manage: Callable[[User, Unit], bool],
    act: Callable[[AuthenticatedRequest, Any], str],
    *,
    error: type[Exception],
    back: str,
) -> Callable[..., HttpResponse]:
    """HR's button on one period of a list (move on, close, recompute; a month or a year): a
    POST on a period in the user's scope (`periods`), only by HR or an admin over its
    organisation; the message of what `act` did, or the error it raised; back to the list."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        period = get_object_or_404(periods(request.user).select_related("organisation"), pk=pk)
        if not may_manage(request.user, period.organisation):
            raise PermissionDenied
        try:
            done = act(request, period)
        except error as failure:
            messages.error(request, str(failure))
        else:
            messages.success(request, done)
        return redirect(back)

    return view


def _moved(move: Callable[..., Period]) -> Callable[[AuthenticatedRequest, Period], str]:
    def act(request: AuthenticatedRequest, period: Period) -> str:
        period = move(period, by=request.user)
        state = period.get_state_display()
        return _("%(period)s is now: %(state)s.") % {"period": period, "state": state}

    return act


_period_view = partial(
    period_view,
    periods_visible_to,
    permissions.can_manage_periods,
    error=EvaluationError,
    back="evaluations:period_list",
)
period_advance = _period_view(_moved(advance_period))
period_close = _period_view(_moved(close_period))


# Rulebooks


def _rulebooks(request: AuthenticatedRequest) -> Any:
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    return Rulebook.objects.select_related("organisation", "based_on")


@login_required
def rulebook_list(request: AuthenticatedRequest) -> HttpResponse:
    rulebooks = _rulebooks(request)
    return render(request, "evaluations/rulebook_list.html", {"rulebooks": list(rulebooks.all())})


@login_required
def rulebook_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A rulebook's parts in plain words, each with the note on why its numbers were chosen."""
    rulebook = get_object_or_404(_rulebooks(request), pk=pk)
    actions = {
        "rulebook": rulebook,
        "can_clone": permissions.can_clone_rulebook(request.user, rulebook),
        "can_edit": permissions.can_edit_rulebook(request.user, rulebook),
    }
    try:
        config = parse_rulebook(rulebook)
    except RuleError as error:
        return render(request, "evaluations/rulebook_detail.html", {**actions, "error": error})
    names = {level.code: level.name for level in config.levels}
    return render(
        request,
        "evaluations/rulebook_detail.html",
        {
            **actions,
            "config": config,
            # Pairs, not dicts: a "items" key would hide .items in templates.
            "sources": {part: sorted(texts.items()) for part, texts in config.sources.items()},
            "parts": PART_NAMES,
            "level_names": names,
            "quota_top": names[config.quota.top_level],
            "quota_base": names[config.quota.base_level],
            "share_pct": config.quota.share * 100,
            "exception_pct": config.quota.exception_share * 100,
            "vetoes": [VETO_WORDS.get(code, code) for code in config.vetoes],
            "rounding": ROUNDING_WORDS[config.quota.rounding],
        },
    )


@login_required
@require_POST
def period_add_missing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """HR adds the sheets of people who joined after the period opened."""
    period = get_object_or_404(
        periods_visible_to(request.user).select_related("organisation"), pk=pk
    )
    if not permissions.can_manage_periods(request.user, period.organisation):
        raise PermissionDenied
    try:
        added = add_missing_sheets(period, by=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)d sheet(s) added to %(period)s.") % {"count": len(added), "period": period},
        )
    return redirect("evaluations:period_list")
