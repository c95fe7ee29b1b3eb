"""The head's decisions on a month or a quarter: the units waiting for them, and what their
decision page (`rounds/views.py`, one page for every kind of round) reads of a month."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.evaluations import permissions
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.holders import decidable_by, delegations_in_force, with_decidable
from danhgia.evaluations.models import Discipline, Finding, Period, Sheet
from danhgia.evaluations.queries import (
    in_unit,
    periods_visible_to,
    sheets_decided_by,
    sheets_of_unit,
)
from danhgia.evaluations.rounds.decide import AcceptResult
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.rounds.views import decision_page as round_decision_page
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import applicable_vetoes
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles


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


class MonthPage:
    """The decision page of a month or a quarter (`rounds/views.py` is the page)."""

    round = MONTH
    url_name = "evaluations:decision_page"
    prefix = "s"
    anchor = "sheet"
    figures = "evaluations/includes/decision_figures_month.html"
    year = False

    def periods(self, user: User) -> QuerySet[Period]:
        return periods_visible_to(user).select_related("rulebook", "organisation")

    def may_open(self, user: User, period: Period, unit: Unit) -> bool:
        return (
            has_role_over(user, permissions.DECIDER_ROLES, unit)
            or sheets_decided_by(user, period, unit).exists()
        )

    def sheets(self, user: User, period: Period, unit: Unit) -> QuerySet[Sheet]:
        return with_decidable(sheets_of_unit(period, unit), user)

    def decidable(self, user: User, sheets: Sequence[Sheet]) -> set[int]:
        return {sheet.pk for sheet in sheets if getattr(sheet, "user_may_decide", False)}

    def may_decide(self, user: User, sheet: Sheet) -> bool:
        return permissions.can_decide(user, sheet)

    def already_decided(self, user: User, sheet: Sheet) -> bool:
        return sheet.status == Sheet.Status.DECIDED and (
            sheet.decided_by_id == user.pk or permissions.acts_as_decider(user, sheet)
        )

    def meter_decider(self, user: User, unit: Unit) -> int:
        """The user's own quota as a head of the unit, else that of the head who delegated
        the unit to them."""
        if has_role_over(user, permissions.DECIDER_ROLES, unit):
            return user.pk
        for delegation in delegations_in_force(user):
            if unit.path.startswith(delegation.unit.path):
                return delegation.head_id
        return user.pk

    def decide(
        self, sheet: Sheet, *, by: User, level: str, reason: str, use_exception: bool
    ) -> Sheet:
        return decide_sheet(sheet, by=by, level=level, reason=reason, use_exception=use_exception)

    def accept_all(self, period: Period, unit: Unit, *, by: User) -> AcceptResult:
        return accept_all_proposals(period, unit, by=by)

    def rows(
        self, period: Period, config: RulebookConfig, sheets: Sequence[Sheet], names: dict[str, str]
    ) -> list[dict[str, Any]]:
        undecided = [sheet for sheet in sheets if not sheet.is_decided]
        facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader) for sheet in undecided])
        rows = []
        for sheet in sheets:
            sheet.period = period  # no query per row for whatever reads it
            if sheet.person_id in facts:
                vetoes = applicable_vetoes(config, facts[sheet.person_id], period.start, period.end)
                reasons = [veto.reason for veto in vetoes]
            else:
                reasons = [sheet.veto_reason] if sheet.veto_reason else []
            rows.append(
                {
                    "url": reverse("evaluations:sheet_detail", args=[sheet.pk]),
                    "band": names.get(sheet.band, sheet.band),
                    "self_level": names.get(sheet.self_level, ""),
                    "manager_level": names.get(sheet.manager_level, ""),
                    "decided_level": names.get(sheet.decided_level, ""),
                    "vetoes": reasons,
                }
            )
        return rows

    def freshness(self, period: Period, unit: Unit) -> list[Any]:
        """The facts a row's vetoes come from: disciplines and findings of the unit's people."""
        people = sheets_of_unit(period, unit).values("person_id")
        return [
            list(Discipline.objects.filter(person_id__in=people).order_by("pk").values_list()),
            list(Finding.objects.filter(person_id__in=people).order_by("pk").values_list()),
        ]


MONTH_PAGE = MonthPage()


@login_required
def decision_page(request: AuthenticatedRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """The head's decision page of a month or a quarter (`rounds/views.py`)."""
    return round_decision_page(request, MONTH_PAGE, period_pk, unit_pk)
