"""The year's decision round: how `AnnualPeriod`/`AnnualSheet` fit the round of
`evaluations/rounds/` (decide, accept all, the quota, close). What is annual here: the
decider as in December, a cap (absence, a head above their unit) the level cannot exceed,
a person not classified who takes no level, the computed level as the proposal, and the
classification moving to "decided" with its last decision."""

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.permissions import acts_as_decider
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.rounds.quota import Row
from danhgia.evaluations.rules.levels import level_name, lowest_level, rank
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services.common import config_of

DECISION_FIELDS = [
    "status",
    "decided_level",
    "decision_reason",
    "quota_exception",
    "decided_by",
    "decided_at",
]


class AnnualError(Exception):
    """A rule of the annual classification was broken; the message says what to do next."""


def require_open(period: AnnualPeriod) -> None:
    if period.state == AnnualPeriod.State.CLOSED:
        raise AnnualError(
            _("The annual classification %(period)s is closed: nothing in it changes.")
            % {"period": period}
        )


class YearRound:
    error = AnnualError
    decided_action = "annual.decided"

    def config(self, period: AnnualPeriod) -> RulebookConfig:
        return config_of(period, AnnualError)

    def headship_window(self, period: AnnualPeriod) -> tuple[datetime.date, datetime.date]:
        """December of the year: the decider is the head as in December."""
        return datetime.date(period.year, 12, 1), datetime.date(period.year, 12, 31)

    def sheets(self, period: AnnualPeriod) -> QuerySet[AnnualSheet]:
        """A person not classified takes no level and is not counted."""
        return AnnualSheet.objects.filter(annual_period=period).exclude(
            status=AnnualSheet.Status.NOT_CLASSIFIED
        )

    def lock_period(self, pk: int) -> AnnualPeriod:
        return (
            AnnualPeriod.objects.select_for_update(of=("self",))
            .select_related("organisation", "rulebook")
            .get(pk=pk)
        )

    def lock_sheet(self, sheet: AnnualSheet) -> AnnualSheet:
        return (
            AnnualSheet.objects.select_for_update(of=("self",))
            .select_related(
                "annual_period__rulebook", "annual_period__organisation", "person", "unit"
            )
            .get(pk=sheet.pk)
        )

    def period_id(self, sheet: AnnualSheet) -> int:
        return sheet.annual_period_id

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
            forced = lowest_level(config)
            if level != forced:
                raise AnnualError(
                    _("%(name)s's level is “%(level)s” whatever the score: %(reasons)s")
                    % {
                        "name": name,
                        "level": level_name(config, forced),
                        "reasons": sheet.veto_reason,
                    }
                )
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
        if sheet.veto:
            return _("A veto applies: %(reasons)s Decide it on its own.") % {
                "reasons": sheet.veto_reason
            }
        return ""

    def proposal(self, sheet: AnnualSheet) -> str:
        return sheet.proposed_level

    def score(self, sheet: AnnualSheet) -> Any:
        return sheet.score

    def rows(
        self, config: RulebookConfig, period: AnnualPeriod, sheets: Sequence[AnnualSheet]
    ) -> list[Row]:
        lowest = lowest_level(config)
        return [
            Row(
                pk=sheet.pk,
                person_id=sheet.person_id,
                name=sheet.person.full_name,
                group=sheet.task_group,
                decided=sheet.decided_level if sheet.is_decided else "",
                proposal=sheet.proposed_level,
                ceiling=lowest if sheet.veto else sheet.cap_level,
                exception=sheet.quota_exception,
                score=sheet.score,
            )
            for sheet in sheets
        ]

    def write(
        self,
        period: AnnualPeriod,
        sheet: AnnualSheet,
        *,
        by: User,
        config: RulebookConfig,
        level: str,
        reason: str,
        extra: Any,
        quota_exception: bool,
    ) -> AnnualSheet:
        before = {name: getattr(sheet, name) for name in DECISION_FIELDS}
        before["decided_by"] = None
        sheet.status = AnnualSheet.Status.DECIDED
        sheet.decided_level = level
        sheet.decision_reason = reason
        sheet.quota_exception = quota_exception
        sheet.decided_by = by
        sheet.decided_at = clock.now()
        sheet.save(update_fields=DECISION_FIELDS)
        after = {name: getattr(sheet, name) for name in DECISION_FIELDS}
        after["decided_by"] = by.pk
        log_action(
            sheet,
            self.decided_action,
            by=by,
            data={
                "before": before,
                "after": after,
                "score": sheet.score,
                "band": sheet.band,
                "proposed_level": sheet.proposed_level,
                "veto": sheet.veto,
                "cap_level": sheet.cap_level,
            },
        )
        notify(
            sheet.person.user,
            _("Your annual level for %(year)d was decided: %(level)s.")
            % {"year": period.year, "level": level_name(config, level)},
            url=reverse("annual:sheet_detail", args=[sheet.pk]),
            kind="annual.decided",
        )
        return sheet

    def settle(self, period: AnnualPeriod, by: User) -> None:
        """The classification moves to "decided" once no sheet waits for a decision."""
        if period.state != AnnualPeriod.State.OPEN:
            return
        if period.sheets.filter(status=AnnualSheet.Status.PENDING).exists():
            return
        period.state = AnnualPeriod.State.DECIDED
        period.save(update_fields=["state"])
        levels = Counter(period.sheets.values_list("decided_level", flat=True))
        log_action(
            period,
            "annual.all_decided",
            by=by,
            data={
                "before": {"state": "open"},
                "after": {"state": period.state},
                "levels": dict(levels),
            },
        )


YEAR = YearRound()
