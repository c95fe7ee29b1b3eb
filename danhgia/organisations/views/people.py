import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import DateField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.http import paginate, query_string_without_page
from danhgia.core.models import AuditLog
from danhgia.organisations import permissions, queries, services
from danhgia.organisations.forms import PeopleSearchForm, PersonForm
from danhgia.organisations.models import Person, PersonQuerySet, UnitRole


@login_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    people: PersonQuerySet = queries.people_visible_to(request.user).select_related(
        "unit", "job_position"
    )
    unit = None
    if form.is_valid():
        people = people.search(form.cleaned_data["q"] or "")
        if form.cleaned_data["unit"]:
            unit = get_object_or_404(
                queries.units_visible_to(request.user), pk=form.cleaned_data["unit"]
            )
            people = people.filter(unit__path__startswith=unit.path)
    context = {
        "form": form,
        "page": paginate(request, people),
        "query_string": query_string_without_page(request),
        "filter_unit": unit,
        "can_create": permissions.can_edit_organisation(request.user),
    }
    if request.htmx:
        return render(request, "organisations/person_list.html#results", context)
    return render(request, "organisations/person_list.html", context)


@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        queries.people_visible_to(request.user).select_related("unit", "job_position", "user"),
        pk=pk,
    )
    can_history = permissions.can_view_history(request.user, person.unit)
    history = _history(person) if can_history else []
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "roles": UnitRole.objects.filter(user_id=person.user_id).select_related("unit")
            if person.user_id
            else [],
            "can_edit": permissions.can_edit_person(request.user, person),
            "history": history,
            "can_history": can_history,
            "unit_visible": queries.units_visible_to(request.user)
            .filter(pk=person.unit_id)
            .exists(),
        },
    )


def _history(person: Person) -> list[AuditLog]:
    """The person's latest audit rows, each with `changes` as (field label, before, after)."""
    entries = list(
        AuditLog.objects.filter(
            object_type="organisations.person", object_id=str(person.pk)
        ).select_related("actor")[:50]
    )
    for entry in entries:
        changes = entry.data.get("changes", {}) if isinstance(entry.data, dict) else {}
        entry.changes = [  # type: ignore[attr-defined]
            (_field_label(name), _shown(name, before), _shown(name, after))
            for name, (before, after) in changes.items()
            if before not in (None, "", False) or after not in (None, "", False)
        ]
    return entries


def _field_label(name: str) -> str:
    try:
        return str(getattr(Person._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _shown(name: str, value: object) -> str:
    """A stored audit value as people read it: choice labels, yes/no, dd/mm/yyyy."""
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        field = Person._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    choices = dict(getattr(field, "choices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(field, DateField) and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


@login_required
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_organisation(request.user):
        raise PermissionDenied
    units = queries.units_visible_to(request.user).order_by("path")
    form = PersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        return _save_person_or_show_error(request, form, form.save(commit=False))
    return render(request, "organisations/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(queries.people_visible_to(request.user), pk=pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied
    units = queries.units_visible_to(request.user).order_by("path")
    form = PersonForm(request.POST or None, instance=person, units=units)
    if request.method == "POST" and form.is_valid():
        return _save_person_or_show_error(request, form, form.save(commit=False))
    return render(request, "organisations/person_form.html", {"form": form, "person": person})


def _save_person_or_show_error(
    request: AuthenticatedRequest, form: PersonForm, person: Person
) -> HttpResponse:
    try:
        person = services.save_person(person, by=request.user)
    except services.OrganisationError as error:
        form.add_error(None, str(error))
        return render(request, "organisations/person_form.html", {"form": form, "person": person})
    messages.success(request, _("Saved."))
    return redirect("organisations:person_detail", pk=person.pk)


@login_required
@require_POST
def login_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(queries.people_visible_to(request.user), pk=pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied
    try:
        user = services.create_login(person, by=request.user)
        messages.success(
            request,
            _("Login %(name)s created. The person sets a password with “Forgot password”.")
            % {"name": user.username},
        )
    except services.OrganisationError as error:
        messages.error(request, str(error))
    return redirect("organisations:person_detail", pk=person.pk)
