"""An organisation's settings of the cycle: the nearest unit up the tree with its own policy."""

import datetime

from danhgia.evaluations.models import EvaluationPolicy
from danhgia.organisations.models import Unit


def policy_for(unit: Unit) -> EvaluationPolicy:
    """The policy of `unit` or of the nearest unit above it; an unsaved default one if none."""
    ancestor_ids = unit.ancestor_ids or [unit.pk]
    found = {
        policy.organisation_id: policy
        for policy in EvaluationPolicy.objects.filter(organisation_id__in=ancestor_ids)
    }
    for unit_id in reversed(ancestor_ids):
        if unit_id in found:
            return found[unit_id]
    return EvaluationPolicy(organisation=unit)


def annual_decision_due(policy: EvaluationPolicy, year: int) -> datetime.date:
    """The annual decision deadline of `year` (15 December by default), clamped to the month."""
    month = policy.annual_decision_month
    day = policy.annual_decision_day
    while True:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            day -= 1
