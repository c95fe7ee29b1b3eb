"""The annual decision deadline: heads with annual results waiting, then escalation."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.reminders.rules.common import (
    BEFORE,
    OVERDUE,
    Contact,
    Notice,
    RunContext,
    contact,
    day,
    field_name,
    subject_for,
)


def _label(period: AnnualPeriod) -> str:
    return f"{period.organisation.name} {period.year}"


class AnnualDecisionRule:
    """Before `AnnualPeriod.decision_due` the named decider of waiting annual results gets
    their count; after it the decider and the HR officers over the organisation are told."""

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
        counted = (
            AnnualSheet.objects.filter(
                annual_period_id__in=due_ids, status=AnnualSheet.Status.PENDING
            )
            .values(
                "annual_period_id",
                "decider_id",
                "decider__person__email",
                "decider__email",
                "decider__person__full_name",
                "decider__username",
            )
            .annotate(n=Count("pk"))
            .order_by("annual_period_id", "decider_id")
        )
        totals: dict[int, int] = {}
        decide_url = reverse("annual:decision_list")
        for row in counted:
            period = periods[row["annual_period_id"]]
            step = steps[period.pk]
            assert step is not None
            totals[period.pk] = totals.get(period.pk, 0) + row["n"]
            if row["decider_id"] is None:
                continue
            recipient = contact(
                row["decider_id"],
                row["decider__person__email"],
                row["decider__email"],
                row["decider__person__full_name"] or row["decider__username"],
            )
            yield self._notice(period, step, "annual", recipient, row["n"], decide_url)
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
