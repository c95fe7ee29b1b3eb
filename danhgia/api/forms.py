"""The forms HR fills to connect a document system and to subscribe it to events out."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.api.models import Integration
from danhgia.core.forms import Form
from danhgia.organisations.models import Unit


class IntegrationForm(Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=150,
        help_text=_("For example: “Hệ thống quản lý văn bản và điều hành tỉnh”."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit it may read and write (with its sub-units)"),
        queryset=Unit.objects.none(),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units.order_by("path")


def _kind_choices() -> list[tuple[str, Any]]:
    from danhgia.api.events import EVENT_KINDS

    return [(kind, label) for kind, label in EVENT_KINDS.items()]


class SubscriptionForm(Form):
    """A subscription to events out: which system, where to, which events (and, when it
    exists already, whether it is active)."""

    integration = forms.ModelChoiceField(
        label=_("Connected system"), queryset=Integration.objects.none()
    )
    url = forms.URLField(
        label=_("Receiving address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The system's address that receives the events, e.g. https://…/webhooks."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"), choices=_kind_choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("active (events are sent)"), required=False)

    def __init__(
        self, *args: Any, integrations: QuerySet[Integration] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if integrations is None:  # a subscription that exists: its system does not change
            del self.fields["integration"]
        else:
            del self.fields["is_active"]
            field = self.fields["integration"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = integrations.filter(revoked_at__isnull=True).order_by("name")
