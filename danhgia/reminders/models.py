"""Reminders and escalation: every reminder sent is a row, and its key is unique, so the same
reminder is never sent twice however often (or however concurrently) the job runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderRun(models.Model):
    """One run of the reminder job: the day it ran for and what it sent."""

    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("reminders"), default=0)
    emails_sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    emails_failed = models.PositiveIntegerField(_("e-mails not sent"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} #{self.pk}"


class Reminder(models.Model):
    """One reminder to one person on one channel: before a deadline, or after it (escalation).

    The key (rule, step, object, recipient, deadline, channel) is unique: a second run inserts
    nothing and so sends nothing; a moved deadline makes a new key and earns a new reminder.
    `object_type` says what `object_id` is: a sheet (the person's own reminder), a period (a
    count of sheets waiting for a reviewer, decider or HR) or an appeal.
    """

    class Step(models.TextChoices):
        BEFORE = "before", _("before the deadline")
        OVERDUE = "overdue", _("after the deadline (escalation)")

    class Channel(models.TextChoices):
        APP = "app", _("in the app")
        EMAIL = "email", _("e-mail")

    run = models.ForeignKey(ReminderRun, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=40)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    period = models.ForeignKey(
        "evaluations.Period",
        verbose_name=_("evaluation period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("items concerned"), default=1)
    message = models.CharField(_("message"), max_length=500)
    email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    notification = models.ForeignKey(
        "core.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "rule",
                    "step",
                    "object_type",
                    "object_id",
                    "recipient",
                    "deadline",
                    "channel",
                ],
                name="reminder_once",
            ),
        ]
        indexes = [models.Index(fields=["run", "channel"])]

    def __str__(self) -> str:
        return self.message
