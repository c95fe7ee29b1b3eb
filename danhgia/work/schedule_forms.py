"""Forms of the weekly schedule pages: a new schedule, an entry."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import ScheduleEntry, Task, WeeklySchedule

WEEKDAYS = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)


def day_label(day: datetime.date) -> str:
    """ "Thứ Hai, 24/11/2026" (the weekday in the active language)."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


class ScheduleCreateForm(Form):
    date_kinds = {"week_start": DateKind.WORK}
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("unit"))
    week_start = forms.DateField(
        label=_("week starting (a Monday)"),
        widget=DateInput(),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class EntryForm(Form):
    day = forms.TypedChoiceField(label=_("day"), coerce=datetime.date.fromisoformat)
    starts = forms.TimeField(
        label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    title = forms.CharField(label=_("content"), max_length=300)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=ScheduleEntry.Kind.choices)
    chair = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("chaired by"), required=False
    )
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=_("taking part"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People of the unit; hold Ctrl (or ⌘) to choose several."),
    )
    participants_note = forms.CharField(
        label=_("others taking part"),
        max_length=300,
        required=False,
        help_text=_("For example: representatives of the divisions, guests."),
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(), label=_("linked task"), required=False
    )

    def __init__(
        self,
        *args: Any,
        schedule: WeeklySchedule,
        people: QuerySet[Person],
        tasks: QuerySet[Task],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "entry_%s")
        super().__init__(*args, **kwargs)
        days = [schedule.week_start + datetime.timedelta(days=offset) for offset in range(7)]
        self.fields["day"].choices = [(day.isoformat(), day_label(day)) for day in days]  # type: ignore[attr-defined]
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, starts))
            data["ends_at"] = (
                timezone.make_aware(datetime.datetime.combine(day, ends)) if ends else None
            )
            if ends and ends < starts:
                self.add_error("ends", _("The end time must not be before the start time."))
        return data
