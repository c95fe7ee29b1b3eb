"""What differs between the rounds of a month or quarter and of a year: one adapter per kind.

The round's logic (`decide.py`, `close.py`, `scope.py`) is written once against this
protocol; `month.py` adapts `Period`/`Sheet`, `annual/round.py` adapts
`AnnualPeriod`/`AnnualSheet`, both on `RoundBase` (what they do alike, read from the models).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet

from danhgia.accounts.models import User
from danhgia.evaluations.rounds.quota import Row
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services.categories import config_for
from danhgia.evaluations.services.common import config_of, require_manager
from danhgia.organisations.models import JobPosition


@dataclass(frozen=True)
class Decision:
    """One decision of a head: the level, its reason, what `prepare` gave for the sheet, and
    whether it uses the exception share."""

    by: User
    config: RulebookConfig
    level: str
    reason: str
    extra: Any
    quota_exception: bool


class RoundKind(Protocol):
    """The sheet model and period of a kind of round, its rules and its audit verbs."""

    @property
    def error(self) -> type[Exception]:
        """What a broken rule raises (its message says what to do next)."""

    @property
    def decided_action(self) -> str:
        """The audit verb of one decision."""

    @property
    def decided_status(self) -> str: ...

    @property
    def decision_fields(self) -> list[str]:
        """The sheet's fields a decision writes (and audits before/after)."""

    @property
    def closed_state(self) -> str: ...

    @property
    def closed_action(self) -> str:
        """The audit verb of closing the round."""

    @property
    def already_closed(self) -> Any:
        """Why a closed round does not close again (a lazy message with `%(period)s`)."""

    @property
    def not_all_decided(self) -> Any:
        """Why the round does not close yet (a lazy message with `%(count)d`)."""

    def config(self, period: Any) -> RulebookConfig:
        """The period's rules (a rulebook that no longer parses raises `error`)."""

    def sheet_config(self, period: Any, sheet: Any) -> RulebookConfig:
        """The rules one sheet is decided under (its staff category's rulebook)."""

    def headship_window(self, period: Any) -> tuple[datetime.date, datetime.date]:
        """When a headship makes its holder's unit the quota scope."""

    def sheets(self, period: Any) -> QuerySet[Any]:
        """Every sheet of the round that the quota counts."""

    def lock_period(self, pk: int) -> Any: ...

    def lock_sheet(self, sheet: Any) -> Any: ...

    def hold_period(self, pk: int) -> Any:
        """The period for one decision, held against changes to it until the transaction
        ends: exclusively when a decision may write the period (`settle`), else shared, so
        that decisions of other quota scopes go on (`decide.lock_scope`)."""

    def period_id(self, sheet: Any) -> int: ...

    def require_decider(self, sheet: Any, period: Any, by: User) -> None:
        """Refuse anyone but the decider (or a stand-in), a sheet not ready or decided, a
        period no longer deciding or its deadline passed."""

    def require_deciding(self, period: Any) -> None:
        """Refuse a period no longer deciding or its deadline passed."""

    def prepare(self, config: RulebookConfig, period: Any, sheets: Sequence[Any]) -> dict[int, Any]:
        """What deciding these sheets needs beyond the sheet (the month's vetoes), by pk."""

    def check_level(
        self, config: RulebookConfig, sheet: Any, level: str, reason: str, extra: Any
    ) -> str:
        """Refuse an unknown level or one the rules forbid (a veto, a cap, a missing
        reason); return the level as checked."""

    def accept_refusal(self, config: RulebookConfig, sheet: Any, extra: Any) -> str:
        """Why "accept all" leaves this sheet to the head ("" when it may accept it)."""

    def proposal(self, sheet: Any) -> str: ...

    def score(self, sheet: Any) -> Any: ...

    def rows(self, config: RulebookConfig, period: Any, sheets: Sequence[Any]) -> list[Row]:
        """The quota's rows of these sheets (with each undecided row's ceiling)."""

    def fill(self, sheet: Any, decision: Decision) -> None:
        """The kind's own fields of a decision (the month's veto)."""

    def audit_facts(self, sheet: Any, decision: Decision) -> dict[str, Any]:
        """What the decision's audit entry records beside before/after."""

    def decided(self, period: Any, sheet: Any, decision: Decision) -> None:
        """What follows one written decision (notify the person)."""

    def settle(self, period: Any, by: User) -> None:
        """What follows the last decision (the year moves to "decided")."""

    def require_manager(self, by: User | None, period: Any) -> None:
        """Refuse anyone but HR or an admin (`by` None is the system)."""

    def undecided(self, period: Any) -> int:
        """How many sheets keep the round from closing."""


