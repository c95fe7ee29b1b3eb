"""State checked against its history (issue 15).

The audit trail of decisions, reopenings, appeals, period changes and publications is replayed
in order: for each object, the last value each checked field was given in a row's "after" (and,
for sheets, the "total" a decision recorded) is what the database must hold now. A sheet,
period or publication whose current value differs from it was changed without the service, for
instance by raw SQL. The audit log is only read here to verify state, never as the source of a
business fact.

A field no row of an object ever recorded (sheets created before the payload carried it, or
created in bulk by the period's opening and never touched since) cannot be checked: it is
counted, not reported as a mismatch.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.levels import level_name
from danhgia.evaluations.rules.reading import RuleError
from danhgia.evaluations.services.categories import sheet_config
from danhgia.reports.dashboards.models import IntegrityCheck
from danhgia.reports.publication.models import Publication

# model label -> (model, checked fields)
CHECKED: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    model._meta.label_lower: (model, fields)
    for model, fields in (
        (Sheet, ("status", "decided_level", "total")),
        (Period, ("state",)),
        (Publication, ("published_at", "unpublished_at")),
    )
}
FIRST_MISMATCHES = 50
# Actions that change a field their older rows did not record (sheet.reopened clears the
# decision and records it since issue 15): after such a row the field is not checkable until
# a later row records it.
CHANGED_UNRECORDED: dict[str, tuple[str, ...]] = {"sheet.reopened": ("decided_level",)}


@dataclass(frozen=True)
class Mismatch:
    model: str
    pk: str
    label: str
    field: str
    current: Any
    audited: Any
    row: int | None

    def __str__(self) -> str:
        if self.row is None:
            return _(
                "%(model)s %(pk)s (%(label)s): %(field)s is %(current)s, but no audit row ever "
                "recorded it"
            ) % {
                "model": self.model,
                "pk": self.pk,
                "label": self.label,
                "field": self.field,
                "current": _shown(self.current),
            }
        return _(
            "%(model)s %(pk)s (%(label)s): %(field)s is %(current)s, the audit log (row "
            "%(row)s) says %(audited)s"
        ) % {
            "model": self.model,
            "pk": self.pk,
            "label": self.label,
            "field": self.field,
            "current": _shown(self.current),
            "audited": _shown(self.audited),
            "row": self.row,
        }


@dataclass
class StateReport:
    objects: int = 0
    checked: int = 0
    not_checkable: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _shown(value: Any) -> str:
    return "—" if value is None or value == "" else f"«{value}»"


def _same(current: Any, audited: Any) -> bool:
    if current is None or audited is None:
        return current is None and audited is None
    if isinstance(current, datetime.datetime):
        try:
            return current == datetime.datetime.fromisoformat(str(audited))
        except ValueError:
            return False
    if isinstance(current, Decimal | int | float) and not isinstance(current, bool):
        try:
            return Decimal(str(current)) == Decimal(str(audited))
        except InvalidOperation:
            return False
    return str(current) == str(audited)


def _audited_values(label: str, fields: tuple[str, ...]) -> dict[str, dict[str, tuple[Any, int]]]:
    """object id -> field -> (last audited value, audit row id)."""
    values: dict[str, dict[str, tuple[Any, int]]] = {}
    rows = (
        AuditLog.objects.filter(object_type=label)
        .exclude(object_id="")
        .order_by("id")
        .values_list("id", "action", "object_id", "data")
    )
    for row_id, action, object_id, data in rows.iterator(chunk_size=2000):
        if not isinstance(data, dict):
            continue
        recorded = values.setdefault(object_id, {})
        after = data.get("after")
        if isinstance(after, dict):
            for name in fields:
                if name in after:
                    recorded[name] = (after[name], row_id)
        for name in CHANGED_UNRECORDED.get(action, ()):
            if not isinstance(after, dict) or name not in after:
                recorded.pop(name, None)  # an older row: changed, value not recorded
        if action == "sheet.decided" and "total" in data and "total" not in (after or {}):
            recorded["total"] = (data["total"], row_id)
    return values


def _label(obj: models.Model) -> str:
    if isinstance(obj, Sheet):
        return f"{obj.person.full_name}, {obj.person.unit.name}, {obj.period}"
    if isinstance(obj, Publication):
        return str(obj.period)
    return str(obj)


def _shown_value(obj: models.Model, name: str, value: Any) -> Any:
    """A level with the rulebook's name of it (e.g. "good (Hoàn thành tốt nhiệm vụ)")."""
    if isinstance(obj, Sheet) and name == "decided_level" and value:
        try:
            return f"{value} ({level_name(sheet_config(obj), str(value))})"
        except RuleError:
            return value
    return value


