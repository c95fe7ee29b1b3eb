"""What the evaluation services share: the period's rules, locking, guards with messages
that say what to do next, totals and before/after snapshots."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES, can_manage_periods
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.rules.reading import round_points
from danhgia.evaluations.rules.schema import RulebookConfig, RuleError, parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.organisations.models import Role, Unit, UnitRole

HUNDRED = Decimal(100)


class HasRulebook(Protocol):
    rulebook: Rulebook


def config_of(period: HasRulebook, error: type[Exception] = EvaluationError) -> RulebookConfig:
    """The rules of a period (a month, a quarter or a year). A rulebook that no longer parses
    is an error HR must fix (raised as `error`)."""
    try:
        return parse_rulebook(period.rulebook)
    except RuleError as failure:
        raise error(
            _("The rulebook “%(name)s” is invalid (%(error)s). Ask the HR officer to fix it.")
            % {"name": period.rulebook.name, "error": failure}
        ) from failure


def require_manager(
    by: User | None, organisation: Unit, what: str, error: type[Exception] = EvaluationError
) -> None:
    """`by` None is the system (a timer's command); a user needs HR or admin over the
    organisation to manage `what` (its periods, its annual classification)."""
    if by is not None and not can_manage_periods(by, organisation):
        raise error(
            _("Only the HR officer or a system administrator over %(unit)s manages %(what)s.")
            % {"unit": organisation.name, "what": what}
        )


def freeze_rulebook(rulebook: Rulebook, by: User | None) -> None:
    """Freeze the rulebook the first time a period (a month, a quarter, a year) uses it: a
    conditional UPDATE, so a rulebook already frozen is neither locked nor logged again."""
    now = clock.now()
    if Rulebook.objects.filter(pk=rulebook.pk, frozen_at__isnull=True).update(frozen_at=now):
        rulebook.frozen_at = now
        log_action(
            rulebook,
            "rulebook.frozen",
            by=by,
            data={"before": {"frozen_at": None}, "after": {"frozen_at": now}},
        )


def locked(sheet: Sheet) -> Sheet:
    return (
        Sheet.objects.select_for_update(of=("self",))
        .select_related("period__rulebook", "period__organisation", "person", "unit", "rulebook")
        .get(pk=sheet.pk)
    )


def day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def sheet_url(sheet: Sheet) -> str:
    """The sheet's page once the evaluation pages exist; until then no link."""
    try:
        return reverse("evaluations:sheet_detail", args=[sheet.pk])
    except NoReverseMatch:
        return ""


def hr_contact(period: Period) -> str:
    """Who extends a deadline: the HR officers over the organisation today, by name."""
    organisation = period.organisation
    names = sorted(
        {
            role.user.person.full_name if hasattr(role.user, "person") else role.user.username
            for role in UnitRole.objects.active_on(clock.today())
            .filter(role=Role.HR_OFFICER, unit_id__in=organisation.ancestor_ids)
            .select_related("user__person")
        }
    )
    if names:
        return _("the HR officer (%(names)s)") % {"names": ", ".join(names)}
    return _("the HR office of %(organisation)s") % {"organisation": organisation.name}


def require_not_decided(sheet: Sheet) -> None:
    if sheet.status == Sheet.Status.DECIDED:
        raise EvaluationError(
            _(
                "This sheet has been decided and can no longer change. An appeal goes to the HR "
                "officer."
            )
        )


def require_period_open(sheet: Sheet) -> None:
    if sheet.period.state not in OPEN_PERIOD_STATES:
        raise EvaluationError(
            _("The period %(period)s is %(state)s: sheets can no longer change.")
            % {"period": sheet.period, "state": sheet.period.get_state_display()}
        )


def require_before(due: datetime.date, what: str, period: Period) -> None:
    """Refuse after a deadline, naming it and who can extend it."""
    if clock.today() > due:
        raise EvaluationError(
            _("The deadline for %(what)s was %(date)s. Ask %(contact)s to extend it.")
            % {"what": what, "date": day(due), "contact": hr_contact(period)}
        )


def general_of(sheet: Sheet) -> Decimal:
    """The general-criteria points that count: the manager's once reviewed, else the person's."""
    if sheet.manager_general is not None:
        return sheet.manager_general
    return sheet.self_general if sheet.self_general is not None else Decimal(0)


def update_total(sheet: Sheet, config: RulebookConfig) -> None:
    sheet.total = min(HUNDRED, round_points(general_of(sheet) + Decimal(sheet.task_points)))
    sheet.band = band_for(config, sheet.total)


def snapshot(sheet: Sheet, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(sheet, name) for name in fields}


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """(before, after) restricted to the fields that changed."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def check_level(config: RulebookConfig, code: str, *, required: bool) -> str:
    code = (code or "").strip()
    if not code:
        if required:
            raise EvaluationError(_("Propose a level first."))
        return ""
    if code not in {level.code for level in config.levels}:
        raise EvaluationError(_("“%(code)s” is not a level of this rulebook.") % {"code": code})
    return code
