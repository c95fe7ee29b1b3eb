import datetime

from django import template

from danhgia.core.audit import action_label as _action_label
from danhgia.core.periods import label_between as _label_between
from danhgia.core.periods import month_label as _month_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """`{{ entry.action|action_label }}`: "person.updated" → "Sửa hồ sơ"."""
    return _action_label(action)


@register.filter
def month_label(day: datetime.date | None) -> str:
    """`{{ plan.month|month_label }}`: 1/10/2025 → "Tháng 10/2025" (a period's own name is
    `{{ period.label }}`)."""
    return _month_label(day) if day else ""


@register.filter
def label_between(start: datetime.date | None, end: datetime.date | None) -> str:
    """`{{ month.start|label_between:month.end }}`: the name of a period kept only by its
    dates (the months of an annual sheet)."""
    if start is None:
        return ""
    return _label_between(start, end or start)
