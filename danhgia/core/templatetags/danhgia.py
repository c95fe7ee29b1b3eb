from django import template

from danhgia.core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """`{{ entry.action|action_label }}`: "person.updated" → "Sửa hồ sơ"."""
    return _action_label(action)
