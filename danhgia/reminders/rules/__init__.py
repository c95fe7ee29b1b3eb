"""The reminder rules: one small object per deadline, each answering "who is due what today?".

A rule's `notices(context)` yields `Notice`s: before a deadline (within the organisation's
`reminder_days_before`) to whoever must act, and after it (escalation) to the decider and the
HR officers. Each rule reads in bulk (a query or two, whatever the number of sheets) from the
`RunContext`, which is read once per run. To remind of another deadline (e.g. the annual
decision in `annual.py`), write a rule with `code` and `notices()` and append it to `RULES`.
"""

from danhgia.reminders.rules.annual import AnnualDecisionRule
from danhgia.reminders.rules.appeals import AppealAnswerRule
from danhgia.reminders.rules.common import Notice, Rule, RunContext
from danhgia.reminders.rules.sheets import DecisionRule, ReviewRule, SelfEvaluationRule

__all__ = ["RULES", "Notice", "Rule", "RunContext"]

# Every deadline the job reminds of, in the order their notices are sent.
RULES: list[Rule] = [
    SelfEvaluationRule(),
    ReviewRule(),
    DecisionRule(),
    AppealAnswerRule(),
    AnnualDecisionRule(),
]
