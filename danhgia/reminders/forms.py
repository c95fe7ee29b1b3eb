from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.evaluations.models import Period


class PeriodLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} · {obj.label}"


class ReminderFilterForm(Form):
    """Which reminders to list: those of one period, or all."""

    period = PeriodLabelField(
        label=_("evaluation period"),
        queryset=Period.objects.none(),
        required=False,
        empty_label=_("all periods"),
    )

    def __init__(self, *args: Any, periods: QuerySet[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]
