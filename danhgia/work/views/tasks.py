"""Task pages: my tasks, a unit's board, assigning, a task's page, its actions, evidence.

Every view fetches through a scoped query (out of scope: 404), checks a predicate (not
allowed: 403), validates a form and calls one service. Each action URL also answers GET
with a page holding just its form, so every action works without JavaScript; the task
page shows the same forms inline.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.core.http import paginate, query_string_without_page
from danhgia.core.text import fold
from danhgia.organisations.models import Person
from danhgia.organisations.queries import active_roles, units_visible_to
from danhgia.work import permissions, queries
from danhgia.work.models import DeadlineExtension, EvidenceFile, Task
from danhgia.work.services import WorkError, assessment, extensions
from danhgia.work.services import tasks as services
from danhgia.work.task_forms import (
    AssessForm,
    CancelForm,
    CompleteForm,
    ExtensionAnswerForm,
    ExtensionRequestForm,
    ProgressForm,
    ReassignForm,
    TaskAssignForm,
    TaskFilterForm,
)

DUE_SOON_DAYS = 7
GROUP_LIMIT = 20


# Lists


@login_required
def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's tasks: overdue, due within a week, done this month, all open
    (paged), and those they coordinate. The same number of queries however many tasks."""
    person: Person | None = getattr(request.user, "person", None)
    if person is None:
        return render(request, "work/my_tasks.html", {"person": None})
    today = clock.today()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    mine = Task.objects.filter(owner=person)
    context = {
        "person": person,
        "today": today,
        "soon": soon,
        "counts": queries.my_task_counts(person, today, soon),
        "overdue": list(queries.task_rows(mine.overdue_on(today))[:GROUP_LIMIT]),
        "due_soon": list(queries.task_rows(mine.due_between(today, soon))[:GROUP_LIMIT]),
        "done": list(
            queries.task_rows(
                mine.filter(status=Task.Status.DONE, completed_on__gte=today.replace(day=1))
            ).order_by("-completed_on", "-id")[:GROUP_LIMIT]
        ),
        "coordinated": list(
            queries.task_rows(Task.objects.open().filter(coordinators=person))[:GROUP_LIMIT]
        ),
        "page": paginate(request, queries.task_rows(mine.open())),
        "query_string": query_string_without_page(request),
    }
    if request.htmx:
        return render(request, "work/my_tasks.html#open_tasks", context)
    return render(request, "work/my_tasks.html", context)


