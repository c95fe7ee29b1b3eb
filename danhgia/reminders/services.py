"""The reminder job: record, notify in the app, then e-mail. Never the same reminder twice."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.models import Notification
from danhgia.core.notifications import notify_many
from danhgia.reminders.models import Reminder, ReminderRun
from danhgia.reminders.rules import RULES, Notice, RunContext

REMINDER_ACTION_LABELS: dict[str, Any] = {
    "reminders.sent": gettext_lazy("reminders sent"),
}
INSERT_BATCH = 2000
EMAIL_BATCH = 500


@dataclass(frozen=True)
class ReminderSummary:
    """What one run sent: in-app reminders, e-mails sent and e-mails that failed."""

    reminders: int
    emails_sent: int
    emails_failed: int


@dataclass(frozen=True)
class _Email:
    reminder_id: int
    address: str
    subject: str
    body: str


def send_reminders(today: datetime.date) -> ReminderSummary:
    """Send every reminder due on `today` by every rule of `RULES`, once.

    In one transaction: a `ReminderRun`, a `Reminder` row per notice and channel (inserted
    with the unique key ignoring conflicts, so a reminder already sent, by an earlier run or a
    concurrent one, is skipped), an in-app notification for each new in-app row and one
    `reminders.sent` audit row. After the commit, the new e-mail rows are sent and marked
    `sent_at` (or given the `error`): a failed e-mail is recorded, not retried. Texts are in
    the site's language (`LANGUAGE_CODE`): users keep no language of their own yet.
    """
    with translation.override(settings.LANGUAGE_CODE):
        run, emails = _record(today)
        sent, failed = _send_emails(emails)
    ReminderRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), emails_sent=sent, emails_failed=failed
    )
    return ReminderSummary(run.reminders, sent, failed)


@transaction.atomic
def _record(today: datetime.date) -> tuple[ReminderRun, list[_Email]]:
    now = timezone.now()
    run = ReminderRun.objects.create(day=today, started_at=now)
    context = RunContext.build(today)
    notices = {notice.key: notice for rule in RULES for notice in rule.notices(context)}
    Reminder.objects.bulk_create(
        _rows(run, notices.values(), now), batch_size=INSERT_BATCH, ignore_conflicts=True
    )
    # Only the rows this run inserted carry its id: those are the reminders to send.
    new = Reminder.objects.filter(run=run).values_list(
        "pk", "channel", "rule", "step", "object_type", "object_id", "recipient_id", "deadline"
    )
    app: list[tuple[int, Notice]] = []
    emails: list[_Email] = []
    for pk, channel, *key in new.order_by("pk"):
        notice = notices[tuple(key)]  # type: ignore[index]
        if channel == Reminder.Channel.APP:
            app.append((pk, notice))
        else:
            emails.append(_Email(pk, notice.recipient.email, notice.subject, _body(notice)))
    notify_many(
        (
            User(pk=notice.recipient.user_id),
            notice.message,
            notice.url,
            f"reminder.{notice.rule}.{notice.step}",
            f"reminder:{pk}",
        )
        for pk, notice in app
    )
    if app:
        _link_notifications(run)
    run.reminders = len(app)
    run.save(update_fields=["reminders"])
    if app:
        log_action(
            run,
            "reminders.sent",
            data={
                "day": today.isoformat(),
                "reminders": len(app),
                "emails": len(emails),
                "by_rule": _by_rule(notice for _, notice in app),
            },
        )
    return run, emails


def _rows(run: ReminderRun, notices: Any, now: datetime.datetime) -> list[Reminder]:
    rows = []
    for notice in notices:
        common = {
            "run": run,
            "rule": notice.rule,
            "step": notice.step,
            "object_type": notice.object_type,
            "object_id": notice.object_id,
            "recipient_id": notice.recipient.user_id,
            "deadline": notice.deadline,
            "period_id": notice.period_id,
            "organisation_id": notice.organisation_id,
            "count": notice.count,
            "message": notice.message[:500],
            "created_at": now,
        }
        rows.append(Reminder(channel=Reminder.Channel.APP, sent_at=now, **common))
        if notice.recipient.email:
            rows.append(
                Reminder(channel=Reminder.Channel.EMAIL, email=notice.recipient.email, **common)
            )
    return rows


def _link_notifications(run: ReminderRun) -> None:
    """Point each new in-app reminder at its notification (key "reminder:<id>"): one query."""
    key = Concat(Value("reminder:"), Cast(OuterRef("pk"), output_field=CharField()))
    Reminder.objects.filter(run=run, channel=Reminder.Channel.APP).update(
        notification_id=Subquery(Notification.objects.filter(key=key).values("pk")[:1])
    )


def _by_rule(notices: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for notice in notices:
        name = f"{notice.rule}.{notice.step}"
        counts[name] = counts.get(name, 0) + 1
    return counts


def _body(notice: Notice) -> str:
    site = settings.SITE_URL
    lines = [
        _("Dear %(name)s,") % {"name": notice.recipient.name} if notice.recipient.name else "",
        "",
        notice.message,
        "",
        _("Open: %(link)s") % {"link": f"{site}{notice.url}"},
        "",
        "-- ",
        _("An automatic reminder of the evaluation system. Your notifications: %(link)s")
        % {"link": f"{site}{reverse('core:notifications')}"},
    ]
    return "\n".join(lines).lstrip("\n")


def _send_emails(emails: list[_Email]) -> tuple[int, int]:
    """Send in batches over one connection; mark each batch sent or record its error."""
    if not emails:
        return 0, 0
    sent = failed = 0
    connection = get_connection()
    for start in range(0, len(emails), EMAIL_BATCH):
        batch = emails[start : start + EMAIL_BATCH]
        messages = [
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.address],
                connection=connection,
            )
            for email in batch
        ]
        ids = [email.reminder_id for email in batch]
        try:
            connection.send_messages(messages)
        except Exception as error:  # noqa: BLE001 - any backend failure is recorded
            Reminder.objects.filter(pk__in=ids).update(error=str(error)[:300])
            failed += len(batch)
            continue
        Reminder.objects.filter(pk__in=ids).update(sent_at=timezone.now())
        sent += len(batch)
    return sent, failed
