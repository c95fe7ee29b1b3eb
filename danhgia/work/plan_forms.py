"""Forms of the plan pages: a new plan, an item, a reason."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.core.periods import month_label
from danhgia.core.widgets import DateInput
from danhgia.organisations.authority import month_bounds
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import ProductType, WorkPlan

OWN = "own"


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    """Last month, this month and the next two, as (ISO first day, "Tháng mm/yyyy")."""
    first = today.replace(day=1)
    months = [_add_months(first, offset) for offset in (-1, 0, 1, 2)]
    return [(month.isoformat(), month_label(month)) for month in months]


class PlanCreateForm(Form):
    month = forms.ChoiceField(label=_("month"))
    whose = forms.ChoiceField(label=_("plan of"))

    def __init__(self, *args: Any, person: Person | None, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["month"].choices = month_choices(today)  # type: ignore[attr-defined]
        self.fields["month"].initial = today.replace(day=1).isoformat()
        whose: list[tuple[str, str]] = []
        if person is not None:
            whose.append((OWN, str(_("myself (%(name)s)") % {"name": person.full_name})))
        whose += [
            (str(unit.pk), str(_("the unit %(name)s") % {"name": unit.name})) for unit in units
        ]
        self.fields["whose"].choices = whose  # type: ignore[attr-defined]
        self.units = {str(unit.pk): unit for unit in units}

    @property
    def chosen_month(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["month"])

    @property
    def chosen_unit(self) -> Unit | None:
        """The unit of a unit plan; None for the user's own plan."""
        return self.units.get(self.cleaned_data["whose"])


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.name} (×{formats.number_format(obj.coefficient)})"


class PlanItemForm(Form):
    date_kinds = {"due_date": DateKind.WORK}
    title = forms.CharField(label=_("work item"), max_length=300)
    product_type = ProductChoiceField(
        queryset=ProductType.objects.none(),
        required=False,
        label=_("product type"),
        empty_label=_("no catalogue product (coefficient 1)"),
    )
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        localize=True,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("owner (one person)"), required=False
    )
    due_date = forms.DateField(
        label=_("due date"),
        widget=DateInput(),
    )

    def __init__(
        self,
        *args: Any,
        plan: WorkPlan,
        products: QuerySet[ProductType],
        people: QuerySet[Person] | None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"due_date": month_bounds(plan.month)[1]})
        kwargs.setdefault("auto_id", "item_%s")
        super().__init__(*args, **kwargs)
        self.fields["product_type"].queryset = products  # type: ignore[attr-defined]
        if people is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]
            self.fields["owner"].required = True


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
