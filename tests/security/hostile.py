"""Hostile text for the escaping tests: markup and script in every free-text field people type
(names, titles, comments, sheet texts, appeals), and formula starts for the Excel exports."""

from django.apps import apps
from django.db import models

# Raw markup that must never reach a page unescaped.
SCRIPT = '<script>alert("xss")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
HOSTILE = f"{SCRIPT}{IMAGE}&amp;\"'"

# (model label, fields): the free text of each model, as typed by people.
TEXT_FIELDS: list[tuple[str, list[str]]] = [
    ("organisations.Unit", ["name"]),
    ("organisations.Person", ["full_name", "title"]),
    ("organisations.JobPosition", ["name", "description"]),
    ("work.Task", ["title", "description", "cancelled_reason", "objective_cause_note"]),
    ("work.TaskUpdate", ["text"]),
    ("work.EvidenceFile", ["original_name"]),
    ("work.DeadlineExtension", ["reason", "answer_note"]),
    ("work.WorkPlan", ["return_reason"]),
    ("work.PlanItem", ["title", "removed_reason"]),
    ("work.ScheduleEntry", ["title", "place", "participants_note"]),
    (
        "evaluations.Sheet",
        [
            "strengths",
            "shortcomings",
            "proposals",
            "manager_comment",
            "return_reason",
            "decision_reason",
            "veto_reason",
        ],
    ),
    ("evaluations.SheetTaskLine", ["title", "note"]),
    ("evaluations.SheetVersion", ["reason"]),
    ("evaluations.Appeal", ["text", "answer"]),
    ("evaluations.AppealFile", ["original_name"]),
    ("evaluations.Delegation", ["reason"]),
    ("evaluations.Discipline", ["note"]),
    ("evaluations.Finding", ["note"]),
    ("evaluations.Leave", ["note"]),
    ("annual.AnnualSheet", ["cap_reason", "not_classified_reason", "decision_reason"]),
    ("reports_recognition.Initiative", ["title", "description", "council_opinion", "effect"]),
    ("reports_recognition.RewardDecision", ["award", "note"]),
    ("core.Notification", ["message"]),
]


def poison(
    text: str = HOSTILE, *, models_only: set[str] | None = None, replace: bool = False
) -> None:
    """Put `text` (cut to each field's length) after the current value of every free-text field
    of every row, as if people had typed it (`replace`: instead of the value, so the text
    starts with it). Bypasses services on purpose: the pages must escape whatever is stored,
    however it got there."""
    for label, names in TEXT_FIELDS:
        if models_only is not None and label not in models_only:
            continue
        model = apps.get_model(label)
        for row in model.objects.all():
            for name in names:
                field = model._meta.get_field(name)
                assert isinstance(field, models.CharField | models.TextField)
                value = text if replace else f"{getattr(row, name) or ''} {text}".strip()
                if field.max_length:
                    value = text[: field.max_length] if len(value) > field.max_length else value
                setattr(row, name, value)
            model.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in names})
