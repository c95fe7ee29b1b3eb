import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from danhgia.core.dates import DateKind, DateWindowValidator, is_allowed, out_of_window_message
from danhgia.core.forms import LONG_TEXT_MAX
from danhgia.core.text import nfc, nfc_multiline
from danhgia.evaluations.models import Sheet
from danhgia.organisations.models import Person, Unit
from danhgia.reports.publication.models import Privacy
from danhgia.reports.publication.queries import NAMED_PRIVACY
from danhgia.work.models import Task

TOO_LONG_MESSAGE = _("Write at most {max_length} characters.")


class CleanText(serializers.CharField):
    """Text sent by a document system, normalised as every input of the site is
    (danhgia.core.text): `multiline` keeps line breaks. Always bounded: `max_length` is
    required."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).setdefault("max_length", TOO_LONG_MESSAGE)
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = multiline

    def run_validation(self, data: Any = empty) -> Any:
        if isinstance(data, str):
            data = nfc_multiline(data) if self.multiline else nfc(data)
        return super().run_validation(data)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (documentation only)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "depth", "valid_from", "valid_to"]
        read_only_fields = fields  # output only: the API never writes through these


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = [
            "employee_code",
            "full_name",
            "title",
            "staff_category",
            "is_leader",
            "unit",
            "active_from",
            "active_to",
        ]
        read_only_fields = fields  # output only: the API never writes through these


class TaskSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="employee_code", read_only=True)
    external_id = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "unit",
            "owner",
            "source",
            "document_number",
            "document_date",
            "external_id",
            "start_date",
            "due_date",
            "deadline",
            "status",
            "progress",
            "completed_on",
        ]
        read_only_fields = fields  # output only: the API never writes through these

    def get_external_id(self, task: Task) -> str | None:
        link = getattr(task, "external_link", None)
        return link.external_id if link is not None else None


NOT_PUBLISHED = _("Null until the month is published on the public portal with it.")


def _published(sheet: Sheet) -> tuple[bool, bool]:
    """(level shown, score shown): as the month's public publication in force shows them
    (`public_privacy`, annotated by the query); a sheet not decided shows neither."""
    privacy = getattr(sheet, "public_privacy", None)
    decided = sheet.status == Sheet.Status.DECIDED
    return (
        decided and privacy in NAMED_PRIVACY,
        decided and privacy == Privacy.NAMES_AND_SCORES,
    )


def _score() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=NOT_PUBLISHED,
    )


def _level() -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True, help_text=NOT_PUBLISHED)


class SheetSerializer(serializers.ModelSerializer):
    """A sheet's place in the workflow. Its outcome (levels and scores) is null unless the
    month is published on the public portal, and then only as that publication shows it: the
    decided level with names, the total and task points with scores. The levels proposed by
    the person and the manager are never published, so always null."""

    person = serializers.SlugRelatedField(slug_field="employee_code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    month = serializers.DateField(source="period.start", read_only=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    total = _score()
    task_points = _score()
    self_level = _level()
    manager_level = _level()
    decided_level = _level()

    class Meta:
        model = Sheet
        fields = [
            "id",
            "person",
            "unit",
            "month",
            "period_kind",
            "period_label",
            "status",
            "task_points",
            "total",
            "self_level",
            "manager_level",
            "decided_level",
            "decided_at",
            "version",
        ]
        read_only_fields = fields  # output only: the API never writes through these

    def to_representation(self, instance: Sheet) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        level_shown, score_shown = _published(instance)
        data["self_level"] = data["manager_level"] = None
        if not level_shown:
            data["decided_level"] = None
        if not score_shown:
            data["task_points"] = data["total"] = None
        return data


class ResultSerializer(serializers.ModelSerializer):
    """A published result; `total` is null when the publication shows levels without scores."""

    person = serializers.SlugRelatedField(slug_field="employee_code", read_only=True)
    full_name = serializers.CharField(source="person.full_name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    month = serializers.DateField(source="period.start", read_only=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    total = _score()

    class Meta:
        model = Sheet
        fields = [
            "person",
            "full_name",
            "unit",
            "title",
            "month",
            "period_kind",
            "period_label",
            "decided_level",
            "total",
        ]
        read_only_fields = fields  # output only: the API never writes through these

    def to_representation(self, instance: Sheet) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not _published(instance)[1]:
            data["total"] = None
        return data


class MonthFilterSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^[1-9]\d{3}-(0[1-9]|1[0-2])$",
        required=False,
        max_length=7,
        help_text=_("Only this month, as YYYY-MM."),
        error_messages={"invalid": _("Write the month as YYYY-MM, e.g. 2026-10.")},
    )

    def validate_month(self, value: str) -> str:
        year, month = (int(part) for part in value.split("-"))
        if not is_allowed(datetime.date(year, month, 1), DateKind.PERIOD):
            raise serializers.ValidationError(out_of_window_message(DateKind.PERIOD))
        return value


class TaskFilterSerializer(serializers.Serializer):
    owner = CleanText(required=False, max_length=40, help_text=_("Employee code of the owner."))
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)


class DocumentTaskSerializer(serializers.Serializer):
    """A task from an incoming document, sent by the document system."""

    title = CleanText(max_length=300)
    description = CleanText(
        max_length=LONG_TEXT_MAX, multiline=True, required=False, allow_blank=True, default=""
    )
    document_number = CleanText(max_length=60)
    document_date = serializers.DateField(validators=[DateWindowValidator(DateKind.WORK)])
    deadline = serializers.DateField(validators=[DateWindowValidator(DateKind.WORK)])
    owner = CleanText(max_length=40, help_text=_("Employee code of the owner."))

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the task a title."))
        return value

    def validate_document_number(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the number of the incoming document."))
        return value.strip()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["deadline"] < attrs["document_date"]:
            raise serializers.ValidationError(
                {"deadline": _("The deadline must not be before the date of the document.")}
            )
        return attrs
