"""The annual decision deadline: heads with annual results waiting, then escalation."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.evaluations.holders import holder_counts
from danhgia.reminders.rules.common import (
    BEFORE,
    OVERDUE,
    Contact,
    Notice,
    RunContext,
    contacts_of,
    day,
    field_name,
    subject_for,
)


def _label(period: AnnualPeriod) -> str:
    return f"{period.organisation.name} {period.year}"


class AnnualDecisionRule:
    """Before `AnnualPeriod.decision_due` whoever holds the decision of waiting annual results
    (`holders`: named, deputy, stand-in) gets their count; after it they and the HR officers
    over the organisation are told."""

    code = "annual_decision"
    label: Any = gettext_lazy("annual decision")

    def notices(self, context: RunContext) -> Iterator[Notice]:
        periods = {
            period.pk: period
            for period in AnnualPeriod.objects.filter(state=AnnualPeriod.State.OPEN).select_related(
                "organisation"
            )
        }
        steps = {
            pk: context.step_on(period.decision_due, period.organisation.path)
            for pk, period in periods.items()
        }
        due_ids = [pk for pk, step in steps.items() if step is not None]
        if not due_ids:
            return
        waiting = AnnualSheet.objects.filter(
            annual_period_id__in=due_ids, status=AnnualSheet.Status.PENDING
        )
        # Whoever holds the decision now (named, deputy by delegation, stand-in): one notice
        # each with their count, as their decision pages list them (`holders`).
        counted = holder_counts("decision", waiting, context.today, period_field="annual_period_id")
        contacts = contacts_of({user_id for _period_id, user_id in counted})
        decide_url = reverse("annual:decision_list")
        for period_id, user_id in sorted(counted):
            period = periods[period_id]
            step = steps[period.pk]
            assert step is not None
            yield self._notice(
                period, step, "annual", contacts[user_id], counted[(period_id, user_id)], decide_url
            )
        totals = dict(waiting.values_list("annual_period_id").annotate(n=Count("pk")).order_by())
        for period_id, total in totals.items():
            period = periods[period_id]
            if steps[period_id] != OVERDUE:
                continue
            for officer in context.hr_for(period.organisation.path):
                yield self._notice(
                    period, OVERDUE, "annual_hr", officer, total, reverse("annual:period_list")
                )

    def _notice(
        self,
        period: AnnualPeriod,
        step: str,
        object_type: str,
        recipient: Contact,
        count: int,
        url: str,
    ) -> Notice:
        due = period.decision_due
        values = {"count": count, "period": _label(period), "date": day(due)}
        if step == BEFORE:
            message = ngettext(
                "%(count)d annual result of %(period)s is waiting for your decision, due on "
                "%(date)s.",
                "%(count)d annual results of %(period)s are waiting for your decision, due on "
                "%(date)s.",
                count,
            )
        else:
            message = ngettext(
                "%(count)d annual result of %(period)s has no decided level; the decision was "
                "due on %(date)s.",
                "%(count)d annual results of %(period)s have no decided level; the decision "
                "was due on %(date)s.",
                count,
            )
        return Notice(
            rule=self.code,
            step=step,
            object_type=object_type,
            object_id=period.pk,
            recipient=recipient,
            deadline=due,
            organisation_id=period.organisation_id,
            period_id=None,
            count=count,
            subject=subject_for(step, field_name(AnnualPeriod, "decision_due"), due),
            message=message % values,
            url=url,
        )
