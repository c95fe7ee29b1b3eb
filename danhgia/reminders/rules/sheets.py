"""The period deadlines: self-evaluation, review and decision of sheets."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from danhgia.evaluations.holders import decider_reviews, holder_counts, reviewer_reviews
from danhgia.evaluations.models import Period, Sheet
from danhgia.reminders.rules.common import (
    BEFORE,
    OVERDUE,
    Contact,
    Notice,
    RunContext,
    contact,
    contacts_of,
    day,
    field_name,
    period_label,
    sheet_url_template,
    subject_for,
)


class SheetRule:
    """A period deadline for sheets in some statuses: remind whoever holds them before it,
    tell the decider and HR after it. Subclasses say which deadline, which sheets and whom."""

    code = ""
    label: Any = ""
    deadline_field = ""
    # The recipient of the reminder before the deadline: "person" (one per sheet), or whoever
    # holds the sheet's "review" or "decision" (`holders`: one reminder with the count).
    holder = ""

    def waiting(self) -> Q:
        raise NotImplementedError

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        raise NotImplementedError

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        raise NotImplementedError

    def holder_url(self) -> str:
        raise NotImplementedError

    def subject(self, step: str, due: datetime.date) -> str:
        """The deadline by its field's name ("hạn tự đánh giá"), and the date."""
        return subject_for(step, field_name(Period, self.deadline_field), due)

    def notices(self, context: RunContext) -> Iterator[Notice]:
        by_step: dict[str, list[Period]] = {BEFORE: [], OVERDUE: []}
        for period in context.periods.values():
            step = context.step_on(getattr(period, self.deadline_field), period.organisation.path)
            if step is not None:
                by_step[step].append(period)
        if by_step[BEFORE]:
            yield from self._before(context, {p.pk: p for p in by_step[BEFORE]})
        if by_step[OVERDUE]:
            yield from self._overdue(context, {p.pk: p for p in by_step[OVERDUE]})

    def _notice(
        self,
        period: Period,
        step: str,
        object_type: str,
        object_id: int,
        recipient: Contact,
        count: int,
        text: tuple[str, str],
        url: str,
    ) -> Notice:
        return Notice(
            rule=self.code,
            step=step,
            object_type=object_type,
            object_id=object_id,
            recipient=recipient,
            deadline=getattr(period, self.deadline_field),
            organisation_id=period.organisation_id,
            period_id=period.pk,
            count=count,
            subject=text[0],
            message=text[1],
            url=url,
        )

    def _before(self, context: RunContext, periods: dict[int, Period]) -> Iterator[Notice]:
        sheets = Sheet.objects.filter(self.waiting(), period_id__in=list(periods))
        if self.holder == "person":
            rows = sheets.filter(person__user__isnull=False).values_list(
                "pk", "period_id", "person__user_id", "person__email", "person__user__email",
                "person__full_name",
            )  # fmt: skip
            # The same words for everyone of a period; the link differs by the sheet only.
            texts = {
                pk: self.before_text(1, period, getattr(period, self.deadline_field))
                for pk, period in periods.items()
            }
            url = sheet_url_template()
            for pk, period_id, user_id, person_email, user_email, name in rows.order_by("pk"):
                yield self._notice(
                    periods[period_id], BEFORE, "sheet", pk,
                    contact(user_id, person_email, user_email, name),
                    1, texts[period_id], url.format(pk),
                )  # fmt: skip
            return
        # Whoever holds the sheets now (named, deputy by delegation, stand-in): one reminder
        # each with their count, as their pages list them (`holders`).
        counted = holder_counts(self.holder, sheets, context.today)
        contacts = contacts_of({user_id for _period_id, user_id in counted})
        for period_id, user_id in sorted(counted):
            period = periods[period_id]
            due = getattr(period, self.deadline_field)
            n = counted[(period_id, user_id)]
            yield self._notice(
                period, BEFORE, "period", period.pk, contacts[user_id], n,
                self.before_text(n, period, due), self.holder_url(),
            )  # fmt: skip

    def _overdue(self, context: RunContext, periods: dict[int, Period]) -> Iterator[Notice]:
        """Escalation: whoever holds the decision of late sheets gets their count, HR the
        period's."""
        sheets = Sheet.objects.filter(self.waiting(), period_id__in=list(periods))
        counted = holder_counts("decision", sheets, context.today)
        contacts = contacts_of({user_id for _period_id, user_id in counted})
        for period_id, user_id in sorted(counted):
            period = periods[period_id]
            due = getattr(period, self.deadline_field)
            n = counted[(period_id, user_id)]
            yield self._notice(
                period, OVERDUE, "period", period.pk, contacts[user_id], n,
                self.overdue_text(n, period, due), reverse("evaluations:decision_list"),
            )  # fmt: skip
        totals = dict(sheets.values_list("period_id").annotate(n=Count("pk")).order_by("period_id"))
        for period_id, total in totals.items():
            period = periods[period_id]
            due = getattr(period, self.deadline_field)
            for officer in context.hr_for(period.organisation.path):
                yield self._notice(
                    period, OVERDUE, "period_hr", period.pk, officer, total,
                    self.overdue_text(total, period, due), reverse("evaluations:period_list"),
                )  # fmt: skip


class SelfEvaluationRule(SheetRule):
    """The person self-evaluates and submits by `self_evaluation_due`."""

    code = "self_evaluation"
    label = gettext_lazy("self-evaluation")
    deadline_field = "self_evaluation_due"
    holder = "person"

    def waiting(self) -> Q:
        return Q(status__in=[Sheet.Status.DRAFT, Sheet.Status.RETURNED])

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            _(
                "Your self-evaluation for %(period)s is due on %(date)s: score yourself and "
                "submit the sheet."
            )
            % {"period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d person in %(period)s has not submitted their self-evaluation, due "
                "on %(date)s.",
                "%(count)d people in %(period)s have not submitted their self-evaluation, due "
                "on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )


class ReviewRule(SheetRule):
    """The named reviewer reviews submitted sheets by `review_due` (when the decider reviews
    the person themself, the sheet waits for the decision instead: `DecisionRule`)."""

    code = "review"
    label = gettext_lazy("review")
    deadline_field = "review_due"
    holder = "review"

    def waiting(self) -> Q:
        return Q(status=Sheet.Status.SUBMITTED) & reviewer_reviews()

    def holder_url(self) -> str:
        return reverse("evaluations:my_sheets")

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            ngettext(
                "%(count)d sheet of %(period)s is waiting for your review, due on %(date)s.",
                "%(count)d sheets of %(period)s are waiting for your review, due on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d sheet of %(period)s has not been reviewed; the review was due on "
                "%(date)s.",
                "%(count)d sheets of %(period)s have not been reviewed; the review was due on "
                "%(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )


class DecisionRule(SheetRule):
    """The named decider decides reviewed sheets (and submitted ones they review themself)
    by `decision_due`."""

    code = "decision"
    label = gettext_lazy("decision")
    deadline_field = "decision_due"
    holder = "decision"

    def waiting(self) -> Q:
        return Q(status=Sheet.Status.REVIEWED) | (
            Q(status=Sheet.Status.SUBMITTED) & decider_reviews()
        )

    def holder_url(self) -> str:
        return reverse("evaluations:decision_list")

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            ngettext(
                "%(count)d sheet of %(period)s is waiting for your decision, due on %(date)s.",
                "%(count)d sheets of %(period)s are waiting for your decision, due on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d sheet of %(period)s has no decided level; the decision was due on "
                "%(date)s.",
                "%(count)d sheets of %(period)s have no decided level; the decision was due on "
                "%(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )
