"""The round of a month or a quarter (`Period`, `Sheet`): its guards, its level rules (a veto
forces the lowest level; a level other than the score's band needs a reason), its rows and
how a decision is written."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core.notifications import notify
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.holders import reviewed_by_decider
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES, acts_as_decider
from danhgia.evaluations.rounds.decide import require_forced_level, veto_refusal
from danhgia.evaluations.rounds.kind import Decision, RoundBase
from danhgia.evaluations.rules.levels import level_name, lowest_level
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto, applicable_vetoes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import (
    check_level,
    require_before,
    require_not_decided,
    require_period_open,
    sheet_url,
)
from danhgia.evaluations.services.versions import figures_changed

DECISION_FIELDS = [
    "status",
    "decided_level",
    "decision_reason",
    "veto",
    "veto_reason",
    "quota_exception",
    "decided_by",
    "decided_at",
]

# Django has no FOR SHARE (`select_for_update` is exclusive): the one raw statement.
SHARE_PERIOD = 'SELECT 1 FROM "evaluations_period" WHERE id = %s FOR SHARE'


def veto_reasons(vetoes: Sequence[Veto]) -> str:
    return " ".join(veto.reason for veto in vetoes)


def vetoes_of(
    config: RulebookConfig, period: Period, sheets: Sequence[Sheet]
) -> dict[int, list[Veto]]:
    """The vetoes that apply to each sheet's person this period, by person id."""
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader) for sheet in sheets])
    return {
        person_id: applicable_vetoes(config, person_facts, period.start, period.end)
        for person_id, person_facts in facts.items()
    }


class MonthRound(RoundBase):
    error = EvaluationError
    period_model = Period
    decision_fields = DECISION_FIELDS  # and the veto the decision records
    managed = gettext_lazy("its periods")
    decided_action = "sheet.decided"
    closed_action = "period.closed"
    already_closed = gettext_lazy("The period %(period)s is already closed.")
    not_all_decided = gettext_lazy(
        "%(count)d sheets are not decided yet: every sheet must be decided before the period "
        "closes."
    )

    def headship_window(self, period: Period) -> tuple[datetime.date, datetime.date]:
        return period.start, period.end

    def sheets(self, period: Period) -> QuerySet[Sheet]:
        return Sheet.objects.filter(period=period)

    def hold_period(self, pk: int) -> Period:
        """Shared (FOR SHARE on PostgreSQL): a month's decision never writes its period, so
        decisions wait only for HR's changes to it (advance, close, reopen, "accept all",
        which lock it exclusively) and for those of the same quota scope (`lock_scope`).
        SQLite runs one writer at a time anyway."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(SHARE_PERIOD, [pk])
        return Period.objects.select_related("rulebook", "organisation").get(pk=pk)

    def require_deciding(self, period: Period) -> None:
        if period.state not in OPEN_PERIOD_STATES:
            raise EvaluationError(
                _("The period %(period)s is %(state)s: levels can no longer be decided.")
                % {"period": period, "state": period.get_state_display()}
            )
        require_before(period.decision_due, _("the decision"), period)

    def require_decider(self, sheet: Sheet, period: Period, by: User) -> None:
        require_not_decided(sheet)
        if not acts_as_decider(by, sheet):
            raise EvaluationError(
                _("Only the head who decides for %(name)s can decide this level.")
                % {"name": sheet.person.full_name}
            )
        ready = sheet.status == Sheet.Status.REVIEWED or (
            sheet.status == Sheet.Status.SUBMITTED and reviewed_by_decider(sheet)
        )
        if not ready:
            raise EvaluationError(
                _("This sheet is %(status)s: a level is decided once the manager has reviewed it.")
                % {"status": sheet.get_status_display()}
            )
        require_period_open(sheet)
        self.require_deciding(period)

    def prepare(
        self, config: RulebookConfig, period: Period, sheets: Sequence[Sheet]
    ) -> dict[int, list[Veto]]:
        vetoes = vetoes_of(config, period, sheets)
        return {sheet.pk: vetoes.get(sheet.person_id, []) for sheet in sheets}

    def check_level(
        self, config: RulebookConfig, sheet: Sheet, level: str, reason: str, extra: list[Veto]
    ) -> str:
        level = check_level(config, level, required=True)
        if extra:
            require_forced_level(self, config, sheet.person.full_name, level, veto_reasons(extra))
        elif level != sheet.band and not reason:
            raise EvaluationError(
                _(
                    "“%(level)s” differs from the band of the score (%(total)s points: "
                    "“%(band)s”). Give the reason for the difference."
                )
                % {
                    "level": level_name(config, level),
                    "total": number_format(sheet.total, 2),
                    "band": level_name(config, sheet.band),
                }
            )
        return level

    def accept_refusal(self, config: RulebookConfig, sheet: Sheet, extra: list[Veto]) -> str:
        if extra:
            return veto_refusal(veto_reasons(extra))
        level = self.proposal(sheet)
        if level != sheet.band:
            return _(
                "The proposal “%(level)s” differs from the band “%(band)s”: decide it "
                "with a reason."
            ) % {"level": level_name(config, level), "band": level_name(config, sheet.band)}
        return ""

    def proposal(self, sheet: Sheet) -> str:
        """The standing proposal: the manager's, else the band of the score."""
        return sheet.manager_level or sheet.band

    def score(self, sheet: Sheet) -> Any:
        return sheet.total

    def ceilings(
        self, config: RulebookConfig, period: Period, sheets: Sequence[Sheet]
    ) -> dict[int, str]:
        """A veto holds the sheet at the lowest level."""
        vetoes = vetoes_of(config, period, sheets) if sheets else {}
        lowest = lowest_level(config)
        return {sheet.pk: lowest for sheet in sheets if vetoes.get(sheet.person_id)}

    def fill(self, sheet: Sheet, decision: Decision) -> None:
        sheet.veto = decision.extra[0].code if decision.extra else ""
        sheet.veto_reason = " ".join(veto.reason for veto in decision.extra)

    def audit_facts(self, sheet: Sheet, decision: Decision) -> dict[str, Any]:
        by = decision.by
        return {
            "total": sheet.total,
            "band": sheet.band,
            "manager_level": sheet.manager_level,
            "on_behalf_of": sheet.decider_id if sheet.decider_id != by.pk else None,
        }

    def decided(self, period: Period, sheet: Sheet, decision: Decision) -> None:
        notify(
            sheet.person.user,
            _("Your level for %(period)s was decided: %(level)s.")
            % {"period": sheet.period, "level": level_name(decision.config, decision.level)},
            url=sheet_url(sheet),
            kind="sheet.decided",
        )

    def settle(self, period: Period, by: User) -> None:
        """The figures changed, once for every decision of the call, last: the period's data
        version is one row that every decision of the period bumps, held until commit. A
        month moves on by HR's hand (`advance_period`)."""
        figures_changed([period])

    def undecided(self, period: Period) -> int:
        return period.sheets.exclude(status=Sheet.Status.DECIDED).count()


MONTH = MonthRound()
