"""Forms of the annual pages: open a year's classification, decide one person's level."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.forms import Form
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.organisations.models import Unit


class OpenAnnualForm(Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": clock.today().year})
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AnnualDecisionForm(Form):
    level = forms.ChoiceField(label=_("decided level"))
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        help_text=_("Required when the level differs from the computed level."),
    )
    use_exception = forms.BooleanField(
        label=_("use the quota exception (outstanding achievements)"), required=False
    )

    def __init__(self, *args: Any, config: RulebookConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(level.code, level.name) for level in config.levels]
        cast(forms.ChoiceField, self.fields["level"]).choices = choices
        if config.quota.enforcement != "exception_with_reason":
            del self.fields["use_exception"]
