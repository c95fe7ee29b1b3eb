"""Appeals (khiếu nại): the person contests a decided level within the organisation's number
of days, with text and files; the head (or, by rulebook, the head above) keeps the level or
changes it; the person may withdraw while no answer is given.

A change on appeal keeps the earlier decision as SheetVersion(cause "appeal") and counts the
sheet's version up, like reopening, but the sheet stays decided. Vetoes and the quota apply
as for a decision. Every step is logged on the sheet (`appeal.submitted`, `appeal.answered`,
`appeal.withdrawn`, with the appeal's id) so the sheet's history tells the whole story.
"""

import datetime
import secrets
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.models import Appeal, AppealFile, Period, Sheet, SheetVersion
from danhgia.evaluations.permissions import can_answer_appeal, can_appeal, can_withdraw_appeal
from danhgia.evaluations.policy import policy_for
from danhgia.evaluations.rounds.decide import (
    exception_used,
    require_forced_level,
    require_within_band,
)
from danhgia.evaluations.rounds.month import DECISION_FIELDS, MONTH, veto_reasons
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.levels import level_name
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto, applicable_vetoes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.common import (
    check_level,
    day,
    hr_contact,
    locked,
    sheet_url,
)
from danhgia.evaluations.services.reopen import decision_data, keep_version
from danhgia.evaluations.services.sheets import rescore_leaders
from danhgia.evaluations.services.versions import figures_changed
from danhgia.organisations.authority import decider_for
from danhgia.organisations.models import Person, Role, UnitRole
from danhgia.work.services import WorkError
from danhgia.work.services.evidence import CheckedFile, check_evidence

# An appeal counts against the decision it contests unless it was withdrawn.
COUNTED_STATUSES = (Appeal.Status.SUBMITTED, Appeal.Status.UPHELD, Appeal.Status.CHANGED)
UPHELD = Appeal.Status.UPHELD
CHANGED = Appeal.Status.CHANGED


def appeal_deadline(sheet: Sheet) -> datetime.date | None:
    """The last day to appeal: the local day of the decision plus the organisation's
    `appeal_days` (that day included); None while the sheet is not decided."""
    if not sheet.is_decided or sheet.decided_at is None:
        return None
    days = policy_for(sheet.unit).appeal_days
    return timezone.localdate(sheet.decided_at) + datetime.timedelta(days=days)


def decided_on_appeal(sheet: Sheet) -> bool:
    """The current decision is the answer to an appeal (a level changed on appeal)."""
    return SheetVersion.objects.filter(
        sheet=sheet, number=sheet.version - 1, cause=SheetVersion.Cause.APPEAL
    ).exists()


def already_appealed(sheet: Sheet) -> bool:
    """One appeal per decision (a withdrawn one does not count); a level changed on appeal
    is that appeal's answer, not a new decision to appeal."""
    counted = Appeal.objects.filter(
        sheet=sheet, sheet_version=sheet.version, status__in=COUNTED_STATUSES
    )
    return counted.exists() or decided_on_appeal(sheet)


def pending_appeal(sheet: Sheet) -> Appeal | None:
    return Appeal.objects.filter(sheet=sheet, status=Appeal.Status.SUBMITTED).first()


def appeal_answerer(sheet: Sheet, config: RulebookConfig) -> User | None:
    """Who answers, by the rulebook (`deadlines.appeal_answered_by`): the sheet's decider
    ("head", the default), or the head who decides for the decider ("superior"). None when
    there is nobody: the HR officers over the unit answer."""
    if config.deadlines.appeal_answered_by != "superior":
        return sheet.decider
    if sheet.decider_id is None:
        return None
    decider_person = Person.objects.filter(user_id=sheet.decider_id).select_related("unit").first()
    if decider_person is None:
        return None
    return decider_for(decider_person, sheet.period.start)


def _hr_officers(sheet: Sheet) -> list[User]:
    organisation = sheet.period.organisation
    roles = UnitRole.objects.active_on(clock.today()).filter(
        role=Role.HR_OFFICER, unit_id__in=organisation.ancestor_ids
    )
    return list(User.objects.filter(pk__in=roles.values("user_id")).order_by("pk"))


