"""The round of a month or a quarter (`Period`, `Sheet`): its guards, its level rules (a veto
forces the lowest level; a level other than the score's band needs a reason), its rows and
how a decision is written."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.holders import reviewed_by_decider
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES, acts_as_decider
from danhgia.evaluations.rounds.quota import Row
from danhgia.evaluations.rules.levels import level_name, lowest_level
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto, applicable_vetoes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import (
    check_level,
    config_of,
    locked,
    require_before,
    require_not_decided,
    require_period_open,
    sheet_url,
    snapshot,
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


def vetoes_of(
    config: RulebookConfig, period: Period, sheets: Sequence[Sheet]
) -> dict[int, list[Veto]]:
    """The vetoes that apply to each sheet's person this period, by person id."""
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader) for sheet in sheets])
    return {
        person_id: applicable_vetoes(config, person_facts, period.start, period.end)
        for person_id, person_facts in facts.items()
    }


class MonthRound:
    error = EvaluationError
    decided_action = "sheet.decided"

    def config(self, period: Period) -> RulebookConfig:
        return config_of(period)

    def headship_window(self, period: Period) -> tuple[datetime.date, datetime.date]:
        return period.start, period.end

    def sheets(self, period: Period) -> QuerySet[Sheet]:
        return Sheet.objects.filter(period=period)

    def lock_period(self, pk: int) -> Period:
        return (
            Period.objects.select_for_update(of=("self",))
            .select_related("rulebook", "organisation")
            .get(pk=pk)
        )

    def lock_sheet(self, sheet: Sheet) -> Sheet:
        return locked(sheet)

    def period_id(self, sheet: Sheet) -> int:
        return sheet.period_id

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
            forced = lowest_level(config)
            if level != forced:
                raise EvaluationError(
                    _("%(name)s's level is “%(level)s” whatever the score: %(reasons)s")
                    % {
                        "name": sheet.person.full_name,
                        "level": level_name(config, forced),
                        "reasons": " ".join(veto.reason for veto in extra),
                    }
                )
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
            reasons = " ".join(veto.reason for veto in extra)
            return _("A veto applies: %(reasons)s Decide it on its own.") % {"reasons": reasons}
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

    def rows(self, config: RulebookConfig, period: Period, sheets: Sequence[Sheet]) -> list[Row]:
        undecided = [sheet for sheet in sheets if not sheet.is_decided]
        vetoes = vetoes_of(config, period, undecided) if undecided else {}
        lowest = lowest_level(config)
        return [
            Row(
                pk=sheet.pk,
                person_id=sheet.person_id,
                name=sheet.person.full_name,
                group=sheet.task_group,
                decided=sheet.decided_level if sheet.is_decided else "",
                proposal=self.proposal(sheet),
                ceiling=lowest if vetoes.get(sheet.person_id) else "",
                exception=sheet.quota_exception,
                score=sheet.total,
            )
            for sheet in sheets
        ]

    def write(
        self,
        period: Period,
        sheet: Sheet,
        *,
        by: User,
        config: RulebookConfig,
        level: str,
        reason: str,
        extra: list[Veto],
        quota_exception: bool,
    ) -> Sheet:
        before = snapshot(sheet, DECISION_FIELDS)
        sheet.status = Sheet.Status.DECIDED
        sheet.decided_level = level
        sheet.decision_reason = reason
        sheet.veto = extra[0].code if extra else ""
        sheet.veto_reason = " ".join(veto.reason for veto in extra)
        sheet.quota_exception = quota_exception
        sheet.decided_by = by
        sheet.decided_at = clock.now()
        sheet.save(update_fields=DECISION_FIELDS)
        figures_changed([sheet.period_id])
        after = snapshot(sheet, DECISION_FIELDS)
        before["decided_by"] = None
        after["decided_by"] = by.pk
        log_action(
            sheet,
            self.decided_action,
            by=by,
            data={
                "before": before,
                "after": after,
                "total": sheet.total,
                "band": sheet.band,
                "manager_level": sheet.manager_level,
                "on_behalf_of": sheet.decider_id if sheet.decider_id != by.pk else None,
            },
        )
        notify(
            sheet.person.user,
            _("Your level for %(period)s was decided: %(level)s.")
            % {"period": sheet.period, "level": level_name(config, level)},
            url=sheet_url(sheet),
            kind="sheet.decided",
        )
        return sheet

    def settle(self, period: Period, by: User) -> None:
        """A month moves on by HR's hand (`advance_period`): nothing follows here."""


MONTH = MonthRound()
