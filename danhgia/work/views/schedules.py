"""Weekly schedules: the week view (published schedules, by weekday), the editor (entries
added and deleted with htmx partial swaps), publication, and the printable page.

Schedules are fetched through `queries.schedules_visible_to` (anything else is 404); drafts
are for the unit's office, head and deputies only (`permissions.can_view_schedule`, 403).
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock, dates
from danhgia.organisations.models import Person, Unit
from danhgia.organisations.queries import units_visible_to
from danhgia.work import permissions, queries
from danhgia.work.models import ScheduleChange, ScheduleEntry, Task, WeeklySchedule
from danhgia.work.schedule_forms import WEEKDAYS, EntryForm, ScheduleCreateForm, day_label
from danhgia.work.services import WorkError
from danhgia.work.services import schedules as services

WORKING_DAYS = 5


def _week_from(value: str | None) -> datetime.date:
    """The Monday of the week containing the ISO date `value` (this week when missing, bad or
    outside the date policy's window)."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        day = clock.today()
    if not dates.is_allowed(day, dates.DateKind.WORK):
        day = clock.today()
    return services.monday_of(day)


def _days(schedule: WeeklySchedule, entries: Sequence[ScheduleEntry]) -> list[dict[str, Any]]:
    """Monday to Friday, and Saturday and Sunday when they have entries, each with its entries
    in time order."""
    by_day: dict[datetime.date, list[ScheduleEntry]] = {}
    for entry in entries:
        by_day.setdefault(timezone.localtime(entry.starts_at).date(), []).append(entry)
    days = services.week_days(schedule.week_start)
    return [
        {
            "day": day,
            "label": day_label(day),
            "weekday": WEEKDAYS[day.weekday()],
            "entries": by_day.get(day, []),
        }
        for index, day in enumerate(days)
        if index < WORKING_DAYS or by_day.get(day)
    ]


def _entries(schedule: WeeklySchedule) -> list[ScheduleEntry]:
    return list(
        schedule.entries.select_related("chair")
        .prefetch_related("participants")
        .order_by("starts_at", "pk")
    )


def _changes(schedule: WeeklySchedule) -> list[ScheduleChange]:
    """Entries added or deleted after publication, oldest first."""
    if not schedule.is_published:
        return []
    return list(schedule.changes.all())


def _pickable_unit(request: AuthenticatedRequest, unit_id: str) -> Unit:
    """A unit the user may look at: in scope, or their own unit or one above it. Else 404."""
    person = getattr(request.user, "person", None)
    own = person.unit.ancestor_ids if person is not None else []
    units = Unit.objects.filter(Q(pk__in=units_visible_to(request.user)) | Q(pk__in=own))
    try:
        return get_object_or_404(units, pk=int(unit_id))
    except ValueError as error:
        raise Http404 from error


def _default_unit(
    request: AuthenticatedRequest, week: datetime.date, units: list[Unit]
) -> Unit | None:
    """The nearest unit of the user's own chain with a schedule shown that week, else the
    unit of their first schedule-keeping role, else their own unit, else the first offered."""
    person = getattr(request.user, "person", None)
    chain = list(reversed(person.unit.ancestor_ids)) if person is not None else []
    in_chain = queries.schedules_visible_to(request.user).filter(week_start=week, unit_id__in=chain)
    shown = {
        schedule.unit_id
        for schedule in in_chain.select_related("unit")
        if permissions.can_view_schedule(request.user, schedule)
    }
    by_id = {unit.pk: unit for unit in units}
    for unit_id in chain:
        if unit_id in shown and unit_id in by_id:
            return by_id[unit_id]
    for unit in units:
        if permissions.can_edit_schedule(request.user, unit):
            return unit
    if person is not None and person.unit_id in by_id:
        return by_id[person.unit_id]
    return units[0] if units else None


@login_required
def week_view(request: AuthenticatedRequest) -> HttpResponse:
    week = _week_from(request.GET.get("week"))
    units = queries.week_units_for(request.user, week)
    if request.GET.get("unit"):
        unit: Unit | None = _pickable_unit(request, request.GET["unit"])
        if unit not in units:
            units = sorted([*units, unit], key=lambda u: u.path)  # type: ignore[list-item]
    else:
        unit = _default_unit(request, week, units)
    schedule = (
        WeeklySchedule.objects.filter(unit=unit, week_start=week)
        .select_related("unit", "published_by")
        .first()
    )
    visible = schedule is not None and permissions.can_view_schedule(request.user, schedule)
    shown = schedule if visible else None
    return render(
        request,
        "work/week_view.html",
        {
            "week": week,
            "week_end": week + datetime.timedelta(days=6),
            "previous_week": week - datetime.timedelta(days=7),
            "next_week": week + datetime.timedelta(days=7),
            "units": units,
            "unit": unit,
            "schedule": shown,
            "days": _days(shown, _entries(shown)) if shown else [],
            "changes": _changes(shown) if shown else [],
            "can_edit": unit is not None and permissions.can_edit_schedule(request.user, unit),
        },
    )


@login_required
def schedule_create(request: AuthenticatedRequest) -> HttpResponse:
    units = queries.schedule_units_for(request.user).order_by("path")
    if not permissions.can_edit_schedule(request.user):
        raise PermissionDenied
    initial = {"week_start": _week_from(request.GET.get("week")), "unit": request.GET.get("unit")}
    form = ScheduleCreateForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = services.create_schedule(
                form.cleaned_data["unit"], form.cleaned_data["week_start"], by=request.user
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("work:schedule_edit", pk=schedule.pk)
    return render(request, "work/schedule_create.html", {"form": form})


def _fetch_schedule(request: AuthenticatedRequest, pk: int) -> WeeklySchedule:
    schedules = queries.schedules_visible_to(request.user).select_related(
        "unit__parent", "published_by"
    )
    return get_object_or_404(schedules, pk=pk)


def _entry_form(schedule: WeeklySchedule, data: Any = None) -> EntryForm:
    unit = schedule.unit
    people = (
        Person.objects.active_on(schedule.week_start)
        .filter(unit__path__startswith=unit.path)
        .order_by("-is_leader", "sort_key", "pk")
    )
    tasks = (
        Task.objects.open()
        .filter(unit__path__startswith=unit.path, deadline__gte=schedule.week_start)
        .order_by("deadline", "pk")[:200]
    )
    today = clock.today()
    day = (
        today
        if schedule.week_start <= today < schedule.week_start + datetime.timedelta(7)
        else schedule.week_start
    )
    return EntryForm(
        data,
        schedule=schedule,
        people=people,
        tasks=tasks,  # type: ignore[arg-type]
        initial={"day": day.isoformat(), "starts": datetime.time(8, 0)},
    )


def _editor_context(schedule: WeeklySchedule, form: EntryForm | None = None) -> dict[str, Any]:
    return {
        "schedule": schedule,
        "days": _days(schedule, _entries(schedule)),
        "form": form or _entry_form(schedule),
        "changes": _changes(schedule),
    }


@login_required
def schedule_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = _fetch_schedule(request, pk)
    if not permissions.can_edit_schedule(request.user, schedule.unit):
        raise PermissionDenied
    return render(request, "work/schedule_edit.html", _editor_context(schedule))


def _respond(
    request: AuthenticatedRequest, schedule: WeeklySchedule, form: EntryForm | None = None
) -> HttpResponse:
    """After an entry change: the editor's body for htmx, else the page (redirect on success)."""
    if request.htmx:
        return render(request, "work/schedule_edit.html#body", _editor_context(schedule, form))
    if form is None:
        return redirect("work:schedule_edit", pk=schedule.pk)
    return render(request, "work/schedule_edit.html", _editor_context(schedule, form))


@login_required
@require_POST
def schedule_entry_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = _fetch_schedule(request, pk)
    if not permissions.can_edit_schedule(request.user, schedule.unit):
        raise PermissionDenied
    form = _entry_form(schedule, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_entry(
                schedule,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                title=data["title"],
                place=data["place"],
                kind=data["kind"],
                chair=data["chair"],
                participants=data["participants"],
                participants_note=data["participants_note"],
                task=data["task"],
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _respond(request, schedule)
    return _respond(request, schedule, form)


@login_required
@require_POST
def schedule_entry_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visible = queries.schedules_visible_to(request.user)
    entry = get_object_or_404(
        ScheduleEntry.objects.filter(schedule__in=visible).select_related(
            "schedule__unit", "schedule__published_by"
        ),
        pk=pk,
    )
    schedule = entry.schedule
    if not permissions.can_edit_schedule(request.user, schedule.unit):
        raise PermissionDenied
    try:
        services.delete_entry(entry, by=request.user)
    except WorkError as error:
        messages.error(request, str(error))
    return _respond(request, schedule)


@login_required
@require_POST
def schedule_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = _fetch_schedule(request, pk)
    if not permissions.can_edit_schedule(request.user, schedule.unit):
        raise PermissionDenied
    try:
        services.publish_schedule(schedule, by=request.user)
    except WorkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The schedule is published to the unit."))
    return redirect("work:schedule_edit", pk=schedule.pk)


@login_required
def schedule_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = _fetch_schedule(request, pk)
    if not permissions.can_view_schedule(request.user, schedule):
        raise PermissionDenied
    return render(
        request,
        "work/schedule_print.html",
        {
            "schedule": schedule,
            "week_end": schedule.week_start + datetime.timedelta(days=6),
            "parent": schedule.unit.parent,
            "days": _days(schedule, _entries(schedule)),
            "changed": bool(_changes(schedule)),
        },
    )
