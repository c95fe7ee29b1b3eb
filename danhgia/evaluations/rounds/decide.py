"""Decide one row, or accept every plain proposal: the same judgement of the quota for both
(`Scopes.judge`), so the same final levels are accepted whatever the order of the clicks."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.rounds.kind import Decision, RoundKind
from danhgia.evaluations.rounds.quota import Verdict
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.ceiling import above_band_refusal
from danhgia.evaluations.rules.levels import level_name, lowest_level
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services.categories import Configs, rulebook_of


@dataclass(frozen=True)
class Skipped:
    sheet: Any
    reason: str


@dataclass
class AcceptResult:
    """What "accept all" did: the sheets decided, and those left with why."""

    decided: list[Any] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def require_forced_level(
    kind: RoundKind, config: RulebookConfig, name: str, level: str, reasons: str
) -> None:
    """A veto forces the lowest level whatever the score: refuse any other, with the vetoes'
    `reasons`."""
    forced = lowest_level(config)
    if level != forced:
        raise kind.error(
            _("%(name)s's level is “%(level)s” whatever the score: %(reasons)s")
            % {"name": name, "level": level_name(config, forced), "reasons": reasons}
        )


def require_within_band(kind: RoundKind, config: RulebookConfig, sheet: Any, level: str) -> None:
    """Refuse a level above the band of the sheet's score when the rulebook forbids raising
    it (`rules.ceiling`); an unknown level is left to `kind.check_level`."""
    if level in {item.code for item in config.levels}:
        refusal = above_band_refusal(config, level, sheet.band)
        if refusal:
            raise kind.error(refusal)


def veto_refusal(reasons: str) -> str:
    """Why "accept all" leaves a sheet under a veto to the head."""
    return _("A veto applies: %(reasons)s Decide it on its own.") % {"reasons": reasons}


def exception_used(kind: RoundKind, verdict: Verdict, *, use_exception: bool, reason: str) -> bool:
    """Whether the decision uses the exception share: raises `kind.error` when the quota
    refuses it, or the exception is needed but not asked for or has no reason."""
    if verdict.outcome == "blocked":
        raise kind.error(verdict.explanation)
    if verdict.outcome == "allowed":
        return False
    if not use_exception:
        raise kind.error(
            verdict.explanation
            + " "
            + _("If the unit has outstanding achievements, use the exception and give the reason.")
        )
    if not reason:
        raise kind.error(_("Give the reason for using the exception to the quota."))
    return True


def write(kind: RoundKind, period: Any, sheet: Any, decision: Decision) -> Any:
    """Record the decision on the sheet, audit it (before/after and the kind's figures), then
    what the kind does after (notify the person, mark the figures changed)."""
    fields = kind.decision_fields
    before = {name: getattr(sheet, name) for name in fields}
    sheet.status = kind.decided_status
    sheet.decided_level = decision.level
    sheet.decision_reason = decision.reason
    sheet.quota_exception = decision.quota_exception
    sheet.decided_by = decision.by
    sheet.decided_at = clock.now()
    kind.fill(sheet, decision)
    sheet.save(update_fields=fields)
    after = {name: getattr(sheet, name) for name in fields}
    before["decided_by"] = None
    after["decided_by"] = decision.by.pk
    data = {"before": before, "after": after, **kind.audit_facts(sheet, decision)}
    log_action(sheet, kind.decided_action, by=decision.by, data=data)
    kind.decided(period, sheet, decision)
    return sheet


def lock_scope(kind: RoundKind, scopes: Scopes, sheet: Any) -> Any:
    """Lock every sheet of the quota scope `sheet` is judged in, then return the sheet as it
    now is (locked), until the transaction ends.

    The quota counts the decider's whole unit (groups with similar tasks are counted inside
    it), so two decisions of one scope wait for each other and the second judges the first's
    outcome; decisions of other scopes go on. Rows are locked in pk order, so two decisions
    of nested scopes (a head of a department and of one of its divisions) wait rather than
    deadlock. A sheet moved to another scope meanwhile has that scope locked too."""
    while True:
        key = scopes.key(sheet.decider_id, sheet.unit)
        decider_id, path = key
        rows = kind.sheets(scopes.period).filter(decider_id=decider_id, unit__path__startswith=path)
        list(rows.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))
        sheet = kind.lock_sheet(sheet)
        if scopes.key(sheet.decider_id, sheet.unit) == key:
            return sheet


def decide(
    kind: RoundKind, sheet: Any, *, by: User, level: str, reason: str, use_exception: bool
) -> Any:
    """The head decides one row of the round, for good: the band as a ceiling when the
    rulebook makes it one, the kind's rules (who, when, vetoes, caps, reasons), then the
    quota on the round's best case after this decision. Locks the sheets of the quota scope
    (`lock_scope`) and holds the period (`kind.hold_period`)."""
    period = kind.hold_period(kind.period_id(sheet))
    scopes = Scopes(kind, period, kind.config(period))
    sheet = lock_scope(kind, scopes, sheet)
    kind.require_decider(sheet, period, by)
    # The sheet's own rules decide its level; the quota is the period's, organisation-wide.
    config = kind.sheet_config(period, sheet)
    reason = reason.strip()
    extra = kind.prepare(config, period, [sheet])[sheet.pk]
    level = (level or "").strip()
    require_within_band(kind, config, sheet, level)
    level = kind.check_level(config, sheet, level, reason, extra)
    verdict = scopes.judge(sheet, level)
    exception = exception_used(kind, verdict, use_exception=use_exception, reason=reason)
    write(kind, period, sheet, Decision(by, config, level, reason, extra, exception))
    kind.settle(period, by)
    return sheet


def _sheet_rules(
    kind: RoundKind, period: Any, sheets: Sequence[Any], default: RulebookConfig
) -> tuple[dict[int, RulebookConfig], dict[int, Any]]:
    """Each sheet's rules and what deciding it needs (`kind.prepare`), by pk: each rulebook
    parsed and prepared once."""
    rules = Configs(period, default, kind.error)
    groups: dict[int, list[Any]] = {}
    for sheet in sheets:
        groups.setdefault(rulebook_of(sheet, period).pk, []).append(sheet)
    configs: dict[int, RulebookConfig] = {}
    extras: dict[int, Any] = {}
    for group in groups.values():
        config = rules.of(group[0])
        configs.update({sheet.pk: config for sheet in group})
        extras.update(kind.prepare(config, period, group))
    return configs, extras


def accept_all(
    kind: RoundKind, period: Any, sheets: Sequence[Any], *, by: User, result: AcceptResult
) -> AcceptResult:
    """Decide `sheets` (locked, of a locked period) at their standing proposal. Skipped with
    the reason: a proposal above a band that is a ceiling, what the kind leaves to the head (a
    veto, a proposal that needs a reason) and a proposal the quota refuses. Levels below the
    top first, then the top by descending score, each judged as one decision would be."""
    kind.require_deciding(period)
    if not sheets:
        return result
    quota_config = kind.config(period)
    top = quota_config.quota.top_level
    configs, extras = _sheet_rules(kind, period, sheets, quota_config)
    scopes = Scopes(kind, period, quota_config)

    def order(sheet: Any) -> tuple[bool, Any, int]:
        return (kind.proposal(sheet) == top, -(kind.score(sheet) or 0), sheet.pk)

    for sheet in sorted(sheets, key=order):
        config = configs[sheet.pk]
        # A proposal above a band the rulebook makes a ceiling is left to the head, not
        # lowered silently (docs/decisions.md).
        refusal = above_band_refusal(config, kind.proposal(sheet), sheet.band)
        refusal = refusal or kind.accept_refusal(config, sheet, extras[sheet.pk])
        if refusal:
            result.skipped.append(Skipped(sheet, refusal))
            continue
        level = kind.proposal(sheet)
        verdict = scopes.judge(sheet, level)
        if verdict.outcome != "allowed":
            result.skipped.append(Skipped(sheet, verdict.explanation))
            continue
        write(kind, period, sheet, Decision(by, config, level, "", extras[sheet.pk], False))
        scopes.record(sheet, level, exception=False)
        result.decided.append(sheet)
    if result.decided:
        kind.settle(period, by)
    return result
