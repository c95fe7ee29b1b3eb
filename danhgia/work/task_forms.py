"""Forms of the task pages: validation and cleaning only; the services decide and write."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danhgia.core import clock
from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Person
from danhgia.work.models import ProductType, Task
from danhgia.work.services.evidence import ACCEPTED_EXTENSIONS, max_bytes
from danhgia.work.services.task_common import MAX_FILES_PER_UPDATE


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People by name, with their unit when the choice spans several units."""

    show_unit = True

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} · {obj.unit.name}" if self.show_unit else obj.full_name


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} · {obj.unit.name}"


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (×{obj.coefficient}, {obj.unit_of_measure})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked later by
    `services.evidence.check_evidence`, which reads the content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept()}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_FILES_PER_UPDATE:
            raise forms.ValidationError(
                _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES_PER_UPDATE}
            )
        return files


def _accept() -> str:
    return ",".join(ACCEPTED_EXTENSIONS.split())


def _files_help() -> str:
    return _(
        "PDF, images, Word, Excel, PowerPoint, OpenDocument or text; at most %(size)s each."
    ) % {"size": filesizeformat(max_bytes())}


class TaskAssignForm(Form):
    date_kinds = {
        "start_date": DateKind.WORK,
        "due_date": DateKind.WORK,
        "document_date": DateKind.WORK,
    }
    title = forms.CharField(label=pgettext_lazy("task", "title"), max_length=300)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owners = PersonChoiceField(
        label=_("owner"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choosing several people creates one task for each: every task has one owner."),
        error_messages={"required": _("Choose at least one person accountable for the task.")},
    )
    coordinators = PersonChoiceField(
        label=_("coordinators"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They help and may comment; they are not accountable for the result."),
    )
    start_date = _date_field(_("start date"))
    due_date = _date_field(_("due date"))
    product_type = ProductChoiceField(
        label=_("product type"),
        queryset=ProductType.objects.none(),
        required=False,
        empty_label=_("— not in the catalogue (coefficient 1) —"),
        help_text=_("From the product catalogue; its coefficient converts the quantity."),
    )
    quantity = forms.DecimalField(
        label=_("quantity"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    source = forms.ChoiceField(label=_("source"), choices=Task.Source.choices)
    document_number = forms.CharField(
        label=_("document number"),
        max_length=60,
        required=False,
        help_text=_("Only for a task from an incoming document: its number, e.g. 123/UBND-VP."),
    )
    document_date = _date_field(
        _("document date"),
        required=False,
        help_text=_("Only for a task from an incoming document."),
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        product_types: QuerySet[ProductType],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "start_date": clock.today(),
                "quantity": 1,
                "source": Task.Source.ASSIGNMENT,
            },
        )
        super().__init__(*args, **kwargs)
        several_units = people.values("unit_id").distinct().count() > 1
        for name in ["owners", "coordinators"]:
            field = self.fields[name]
            field.queryset = people  # type: ignore[attr-defined]
            field.show_unit = several_units  # type: ignore[attr-defined]
        self.fields["product_type"].queryset = product_types  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date must not be before the start date."))
        if data.get("source") == Task.Source.DOCUMENT and not data.get("document_number"):
            self.add_error("document_number", _("Give the number of the incoming document."))
        product: ProductType | None = data.get("product_type")
        for owner in data.get("owners") or []:
            if product is not None and product.unit_id not in owner.unit.ancestor_ids:
                self.add_error(
                    "product_type",
                    _("%(product)s is not in the catalogue of %(unit)s (unit of %(name)s).")
                    % {"product": product.name, "unit": owner.unit.name, "name": owner.full_name},
                )
                break
        return data


class ProgressForm(Form):
    """A progress report (owner) or a comment (owner, coordinators, assigner)."""

    KIND_PROGRESS = "progress"
    KIND_COMMENT = "comment"

    kind = forms.ChoiceField(
        label=_("type of update"),
        choices=[(KIND_PROGRESS, _("progress report")), (KIND_COMMENT, _("comment"))],
        initial=KIND_PROGRESS,
        widget=forms.RadioSelect,
    )
    progress = forms.IntegerField(
        label=_("progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"step": 10, "inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label=_("evidence files"), required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.KIND_PROGRESS in kinds:
            self.fields["evidence"].help_text = _files_help()
        else:
            del self.fields["progress"], self.fields["evidence"]
            self.fields["text"].label = _("comment")
        field = self.fields["kind"]
        field.choices = [c for c in field.choices if c[0] in kinds]  # type: ignore[attr-defined]
        if len(kinds) == 1:
            field.initial = kinds[0]
            field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        progress_missing = data.get("progress") is None and "progress" not in self.errors
        if data.get("kind") == self.KIND_PROGRESS and progress_missing:
            self.add_error("progress", _("Give the progress as a whole number from 0 to 100."))
        if data.get("kind") == self.KIND_COMMENT:
            if not (data.get("text") or "").strip():
                self.add_error("text", _("Write the comment first."))
            if data.get("evidence"):
                self.add_error("evidence", _("Files go with a progress report, not a comment."))
        return data


class CompleteForm(Form):
    date_kinds = {"on": DateKind.WORK}
    on = _date_field(_("completed on"))
    text = forms.CharField(
        label=_("result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was delivered: document number, where it was sent."),
    )
    evidence = MultipleFileField(label=_("evidence files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": clock.today()})
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _files_help()


class ExtensionRequestForm(Form):
    date_kinds = {"proposed_deadline": DateKind.WORK}
    proposed_deadline = _date_field(_("new deadline"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionAnswerForm(Form):
    decision = forms.ChoiceField(
        label=_("answer"),
        choices=[("approve", _("approve the new deadline")), ("refuse", _("refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class AssessForm(Form):
    meets_quality = forms.TypedChoiceField(
        label=_("quality"),
        choices=[("yes", _("meets the quality required")), ("no", _("does not meet it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    major_errors = forms.IntegerField(
        label=_("major content errors"),
        min_value=0,
        max_value=99,
        initial=0,
        help_text=_(
            "Each one deducts 25 percent of the quality credit, unless an objective cause "
            "is confirmed."
        ),
    )
    objective_cause = forms.BooleanField(
        label=_("an objective cause is confirmed (errors and delay are not deducted)"),
        required=False,
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required with an objective cause: describe it."),
    )

    @classmethod
    def initial_for(cls, task: Task) -> dict[str, Any]:
        if not task.is_assessed:
            return {}
        return {
            "meets_quality": "yes" if task.meets_quality else "no",
            "major_errors": task.major_errors,
            "objective_cause": task.objective_cause,
            "note": task.objective_cause_note,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("objective_cause") and not (data.get("note") or "").strip():
            self.add_error(
                "note",
                _("Describe the objective cause: without it the deductions cannot be waived."),
            )
        return data


class ReassignForm(Form):
    new_owner = OwnerChoiceField(label=_("new owner"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = people  # type: ignore[attr-defined]


class CancelForm(Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TaskFilterForm(Form):
    """The board's filters (GET). Invalid values are ignored, never an error page."""

    date_kinds = {"due_from": DateKind.WORK, "due_to": DateKind.WORK}

    q = forms.CharField(label=_("owner"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("any status")), ("open", _("open")), *Task.Status.choices],
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    due_from = _date_field(_("due from"), required=False)
    due_to = _date_field(_("due until"), required=False)
