"""Forms of publication: validation and cleaning only; the services decide."""

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