@login_required
def task_board(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """The tasks of a unit and its sub-units for those with a role over it, filtered, paged
    by 50 in deadline order. The results are swapped in place by htmx."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    today = clock.today()
    form = TaskFilterForm(request.GET or None)
    tasks = queries.tasks_of_unit(request.user, unit)
    if form.is_bound:
        form.is_valid()  # invalid filters are shown as errors and ignored
        tasks = _filter_tasks(tasks, form.cleaned_data, today)
    context = {
        "unit": unit,
        "form": form,
        "today": today,
        "page": paginate(request, tasks),
        "query_string": query_string_without_page(request),
        "can_assign": permissions.can_assign_in(request.user, unit),
    }
    if request.htmx and not request.htmx.history_restore_request:  # the URL is pushed
        return render(request, "work/task_board.html#results", context)
    return render(request, "work/task_board.html", context)


def _filter_tasks(
    tasks: QuerySet[Task], data: dict[str, Any], today: datetime.date
) -> QuerySet[Task]:
    for word in fold(data.get("q") or "").split():
        tasks = tasks.filter(owner__search_text__contains=word)
    status = data.get("status")
    if status == "open":
        tasks = tasks.filter(status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS])
    elif status:
        tasks = tasks.filter(status=status)
    if data.get("overdue"):
        tasks = tasks.filter(
            status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS], deadline__lt=today
        )
    if data.get("due_from"):
        tasks = tasks.filter(deadline__gte=data["due_from"])
    if data.get("due_to"):
        tasks = tasks.filter(deadline__lte=data["due_to"])
    return tasks


# Assigning


@login_required
def task_assign(request: AuthenticatedRequest) -> HttpResponse:
    """Assign one task to one or several people in the assigner's scope: one task each."""
    if not permissions.can_assign_in(request.user):
        raise PermissionDenied
    today = clock.today()
    form = TaskAssignForm(
        request.POST or None,
        people=queries.people_assignable_by(request.user, today),
        product_types=queries.product_types_assignable_by(request.user, today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.assign_to_many(
                data["owners"],
                by=request.user,
                title=data["title"],
                description=data["description"],
                coordinators=data["coordinators"],
                source=data["source"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                product_type=data["product_type"],
                quantity=data["quantity"],
                start_date=data["start_date"],
                due_date=data["due_date"],
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext("%(count)d task assigned.", "%(count)d tasks assigned.", len(created))
                % {"count": len(created)},
            )
            return redirect(_after_assign(request, created))
    return render(request, "work/task_assign.html", {"form": form})


def _after_assign(request: AuthenticatedRequest, created: list[Task]) -> str:
    """One task: its page. Several: the board of an assigning unit that holds them all."""
    if len(created) == 1:
        return reverse("work:task_detail", args=[created[0].pk])
    paths = [task.unit.path for task in created]
    for role in active_roles(request.user):
        if role.role in permissions.ASSIGNERS and all(p.startswith(role.unit.path) for p in paths):
            return reverse("work:task_board", args=[role.unit_id])
    return reverse("work:task_detail", args=[created[0].pk])


# One task


def _task_or_404(request: AuthenticatedRequest, pk: int) -> Task:
    tasks = queries.tasks_visible_to(request.user).select_related(
        "owner__unit", "unit", "assigned_by__person", "product_type", "assessed_by__person"
    )
    return get_object_or_404(tasks, pk=pk)


def _progress_kinds(user: Any, task: Task) -> list[str]:
    kinds = []
    if permissions.can_report_progress(user, task):
        kinds.append(ProgressForm.KIND_PROGRESS)
    if permissions.can_comment(user, task):
        kinds.append(ProgressForm.KIND_COMMENT)
    return kinds


def _extension_blocker(task: Task, pending: DeadlineExtension | None) -> str:
    """Why the owner cannot ask for an extension now ("" when they can)."""
    if pending is not None:
        return _("An extension is already waiting for an answer.")
    if clock.today() > task.deadline:
        return _(
            "The deadline has passed: extensions are asked before the deadline. Complete the "
            "task and explain the delay in your report."
        )
    return ""


def _detail_context(
    request: AuthenticatedRequest, task: Task, **forms_in_use: forms.Form
) -> dict[str, Any]:
    """Everything the task page shows; `forms_in_use` replaces a blank form by a bound one."""
    user = request.user
    files = Prefetch("files", queryset=EvidenceFile.objects.order_by("id"))
    updates = task.updates.select_related("author__person").prefetch_related(files)
    extensions = list(task.extensions.select_related("requested_by__person", "answered_by__person"))
    pending = next((e for e in extensions if e.status == DeadlineExtension.Status.PENDING), None)
    kinds = _progress_kinds(user, task)
    can_manage = task.is_open and permissions.can_manage_task(user, task)
    context: dict[str, Any] = {
        "task": task,
        "today": clock.today(),
        "coordinators": list(task.coordinators.select_related("unit")),
        "updates": list(updates.order_by("-created_at", "-id")),
        "extensions": extensions,
        "pending": pending,
        "can_progress": ProgressForm.KIND_PROGRESS in kinds,
        "can_comment": ProgressForm.KIND_COMMENT in kinds,
        "can_complete": permissions.can_report_progress(user, task),
        "can_extend": permissions.can_request_extension(user, task),
        "extension_blocker": _extension_blocker(task, pending),
        "can_answer": pending is not None
        and task.status != Task.Status.CANCELLED
        and permissions.can_answer_extension(user, pending),
        "can_assess": permissions.can_assess(user, task),
        "can_manage": can_manage,
    }
    if kinds:
        context["progress_form"] = ProgressForm(kinds=kinds, initial={"progress": task.progress})
    if context["can_complete"]:
        context["complete_form"] = CompleteForm()
    if context["can_extend"]:
        context["extension_form"] = ExtensionRequestForm()
    if context["can_answer"]:
        context["answer_form"] = ExtensionAnswerForm()
    if context["can_assess"]:
        context["assess_form"] = AssessForm(initial=AssessForm.initial_for(task))
    if can_manage:
        context["reassign_form"] = ReassignForm(people=_new_owners(request, task))
        context["cancel_form"] = CancelForm()
    context.update(forms_in_use)
    return context


def _new_owners(request: AuthenticatedRequest, task: Task) -> QuerySet[Person]:
    people = queries.people_assignable_by(request.user, clock.today())
    return people.exclude(pk=task.owner_id)


@login_required
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    return render(request, "work/task_detail.html", _detail_context(request, task))


def _action_page(
    request: AuthenticatedRequest,
    task: Task,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    url: str,
    notice: str = "",
    show_form: bool = True,
) -> HttpResponse:
    """The page of one action's form (GET, or POST with errors: what was typed is kept)."""
    return render(
        request,
        "work/task_action.html",
        {
            "task": task,
            "form": form,
            "title": title,
            "submit": submit,
            "url": url,
            "notice": notice,
            "show_form": show_form,
        },
    )


def _done(request: AuthenticatedRequest, task: Task, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("work:task_detail", pk=task.pk)


@login_required
def task_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A progress report with evidence files (owner) or a comment (owner, coordinators,
    assigner). From htmx it answers with the task page's activity partial, else redirects."""
    task = _task_or_404(request, pk)
    kinds = _progress_kinds(request.user, task)
    if not kinds:
        raise PermissionDenied
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        initial={"progress": task.progress},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == ProgressForm.KIND_PROGRESS:
                services.report_progress(
                    task,
                    by=request.user,
                    progress=data["progress"],
                    text=data["text"],
                    files=data["evidence"],
                )
            else:
                services.comment(task, by=request.user, text=data["text"])
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            if not request.htmx:
                return _done(request, task, _("Saved."))
            task = _task_or_404(request, pk)
            return render(request, "work/task_detail.html#activity", _detail_context(request, task))
    if request.htmx:
        context = _detail_context(request, task, progress_form=form)
        return render(request, "work/task_detail.html#activity", context)
    return _action_page(
        request,
        task,
        form,
        title=_progress_title(kinds),
        submit=_("Save"),
        url=reverse("work:task_progress", args=[task.pk]),
    )


def _progress_title(kinds: list[str]) -> str:
    if kinds == [ProgressForm.KIND_COMMENT]:
        return _("Comment")
    if kinds == [ProgressForm.KIND_PROGRESS]:
        return _("Report progress")
    return _("Report progress or comment")


@login_required
def task_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if not permissions.can_report_progress(request.user, task):
        raise PermissionDenied
    form = CompleteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_task(
                task, by=request.user, on=data["on"], text=data["text"], files=data["evidence"]
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("The task is done. The assigner will assess it."))
    return _action_page(
        request,
        task,
        form,
        title=_("Complete the task"),
        submit=_("Mark as done"),
        url=reverse("work:task_complete", args=[task.pk]),
    )


@login_required
def extension_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if not permissions.can_request_extension(request.user, task):
        raise PermissionDenied
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extensions.request_extension(
                task,
                by=request.user,
                proposed_deadline=data["proposed_deadline"],
                reason=data["reason"],
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("Your request was sent to the assigner."))
    pending = task.extensions.filter(status=DeadlineExtension.Status.PENDING).first()
    blocker = _extension_blocker(task, pending) if request.method == "GET" else ""
    return _action_page(
        request,
        task,
        form,
        title=_("Ask for a later deadline"),
        submit=_("Send the request"),
        url=reverse("work:extension_request", args=[task.pk]),
        notice=blocker,
        show_form=not blocker,
    )


@login_required
def extension_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(
        DeadlineExtension.objects.filter(task__in=queries.tasks_visible_to(request.user)),
        pk=pk,
    )
    task = _task_or_404(request, extension.task_id)
    if not permissions.can_answer_extension(request.user, extension):
        raise PermissionDenied
    if extension.status != DeadlineExtension.Status.PENDING:
        messages.info(request, _("This request has already been answered."))
        return redirect("work:task_detail", pk=task.pk)
    form = ExtensionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extensions.answer_extension(
                extension, by=request.user, approve=form.approve, note=form.cleaned_data["note"]
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("Your answer was sent to the owner."))
    return _action_page(
        request,
        task,
        form,
        title=_("Answer the extension request"),
        submit=_("Send the answer"),
        url=reverse("work:extension_answer", args=[extension.pk]),
        notice=_("%(name)s asks to move the deadline from %(old)s to %(new)s: %(reason)s")
        % {
            "name": task.owner.full_name,
            "old": _day(extension.previous_deadline),
            "new": _day(extension.proposed_deadline),
            "reason": extension.reason,
        },
    )


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@login_required
def task_assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if not permissions.can_assess(request.user, task):
        raise PermissionDenied
    form = AssessForm(request.POST or None, initial=AssessForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment.assess_task(
                task,
                by=request.user,
                meets_quality=data["meets_quality"],
                major_errors=data["major_errors"],
                objective_cause=data["objective_cause"],
                note=data["note"],
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("Assessment saved."))
    return _action_page(
        request,
        task,
        form,
        title=_("Assess the result"),
        submit=_("Save the assessment"),
        url=reverse("work:task_assess", args=[task.pk]),
    )


def _closed_redirect(request: AuthenticatedRequest, task: Task) -> HttpResponse | None:
    """Reassigning and cancelling: 403 for who may not; a closed task goes back to its page."""
    if not permissions.can_manage_task(request.user, task):
        raise PermissionDenied
    if not task.is_open:
        messages.info(request, _("This task is closed: it can no longer be changed."))
        return redirect("work:task_detail", pk=task.pk)
    return None


@login_required
def task_reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if closed := _closed_redirect(request, task):
        return closed
    form = ReassignForm(request.POST or None, people=_new_owners(request, task))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reassign_task(
                task, by=request.user, new_owner=data["new_owner"], reason=data["reason"]
            )
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("The task has a new owner."))
    return _action_page(
        request,
        task,
        form,
        title=_("Change the owner"),
        submit=_("Change the owner"),
        url=reverse("work:task_reassign", args=[task.pk]),
    )


@login_required
def task_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if closed := _closed_redirect(request, task):
        return closed
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(task, by=request.user, reason=form.cleaned_data["reason"])
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, task, _("The task was cancelled. It stays in the history."))
    return _action_page(
        request,
        task,
        form,
        title=_("Cancel the task"),
        submit=_("Cancel the task"),
        url=reverse("work:task_cancel", args=[task.pk]),
    )


# Evidence


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The file, to whoever may see its task, always as a download (never shown inline)."""
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(task__in=queries.tasks_visible_to(request.user)), pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
