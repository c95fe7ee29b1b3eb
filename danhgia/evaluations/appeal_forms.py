"""Forms of reopening and appeals: validation and cleaning only; the services decide."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.evaluations.models import Appeal
from danhgia.evaluations.rules.ceiling import level_choices
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.work.services.evidence import max_bytes
from danhgia.work.task_forms import MultipleFileField

TEXT_MAX = 5000


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenSheetForm(Form):
    reason = _text(
        _("reason for reopening"),
        _("Kept with the earlier decision and sent to the person, the reviewer and the head."),
    )


class ReopenPeriodForm(Form):
    date_kinds = {"decision_due": DateKind.WORK}
    reason = _text(_("reason for reopening"))
    decision_due = forms.DateField(label=_("new decision deadline"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decision_due": clock.today() + datetime.timedelta(days=7)})
        super().__init__(*args, **kwargs)


class AppealForm(Form):
    text = _text(
        _("grounds of the appeal"),
        _("Why the decided level should change: facts, tasks, documents."),
    )
    attachments = MultipleFileField(label=_("files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "PDF, pictures, Word, Excel or text; up to %(size)d MB each."
        ) % {"size": max_bytes() // (1024 * 1024)}


class AnswerForm(Form):
    outcome = forms.ChoiceField(
        label=_("answer"),
        choices=[
            (Appeal.Status.UPHELD, _("keep the level")),
            (Appeal.Status.CHANGED, _("change the level")),
        ],
        widget=forms.RadioSelect,
    )
    new_level = forms.ChoiceField(label=_("new level"), required=False)
    answer = _text(
        _("answer to the person"),
        _("Required either way; when the level changes it becomes the reason for the decision."),
    )
    use_exception = forms.BooleanField(
        label=_("use the exception to the quota (outstanding achievements)"), required=False
    )

    def __init__(
        self, *args: Any, config: RulebookConfig, current: str, band: str = "", **kwargs: Any
    ) -> None:
        """The new levels offered: every other level the rulebook allows for the `band`."""
        super().__init__(*args, **kwargs)
        field = self.fields["new_level"]
        field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (code, name) for code, name in level_choices(config, band) if code != current
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Appeal.Status.CHANGED and not data.get("new_level"):
            self.add_error("new_level", _("Choose the new level."))
        return data
