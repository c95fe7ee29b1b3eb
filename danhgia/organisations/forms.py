from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.accounts.models import User
from danhgia.core.forms import Form, ModelForm
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Person, Role, Unit


class UnitForm(ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    def __init__(self, *args: object, parents: QuerySet[Unit], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "employee_code",
            "staff_category",
            "title",
            "is_leader",
            "job_position",
            "unit",
            "email",
            "phone",
            "active_from",
            "active_to",
        ]
        widgets = {"active_from": DateInput(), "active_to": DateInput()}
        error_messages = {
            "employee_code": {"unique": _("This employee code is already used by another person.")}
        }

    def __init__(self, *args: object, units: QuerySet[Unit], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", _("The end date must not be before the start date."))
        return data


class RoleForm(Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("person"))
    role = forms.ChoiceField(choices=Role.choices, label=_("role"))
    include_subunits = forms.BooleanField(
        required=False, initial=True, label=_("includes sub-units")
    )
    acting = forms.BooleanField(required=False, label=_("acting"))
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_to = forms.DateField(required=False, label=_("valid to"), widget=DateInput())

    def __init__(
        self,
        *args: object,
        people: QuerySet[Person],
        granter: User,
        grantable: list[str],
        **kwargs: object,
    ):
        """Offers only the roles `granter` may grant (`grantable`) and people other than the
        granter; anything else still validates here, so that the service refuses it (403)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        person = self.fields["person"]
        person.queryset = people  # type: ignore[attr-defined]
        offered = forms.ModelChoiceField(queryset=people.exclude(user=granter))
        person.widget.choices = offered.choices  # type: ignore[attr-defined]
        self.fields["role"].widget.choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if value in grantable
        ]

    def clean_person(self) -> Person:
        person: Person = self.cleaned_data["person"]
        if person.user_id is None:
            raise forms.ValidationError(
                _("This person has no login yet. Create a login on their page first.")
            )
        return person

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date must not be before the start date."))
        return data

    @property
    def user(self) -> User:
        return self.cleaned_data["person"].user


class RoleEndForm(Form):
    on = forms.DateField(label=_("last day"), widget=DateInput())


class PeopleSearchForm(Form):
    q = forms.CharField(required=False, label=_("search"), max_length=100)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
