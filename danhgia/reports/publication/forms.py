"""Forms of publication: validation and cleaning only; the services decide."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.reports.publication.models import Privacy, Publication, Publisher


class PublishForm(Form):
    audience = forms.ChoiceField(
        label=_("publish"),
        choices=Publication.Audience.choices,
        initial=Publication.Audience.PUBLIC,
        widget=forms.RadioSelect,
    )
    privacy = forms.ChoiceField(
        label=_("on the public page show"),
        choices=Privacy.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Within the unit, people always see names, levels and scores. The public never "
            "sees more than name, title, unit, level and (if chosen) the score."
        ),
    )


class UnpublishForm(Form):
    reason = forms.CharField(
        label=_("reason for unpublishing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with your name."),
    )


class SettingForm(Form):
    privacy = forms.ChoiceField(
        label=_("privacy on the public page by default"),
        choices=Privacy.choices,
        widget=forms.RadioSelect,
    )
    publisher = forms.ChoiceField(
        label=_("who publishes"), choices=Publisher.choices, widget=forms.RadioSelect
    )


class PublicSearchForm(Form):
    """The public search: words of a name (accents optional), a published month, a level.
    The month and level choices are what has been published (`search.published_*`)."""

    q = forms.CharField(label=_("name of a person or unit"), max_length=100, required=False)
    thang = forms.ChoiceField(label=_("month"), required=False)
    muc = forms.ChoiceField(label=_("level"), required=False)

    def __init__(
        self,
        *args: Any,
        months: list[tuple[str, str]],
        levels: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        month_field, level_field = self.fields["thang"], self.fields["muc"]
        assert isinstance(month_field, forms.ChoiceField)  # noqa: S101 (declared above)
        assert isinstance(level_field, forms.ChoiceField)  # noqa: S101
        month_field.choices = [("", _("every month")), *months]
        level_field.choices = [("", _("every level")), *levels]

    def month(self) -> datetime.date | None:
        value = self.cleaned_data.get("thang") or ""
        return datetime.date(int(value[:4]), int(value[5:7]), 1) if value else None