def _check_files(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    try:
        return [check_evidence(upload) for upload in files]
    except WorkError as error:
        raise EvaluationError(str(error)) from error


def _store(appeal: Appeal, checked: CheckedFile) -> AppealFile:
    stored = AppealFile(
        appeal=appeal,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_at=clock.now(),
    )
    checked.upload.seek(0)
    stored.file.save(f"{secrets.token_hex(16)}{checked.extension}", checked.upload, save=False)
    stored.save()
    return stored


@transaction.atomic
def submit_appeal(
    sheet: Sheet, *, by: User, text: str, files: Sequence[UploadedFile] = ()
) -> Appeal:
    """The person appeals their decided level with the grounds and files (checked like task
    evidence), whatever the period's state.

    Names the answerer (see `appeal_answerer`) and the answer due date (the organisation's
    `appeal_answer_days` from today). Logs `appeal.submitted` on the sheet; notifies the
    answerer (or the HR officers). Raises EvaluationError for anyone but the person, a sheet
    not decided, an appeal already made against this decision (one per decision; a withdrawn
    one does not count), the window passed (the message names the last day and whom to
    contact), no text, or a refused file.
    """
    sheet = locked(sheet)
    if not can_appeal(by, sheet):
        raise EvaluationError(_("Only the person whose level was decided can appeal it."))
    deadline = appeal_deadline(sheet)
    assert deadline is not None  # decided
    if clock.today() > deadline:
        raise EvaluationError(
            _(
                "The time to appeal this decision ended on %(date)s (%(days)d days after the "
                "decision). Contact %(contact)s."
            )
            % {
                "date": day(deadline),
                "days": policy_for(sheet.unit).appeal_days,
                "contact": hr_contact(sheet.period),
            }
        )
    if already_appealed(sheet):
        raise EvaluationError(
            _(
                "You have already appealed this decision; its answer (or the answer to come) "
                "is on the sheet. A further complaint goes to %(contact)s."
            )
            % {"contact": hr_contact(sheet.period)}
        )
    text = text.strip()
    if not text:
        raise EvaluationError(_("Write the grounds of your appeal."))
    checked = _check_files(files)
    config = sheet_config(sheet)
    answerer = appeal_answerer(sheet, config)
    now = clock.now()
    answer_days = policy_for(sheet.unit).appeal_answer_days
    appeal = Appeal.objects.create(
        sheet=sheet,
        sheet_version=sheet.version,
        text=text,
        submitted_at=now,
        answer_due=timezone.localdate(now) + datetime.timedelta(days=answer_days),
        answerer=answerer,
    )
    stored = [_store(appeal, item) for item in checked]
    log_action(
        sheet,
        "appeal.submitted",
        by=by,
        data={
            "appeal": appeal.pk,
            "sheet_version": appeal.sheet_version,
            "decided_level": sheet.decided_level,
            "text": text,
            "answerer": answerer.pk if answerer else None,
            "answer_due": appeal.answer_due,
            "appeal_deadline": deadline,
            "files": [{"name": item.original_name, "sha256": item.sha256} for item in stored],
        },
    )
    message = _("%(name)s appeals the level decided for %(period)s. Answer by %(date)s.") % {
        "name": sheet.person.full_name,
        "period": sheet.period,
        "date": day(appeal.answer_due),  # type: ignore[arg-type]
    }
    for user in [answerer] if answerer else _hr_officers(sheet):
        notify(user, message, url=sheet_url(sheet), kind="appeal.submitted")
    return appeal


def _locked_appeal(appeal: Appeal) -> tuple[Appeal, Sheet]:
    """Lock the period (decisions in it are serialised for the quota), the sheet, the appeal."""
    sheet_row = Sheet.objects.values("period_id").get(pk=appeal.sheet_id)
    Period.objects.select_for_update(of=("self",)).filter(pk=sheet_row["period_id"]).first()
    sheet = locked(Sheet(pk=appeal.sheet_id))
    appeal = Appeal.objects.select_for_update(of=("self",)).get(pk=appeal.pk)
    appeal.sheet = sheet
    return appeal, sheet


def _vetoes(config: RulebookConfig, sheet: Sheet) -> list[Veto]:
    period = sheet.period
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader)])[sheet.person_id]
    return applicable_vetoes(config, facts, period.start, period.end)


def _check_new_level(
    config: RulebookConfig, sheet: Sheet, level: str, *, use_exception: bool
) -> tuple[list[Veto], bool]:
    """The band as a ceiling, vetoes and the quota, as for a decision; returns (vetoes, quota
    exception used)."""
    if level == sheet.decided_level:
        raise EvaluationError(
            _("“%(level)s” is the level already decided: keep the level instead.")
            % {"level": level_name(config, level)}
        )
    require_within_band(MONTH, config, sheet, level)
    vetoes = _vetoes(config, sheet)
    if vetoes:
        require_forced_level(MONTH, config, sheet.person.full_name, level, veto_reasons(vetoes))
        return vetoes, False
    # The round's judgement, as for a decision; the answer is the exception's reason.
    verdict = Scopes(MONTH, sheet.period, config).judge(sheet, level)
    return vetoes, exception_used(MONTH, verdict, use_exception=use_exception, reason="answer")