def _objects(model: type[models.Model], ids: list[str]) -> Iterator[models.Model]:
    queryset = model._default_manager.all()
    if model is Sheet:
        queryset = queryset.select_related(
            "person__unit", "period__organisation", "period__rulebook"
        )
    elif model is Period:
        queryset = queryset.select_related("organisation")
    else:
        queryset = queryset.select_related("period__organisation")
    numeric = [int(pk) for pk in ids if pk.isdigit()]
    for start in range(0, len(numeric), 1000):
        yield from queryset.filter(pk__in=numeric[start : start + 1000]).order_by("pk")


def check_state() -> StateReport:
    """Compare every audited sheet, period and publication with its last audited values."""
    report = StateReport()
    for label, (model, fields) in CHECKED.items():
        audited = _audited_values(label, fields)
        for obj in _objects(model, list(audited)):
            report.objects += 1
            recorded = audited[str(obj.pk)]
            for name in fields:
                if name not in recorded:
                    report.not_checkable += 1
                    continue
                report.checked += 1
                value, row_id = recorded[name]
                if not _same(getattr(obj, name), value):
                    report.mismatches.append(
                        Mismatch(
                            model=str(model._meta.verbose_name),
                            pk=str(obj.pk),
                            label=_label(obj),
                            field=name,
                            current=_shown_value(obj, name, getattr(obj, name)),
                            audited=_shown_value(obj, name, value),
                            row=row_id,
                        )
                    )
        if model is Sheet:
            _unaudited_decisions(report, audited)
    return report


def _unaudited_decisions(report: StateReport, audited: dict[str, dict[str, Any]]) -> None:
    """A sheet is created undecided and every decision is audited (`sheet.decided`,
    `appeal.answered`): a decided level on a sheet no row gave one was written outside."""
    known = {int(pk) for pk, recorded in audited.items() if "decided_level" in recorded}
    decided = Sheet.objects.exclude(decided_level="").values_list("pk", flat=True)
    strays = [pk for pk in decided.iterator(chunk_size=5000) if pk not in known]
    for obj in _objects(Sheet, [str(pk) for pk in strays]):
        assert isinstance(obj, Sheet)
        report.objects += 1
        report.checked += 1
        report.mismatches.append(
            Mismatch(
                model=str(Sheet._meta.verbose_name),
                pk=str(obj.pk),
                label=_label(obj),
                field="decided_level",
                current=_shown_value(obj, "decided_level", obj.decided_level),
                audited=None,
                row=None,
            )
        )


@transaction.atomic
def record_state_check() -> tuple[IntegrityCheck, StateReport]:
    """Run the check and keep its result (when, ok or failed, counts, first mismatches); a
    failing check notifies the system administrators in the application."""
    report = check_state()
    run = IntegrityCheck.objects.create(
        ran_at=clock.now(),
        ok=report.ok,
        objects_checked=report.objects,
        checked=report.checked,
        not_checkable=report.not_checkable,
        mismatches=len(report.mismatches),
        details="\n".join(str(m) for m in report.mismatches[:FIRST_MISMATCHES]),
    )
    if not report.ok:
        _notify_admins(run)
    return run, report


def _notify_admins(run: IntegrityCheck) -> None:
    from django.urls import reverse

    from danhgia.core.notifications import notify
    from danhgia.organisations.models import Role, UnitRole

    admins = (
        UnitRole.objects.active_on(clock.today())
        .filter(role=Role.SYSTEM_ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    message = _(
        "The nightly integrity check found %(count)s value(s) that differ from the audit log."
    ) % {"count": run.mismatches}
    seen: set[int] = set()
    for assignment in admins:
        if assignment.user_id in seen:
            continue
        seen.add(assignment.user_id)
        notify(
            assignment.user,
            message,
            url=reverse("dashboards:integrity"),
            kind="integrity.failed",
            key=f"integrity-{run.pk}-{assignment.user_id}",
        )
