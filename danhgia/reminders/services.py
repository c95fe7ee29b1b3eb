"""The reminder job: record, notify in the app, then e-mail. Never the same reminder twice."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.models import Notification
from danhgia.reminders.models import Reminder, ReminderRun
from danhgia.reminders.rules import RULES, Notice, RunContext

REMINDER_ACTION_LABELS: dict[str, Any] = {
    "reminders.sent": gettext_lazy("reminders sent"),
}
INSERT_BATCH = 2000
EMAIL_BATCH = 500


@dataclass(frozen=True)
class ReminderSummary:
    """What one run recorded: in-app reminders sent, and e-mails handed to the queue."""

    reminders: int
    emails: int


# An e-mail to send: (reminder ids, address, subject, body). Plain tuples: huey pickles them.
# One e-mail per address and rule of a run (a day): the day's reminders of a kind as a digest.
Email = tuple[list[int], str, str, str]


def send_reminders(today: datetime.date) -> ReminderSummary:
    """Send every reminder due on `today` by every rule of `RULES`, once.

    In one transaction: a `ReminderRun`, a `Reminder` row per notice and channel (a key
    already recorded, by an earlier run or a concurrent one, is skipped), an in-app
    notification for each new in-app row and one `reminders.sent` audit row. After the
    commit, the new e-mails go to the huey queue in batches (`tasks.send_reminder_emails`;
    inline under pytest or HUEY_IMMEDIATE=1), where `deliver_emails` sends them. Texts are in
    the site's language (`LANGUAGE_CODE`): users keep no language of their own yet.
    """
    from danhgia.reminders.tasks import send_reminder_emails  # tasks import this module

    with translation.override(settings.LANGUAGE_CODE):
        run, emails = _record(today)
    ReminderRun.objects.filter(pk=run.pk).update(finished_at=clock.now())
    for start in range(0, len(emails), EMAIL_BATCH):
        send_reminder_emails(run.pk, emails[start : start + EMAIL_BATCH])
    return ReminderSummary(run.reminders, len(emails))


def deliver_emails(run_id: int, emails: list[Email]) -> tuple[int, int]:
    """Send one batch over one connection; mark its reminders sent, or record the error on
    them (a failed e-mail is recorded, not retried: the in-app reminder stands). Counts
    go on the run. Returns (sent, failed)."""
    ids = [reminder_id for reminder_ids, *_ in emails for reminder_id in reminder_ids]
    mailer = get_connection()
    messages = [
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=mailer,
        )
        for _, address, subject, body in emails
    ]
    try:
        mailer.send_messages(messages)
    except Exception as error:  # any backend failure is recorded on the rows
        Reminder.objects.filter(pk__in=ids).update(error=str(error)[:300])
        failed = len(messages)
        ReminderRun.objects.filter(pk=run_id).update(emails_failed=F("emails_failed") + failed)
        return 0, failed
    Reminder.objects.filter(pk__in=ids).update(sent_at=clock.now())
    sent = len(messages)
    ReminderRun.objects.filter(pk=run_id).update(emails_sent=F("emails_sent") + sent)
    return sent, 0


@transaction.atomic
def _record(today: datetime.date) -> tuple[ReminderRun, list[Email]]:
    now = clock.now()
    run = ReminderRun.objects.create(day=today, started_at=now)
    context = RunContext.build(today)
    notices = {notice.key: notice for rule in RULES for notice in rule.notices(context)}
    # Skip what earlier runs sent (one read); the unique key still settles a concurrent run.
    _insert(_rows(run, notices.values(), now, _sent_before(notices.values())))
    # Only the rows this run inserted carry its id: those are the reminders to send.
    new = Reminder.objects.filter(run=run).values_list(
        "pk", "channel", "rule", "step", "object_type", "object_id", "recipient_id", "deadline"
    )
    app: list[tuple[int, Notice]] = []
    by_address: dict[tuple[str, str], list[tuple[int, Notice]]] = {}
    for pk, channel, *key in new.order_by("pk"):
        notice = notices[tuple(key)]  # type: ignore[index]
        if channel == Reminder.Channel.APP:
            app.append((pk, notice))
        else:
            by_address.setdefault((notice.recipient.email, notice.rule), []).append((pk, notice))
    notifications_url = reverse("core:notifications")
    emails: list[Email] = [
        _digest_email(address, found, notifications_url)
        for (address, _rule), found in by_address.items()
    ]
    # Every key is new (it names a new row): bulk, without `notify_many`'s look-up of keys.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=notice.recipient.user_id,
                message=notice.message[:500],
                url=notice.url,
                kind=f"reminder.{notice.rule}.{notice.step}",
                key=f"reminder:{pk}",
                created_at=now,
            )
            for pk, notice in app
        ],
        batch_size=INSERT_BATCH,
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


Key = tuple[str, str, str, int, int, datetime.date, str]


def _sent_before(notices: Any) -> set[Key]:
    """The keys (with the channel) already recorded for the rules and deadlines at hand."""
    rules = {notice.rule for notice in notices}
    deadlines = {notice.deadline for notice in notices}
    if not rules:
        return set()
    return set(
        Reminder.objects.filter(rule__in=rules, deadline__in=deadlines).values_list(
            "rule", "step", "object_type", "object_id", "recipient_id", "deadline", "channel"
        )
    )


# Columns written for a new reminder, in this order (`notification` is linked afterwards).
_COLUMNS = [
    "run_id", "rule", "step", "object_type", "object_id", "recipient_id", "deadline",
    "channel", "period_id", "organisation_id", "count", "message", "email", "created_at",
    "sent_at", "error",
]  # fmt: skip


def _rows(
    run: ReminderRun, notices: Any, now: datetime.datetime, sent: set[Key]
) -> Iterator[tuple[Any, ...]]:
    """A row per notice and channel not sent before (tuples in `_COLUMNS` order)."""
    app, email = Reminder.Channel.APP.value, Reminder.Channel.EMAIL.value
    for notice in notices:
        head = (run.pk, *notice.key[:-1], notice.deadline)
        tail = (notice.period_id, notice.organisation_id, notice.count, notice.message[:500])
        if (*notice.key, app) not in sent:
            yield (*head, app, *tail, "", now, now, "")
        address = notice.recipient.email
        if address and (*notice.key, email) not in sent:
            yield (*head, email, *tail, address, now, None, "")


def _insert(rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert reminders without model instances, skipping keys already there (a concurrent
    run): COPY into a temporary table then one INSERT … ON CONFLICT DO NOTHING on
    PostgreSQL, INSERT OR IGNORE in batches elsewhere. Table and column names come from the
    model's metadata, values are parameters."""
    table = Reminder._meta.db_table
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS reminder_in ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            cursor.execute("TRUNCATE reminder_in")
            with cursor.copy(f"COPY reminder_in ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reminder_in "  # noqa: S608
                "ORDER BY rule, step, object_type, object_id, recipient_id, deadline, channel "
                "ON CONFLICT DO NOTHING"
            )
            return
        placeholders = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        iterator = iter(rows)
        while batch := [_adapted(row) for row in islice(iterator, INSERT_BATCH)]:
            cursor.executemany(sql, batch)


