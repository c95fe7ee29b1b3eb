"""The answer to an appeal, due on `Appeal.answer_due`."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.evaluations.models import Appeal, Period
from danhgia.reminders.rules.common import (
    BEFORE,
    MAX_DAYS_BEFORE,
    OVERDUE,
    Notice,
    RunContext,
    contact,
    day,
    field_name,
    period_label,
    subject_for,
)


class AppealAnswerRule:
    """The named answerer answers a submitted appeal by its `answer_due`; after it, the
    answerer and the HR officers over the period's organisation are told. One per appeal."""

    code = "appeal_answer"
    label = gettext_lazy("answer to an appeal")

    def notices(self, context: RunContext) -> Iterator[Notice]:
        latest = context.today + datetime.timedelta(days=MAX_DAYS_BEFORE)
        appeals = (
            Appeal.objects.filter(status=Appeal.Status.SUBMITTED, answer_due__lte=latest)
            .select_related("sheet__person", "sheet__period__organisation", "answerer__person")
            .order_by("pk")
        )
        for appeal in appeals:
            assert appeal.answer_due is not None  # the filter above
            period = appeal.sheet.period
            step = context.step_on(appeal.answer_due, period.organisation.path)
            if step is None:
                continue
            answerer = appeal.answerer
            recipients = []
            if answerer is not None:
                person = getattr(answerer, "person", None)
                recipients.append(
                    contact(
                        answerer.pk,
                        person.email if person else "",
                        answerer.email,
                        person.full_name if person else answerer.username,
                    )
                )
            if step == OVERDUE:
                recipients += context.hr_for(period.organisation.path)
            text = self._text(step, appeal, period)
            seen: set[int] = set()
            for recipient in recipients:
                if recipient.user_id in seen:
                    continue
                seen.add(recipient.user_id)
                yield Notice(
                    rule=self.code,
                    step=step,
                    object_type="appeal",
                    object_id=appeal.pk,
                    recipient=recipient,
                    deadline=appeal.answer_due,
                    organisation_id=period.organisation_id,
                    period_id=period.pk,
                    count=1,
                    subject=text[0],
                    message=text[1],
                    url=reverse("evaluations:sheet_detail", args=[appeal.sheet_id]),
                )

    def _text(self, step: str, appeal: Appeal, period: Period) -> tuple[str, str]:
        assert appeal.answer_due is not None
        values = {
            "name": appeal.sheet.person.full_name,
            "period": period_label(period),
            "date": day(appeal.answer_due),
        }
        if step == BEFORE:
            return (
                subject_for(BEFORE, field_name(Appeal, "answer_due"), appeal.answer_due),
                _(
                    "The appeal of %(name)s against their level for %(period)s waits for an "
                    "answer, due on %(date)s."
                )
                % values,
            )
        return (
            subject_for(OVERDUE, field_name(Appeal, "answer_due"), appeal.answer_due),
            _(
                "The appeal of %(name)s against their level for %(period)s has not been "
                "answered; the answer was due on %(date)s."
            )
            % values,
        )
