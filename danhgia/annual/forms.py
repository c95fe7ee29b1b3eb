"""Forms of the annual pages: open a year's classification, record the decision recognising
it (a head's decision is the round's `DecisionForm`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Unit


class OpenAnnualForm(Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": clock.today().year})
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AnnualDecisionForm(Form):
    number = forms.CharField(label=_("decision number"), max_length=60)
    date = forms.DateField(label=_("decision date"), widget=DateInput())