def _adapted(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Dates and times as Django stores them on SQLite (UTC text)."""
    ops = connection.ops
    return tuple(
        ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.datetime)
        else ops.adapt_datefield_value(value)
        if isinstance(value, datetime.date)
        else value
        for value in row
    )


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


def _digest_email(address: str, found: list[tuple[int, Notice]], notifications_url: str) -> Email:
    """One e-mail of a run's reminders of one rule to one address: a single reminder as it
    is, several as a list under one subject."""
    notices = [notice for _pk, notice in found]
    first = notices[0]
    subject = (
        first.subject
        if len(notices) == 1
        else _("%(count)d reminders: %(subject)s")
        % {"count": len(notices), "subject": first.subject}
    )
    return [pk for pk, _notice in found], address, subject, _body(notices, notifications_url)


def _body(notices: list[Notice], notifications_url: str) -> str:
    site = settings.SITE_URL
    name = notices[0].recipient.name
    lines = [_("Dear %(name)s,") % {"name": name} if name else "", ""]
    for notice in notices:
        lines += [notice.message, _("Open: %(link)s") % {"link": f"{site}{notice.url}"}, ""]
    lines += [
        "-- ",
        _("An automatic reminder of the evaluation system. Your notifications: %(link)s")
        % {"link": f"{site}{notifications_url}"},
    ]
    return "\n".join(lines).lstrip("\n")