@transaction.atomic
def answer_appeal(
    appeal: Appeal,
    *,
    by: User,
    outcome: str,
    answer: str,
    new_level: str = "",
    use_exception: bool = False,
) -> Appeal:
    """Answer a pending appeal: keep the level (`outcome` "upheld") or change it ("changed"),
    with a written answer either way, whatever the period's state.

    A change keeps the current decision as SheetVersion(cause "appeal", the answer as reason,
    the appeal's id in its data), counts the version up and sets the new level with the answer
    as the decision's reason; the sheet stays decided, decided by the answerer now. A veto
    allows only the lowest level; a level above the band is refused when the rulebook makes the
    band a ceiling; the top level is checked against the decider's quota.
    Logs `appeal.answered` on the sheet (before/after); notifies the person.

    Raises EvaluationError for anyone who may not answer (see `can_answer_appeal`), an appeal
    already answered or withdrawn, no answer, an unknown level or the one already decided,
    a veto, or the quota.
    """
    appeal, sheet = _locked_appeal(appeal)
    if appeal.status != Appeal.Status.SUBMITTED:
        raise EvaluationError(
            _("This appeal is %(status)s: it can no longer be answered.")
            % {"status": appeal.get_status_display()}
        )
    if not can_answer_appeal(by, appeal):
        raise EvaluationError(_("Only the person named to answer this appeal can answer it."))
    if outcome not in (UPHELD, CHANGED):
        raise EvaluationError(_("Choose whether the level is kept or changed."))
    answer = answer.strip()
    if not answer:
        raise EvaluationError(_("Write the answer to the appeal: the person reads it."))
    config = sheet_config(sheet)
    before = decision_data(sheet)
    now = clock.now()
    if outcome == CHANGED:
        level = check_level(config, new_level, required=True)
        vetoes, quota_exception = _check_new_level(
            config, sheet, level, use_exception=use_exception
        )
        version = keep_version(sheet, cause=SheetVersion.Cause.APPEAL, reason=answer, by=by)
        version.data["appeal"] = appeal.pk
        version.save(update_fields=["data"])
        sheet.decided_level = level
        sheet.decision_reason = answer
        sheet.veto = vetoes[0].code if vetoes else ""
        sheet.veto_reason = " ".join(veto.reason for veto in vetoes)
        sheet.quota_exception = quota_exception
        sheet.decided_by = by
        sheet.decided_at = now
        sheet.save(update_fields=["version", *DECISION_FIELDS])
        figures_changed([sheet.period_id])
        rescore_leaders([sheet], by=by)  # their leaders' d follows the new level
        appeal.new_level = level
    appeal.status = outcome
    appeal.answer = answer
    appeal.answered_at = now
    appeal.answered_by = by
    appeal.save(update_fields=["status", "answer", "new_level", "answered_at", "answered_by"])
    log_action(
        sheet,
        "appeal.answered",
        by=by,
        data={
            "appeal": appeal.pk,
            "outcome": outcome,
            "answer": answer,
            "before": before,
            "after": decision_data(sheet) | {"version": sheet.version},
        },
    )
    if outcome == CHANGED:
        message = _("Your appeal for %(period)s was answered: the level is now %(level)s.") % {
            "period": sheet.period,
            "level": level_name(config, sheet.decided_level),
        }
    else:
        message = _("Your appeal for %(period)s was answered: the level %(level)s is kept.") % {
            "period": sheet.period,
            "level": level_name(config, sheet.decided_level),
        }
    notify(sheet.person.user, message, url=sheet_url(sheet), kind="appeal.answered")
    return appeal


@transaction.atomic
def withdraw_appeal(appeal: Appeal, *, by: User) -> Appeal:
    """The person withdraws their appeal while it waits for an answer (they may appeal again
    within the window). Logs `appeal.withdrawn` on the sheet; notifies the answerer.
    Raises EvaluationError for anyone but the person or an appeal already answered."""
    appeal, sheet = _locked_appeal(appeal)
    if appeal.status != Appeal.Status.SUBMITTED:
        raise EvaluationError(
            _("This appeal is %(status)s: it can no longer be withdrawn.")
            % {"status": appeal.get_status_display()}
        )
    if not can_withdraw_appeal(by, appeal):
        raise EvaluationError(_("Only the person who appealed can withdraw the appeal."))
    appeal.status = Appeal.Status.WITHDRAWN
    appeal.save(update_fields=["status"])
    log_action(
        sheet,
        "appeal.withdrawn",
        by=by,
        data={
            "appeal": appeal.pk,
            "before": {"status": Appeal.Status.SUBMITTED},
            "after": {"status": appeal.status},
        },
    )
    if appeal.answerer_id is not None and appeal.answerer is not None:
        notify(
            appeal.answerer,
            _("%(name)s withdrew the appeal for %(period)s.")
            % {"name": sheet.person.full_name, "period": sheet.period},
            url=sheet_url(sheet),
            kind="appeal.withdrawn",
        )
    return appeal