DECISION_FIELDS = [
    "status",
    "decided_level",
    "decision_reason",
    "quota_exception",
    "decided_by",
    "decided_at",
]


class RoundBase:
    """What the adapters do alike, read from the period's model: a period with its rulebook,
    organisation and `State`, its sheets (`period.sheets`, each with its `Status`, a person, a
    unit and a group), and a manager (HR or an admin) over the organisation. An adapter names
    the period's model, its error, audit verbs and messages, and the rest of `RoundKind`."""

    error: type[Exception]
    period_model: Any  # a Model with `State.CLOSED` whose sheets are `sheets`
    managed: Any  # what HR manages, for "… manages %(what)s" (a lazy message)
    decision_fields = DECISION_FIELDS

    @property
    def period_field(self) -> str:
        """The sheet's foreign key to its period."""
        return str(self.period_model.sheets.field.name)

    @property
    def decided_status(self) -> str:
        return str(self.period_model.sheets.field.model.Status.DECIDED)

    @property
    def closed_state(self) -> str:
        return str(self.period_model.State.CLOSED)

    def config(self, period: Any) -> RulebookConfig:
        return config_of(period, self.error)

    def sheet_config(self, period: Any, sheet: Any) -> RulebookConfig:
        return config_for(sheet, period, self.error)

    def lock_period(self, pk: int) -> Any:
        return (
            self.period_model._default_manager.select_for_update(of=("self",))
            .select_related("rulebook", "organisation")
            .get(pk=pk)
        )

    def lock_sheet(self, sheet: Any) -> Any:
        period = self.period_field
        return (
            type(sheet)
            ._default_manager.select_for_update(of=("self",))
            .select_related(f"{period}__rulebook", f"{period}__organisation", "person", "unit")
            .get(pk=sheet.pk)
        )

    def hold_period(self, pk: int) -> Any:
        return self.lock_period(pk)

    def period_id(self, sheet: Any) -> int:
        return int(getattr(sheet, f"{self.period_field}_id"))

    def require_manager(self, by: User | None, period: Any) -> None:
        require_manager(by, period.organisation, self.managed, self.error)

    def proposal(self, sheet: Any) -> str:
        raise NotImplementedError

    def score(self, sheet: Any) -> Any:
        raise NotImplementedError

    def ceilings(
        self, config: RulebookConfig, period: Any, sheets: Sequence[Any]
    ) -> dict[int, str]:
        """The level each undecided sheet cannot exceed (a veto, a cap), by pk."""
        raise NotImplementedError

    def rows(self, config: RulebookConfig, period: Any, sheets: Sequence[Any]) -> list[Row]:
        ceilings = self.ceilings(
            config, period, [sheet for sheet in sheets if not sheet.is_decided]
        )
        groups = group_labels({sheet.task_group for sheet in sheets})
        return [
            Row(
                pk=sheet.pk,
                person_id=sheet.person_id,
                name=sheet.person.full_name,
                group=groups.get(sheet.task_group, sheet.task_group),
                decided=sheet.decided_level if sheet.is_decided else "",
                proposal=self.proposal(sheet),
                ceiling=ceilings.get(sheet.pk, ""),
                exception=sheet.quota_exception,
                score=self.score(sheet),
            )
            for sheet in sheets
        ]


def group_labels(codes: set[str]) -> dict[str, str]:
    """The name people know each group with similar tasks by (a sheet keeps its job
    position's code): the quota's meter and messages say "Chuyên viên tổ chức cán bộ", not
    "TCCB". A name two codes share keeps its code in brackets, so groups never merge."""
    names = dict(JobPosition.objects.filter(code__in=codes - {""}).values_list("code", "name"))
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {code: f"{name} ({code})" if name in shared else name for code, name in names.items()}
