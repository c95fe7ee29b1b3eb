"""The year's decision round: how `AnnualPeriod`/`AnnualSheet` fit the round of
`evaluations/rounds/` (decide, accept all, the quota, close). What is annual here: the
decider as in December, a cap (absence, a head above their unit) the level cannot exceed,
a person not classified who takes no level, the computed level as the proposal, and the
classification moving to "decided" with its last decision."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.permissions import acts_as_decider
from danhgia.core import clock
from danhgia.core.notifications import notify
from danhgia.evaluations.rounds.close import log_state_with_levels
from danhgia.evaluations.rounds.decide import require_forced_level, veto_refusal
from danhgia.evaluations.rounds.kind import Decision, RoundBase
from danhgia.evaluations.rules.levels import level_name, lowest_level, rank
from danhgia.evaluations.rules.schema import RulebookConfig


class AnnualError(Exception):
    """A rule of the annual classification was broken; the message says what to do next."""


def require_open(period: AnnualPeriod) -> None:
    if period.state == AnnualPeriod.State.CLOSED:
        raise AnnualError(
            _("The classification of %(period)s is closed: nothing in it changes.")
            % {"period": period}
        )


class YearRound(RoundBase):
    error = AnnualError
    period_model = AnnualPeriod
    managed = gettext_lazy("its annual classification")
    decided_action = "annual.decided"
    closed_action = "annual.closed"
    already_closed = gettext_lazy("The classification of %(period)s is already closed.")
    not_all_decided = gettext_lazy(
        "%(count)d annual levels are not decided yet: every level must be decided before the "
        "classification closes."
    )

    def headship_window(self, period: AnnualPeriod) -> tuple[datetime.date, datetime.date]:
        """December of the year: the decider is the head as in December."""
        return datetime.date(period.year, 12, 1), datetime.date(period.year, 12, 31)

    def sheets(self, period: AnnualPeriod) -> QuerySet[AnnualSheet]:
        """A person not classified takes no level and is not counted."""
        return AnnualSheet.objects.filter(annual_period=period).exclude(
            status=AnnualSheet.Status.NOT_CLASSIFIED
        )

    def require_deciding(self, period: AnnualPeriod) -> None:
        require_open(period)
        if clock.today() > period.decision_due:
            raise AnnualError(
                _(
                    "The deadline for the annual decision was %(date)s. Ask the HR officer to "
                    "extend it."
                )
                % {"date": date_format(period.decision_due, "SHORT_DATE_FORMAT")}
            )

    def require_decider(self, sheet: AnnualSheet, period: AnnualPeriod, by: User) -> None:
        if sheet.status == AnnualSheet.Status.DECIDED:
            raise AnnualError(
                _("The annual level of %(name)s has been decided and can no longer change.")
                % {"name": sheet.person.full_name}
            )
        if sheet.status == AnnualSheet.Status.NOT_CLASSIFIED:
            raise AnnualError(
                _("%(name)s is not classified this year: %(reason)s")
                % {"name": sheet.person.full_name, "reason": sheet.not_classified_reason}
            )
        if not acts_as_decider(by, sheet):
            raise AnnualError(
                _("Only the head who decides for %(name)s can decide this level.")
                % {"name": sheet.person.full_name}
            )
        self.require_deciding(period)

    def prepare(
        self, config: RulebookConfig, period: AnnualPeriod, sheets: Sequence[AnnualSheet]
    ) -> dict[int, Any]:
        """The year's vetoes and caps are on the sheet, computed at the opening."""
        return {sheet.pk: None for sheet in sheets}

    def check_level(
        self, config: RulebookConfig, sheet: AnnualSheet, level: str, reason: str, extra: Any
    ) -> str:
        """The reason rules of the monthly decision, plus the caps."""
        if level not in {item.code for item in config.levels}:
            raise AnnualError(_("“%(code)s” is not a level of this rulebook.") % {"code": level})
        name = sheet.person.full_name
        if sheet.veto:
            require_forced_level(self, config, name, level, sheet.veto_reason)
            return level
        if sheet.cap_level and rank(config, level) > rank(config, sheet.cap_level):
            raise AnnualError(
                _("%(name)s's level can be at most “%(level)s”: %(reason)s")
                % {
                    "name": name,
                    "level": level_name(config, sheet.cap_level),
                    "reason": sheet.cap_reason,
                }
            )
        if level != sheet.proposed_level and not reason:
            raise AnnualError(
                _(
                    "“%(level)s” differs from the computed level (annual score %(score)s: "
                    "“%(proposed)s”). Give the reason for the difference."
                )
                % {
                    "level": level_name(config, level),
                    "score": number_format(sheet.score or 0, 2),
                    "proposed": level_name(config, sheet.proposed_level),
                }
            )
        return level

    def accept_refusal(self, config: RulebookConfig, sheet: AnnualSheet, extra: Any) -> str:
        return veto_refusal(sheet.veto_reason) if sheet.veto else ""

    def proposal(self, sheet: AnnualSheet) -> str:
        return sheet.proposed_level

    def score(self, sheet: AnnualSheet) -> Any:
        return sheet.score

    def ceilings(
        self, config: RulebookConfig, period: AnnualPeriod, sheets: Sequence[AnnualSheet]
    ) -> dict[int, str]:
        """A veto holds the sheet at the lowest level, a cap at the cap (set at the opening)."""
        lowest = lowest_level(config)
        return {sheet.pk: lowest if sheet.veto else sheet.cap_level for sheet in sheets}

    def audit_facts(self, sheet: AnnualSheet, decision: Decision) -> dict[str, Any]:
        return {
            "score": sheet.score,
            "band": sheet.band,
            "proposed_level": sheet.proposed_level,
            "veto": sheet.veto,
            "cap_level": sheet.cap_level,
        }

    def fill(self, sheet: AnnualSheet, decision: Decision) -> None:
        """The year's veto and cap are on the sheet since the opening."""

    def decided(self, period: AnnualPeriod, sheet: AnnualSheet, decision: Decision) -> None:
        notify(
            sheet.person.user,
            _("Your annual level for %(year)d was decided: %(level)s.")
            % {"year": period.year, "level": level_name(decision.config, decision.level)},
            url=reverse("annual:sheet_detail", args=[sheet.pk]),
            kind="annual.decided",
        )

    def settle(self, period: AnnualPeriod, by: User) -> None:
        """The classification moves to "decided" once no sheet waits for a decision."""
        if period.state != AnnualPeriod.State.OPEN:
            return
        if period.sheets.filter(status=AnnualSheet.Status.PENDING).exists():
            return
        period.state = AnnualPeriod.State.DECIDED
        period.save(update_fields=["state"])
        log_state_with_levels(period, "annual.all_decided", by=by, before="open")

    def undecided(self, period: AnnualPeriod) -> int:
        return period.sheets.filter(status=AnnualSheet.Status.PENDING).count()


YEAR = YearRound()
