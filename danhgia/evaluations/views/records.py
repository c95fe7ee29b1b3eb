"""Records HR keeps for the evaluation: the discipline and leave registers (add, correct,
delete), findings, the organisation's policy, a person's transfer, and a person's evaluation
record ("Hồ sơ đánh giá": their sheets, discipline, leave and moves).

Every view fetches through the user's scope (out of scope: 404), checks a predicate (not
allowed: 403), validates a form and calls one service; a refused change keeps what was typed
and shows the service's message.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.core.http import paginate, query_string_without_page
from danhgia.evaluations import permissions
from danhgia.evaluations.facts_leave import leave_days_in
from danhgia.evaluations.facts_transfers import moves_of, moves_within
from danhgia.evaluations.models import Discipline, EvaluationPolicy, Leave, Sheet
from danhgia.evaluations.policy import policy_for
from danhgia.evaluations.record_forms import (
    DeleteRecordForm,
    DisciplineForm,
    FindingForm,
    LeaveForm,
    PolicyForm,
    RegisterFilterForm,
    TransferForm,
)
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services import records as services
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.transfers import transfer_person
from danhgia.organisations.models import Person, Unit, UnitKind
from danhgia.organisations.queries import people_visible_to, units_visible_to

# The units that carry a policy (a division follows its department).
POLICY_KINDS = [
    UnitKind.PROVINCE,
    UnitKind.DEPARTMENT,
    UnitKind.COMMUNE,
    UnitKind.DISTRICT,
    UnitKind.PUBLIC_SERVICE,
]


def _require_keeper(request: AuthenticatedRequest, unit: Unit | None = None) -> None:
    if not permissions.can_keep_records(request.user, unit):
        raise PermissionDenied


def _scoped(request: AuthenticatedRequest, model: type[Model]) -> QuerySet[Any]:
    """Records of the people the user sees (their own, and everyone in their scope)."""
    return model.objects.filter(person__in=people_visible_to(request.user)).select_related(  # type: ignore[attr-defined]
        "person__unit"
    )


# Registers


REGISTERS: dict[str, dict[str, Any]] = {
    "discipline": {"model": Discipline, "kind_field": "form", "order": ["-effective_from", "-pk"]},
    "leave": {"model": Leave, "kind_field": "kind", "order": ["-start", "-pk"]},
}


def _register(request: AuthenticatedRequest, register: str) -> HttpResponse:
    _require_keeper(request)
    spec = REGISTERS[register]
    units = units_visible_to(request.user).order_by("path")
    form = RegisterFilterForm(request.GET or None, units=units, register=register)
    records = _scoped(request, spec["model"]).select_related("recorded_by__person")
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            records = records.filter(person__unit__path__startswith=data["unit"].path)
        if data["q"]:
            records = records.filter(person__in=Person.objects.search(data["q"]))
        if data["kind"]:
            records = records.filter(**{spec["kind_field"]: data["kind"]})
        if data["year"]:
            first = datetime.date(data["year"], 1, 1)
            last = datetime.date(data["year"], 12, 31)
            if register == "leave":
                records = records.filter(start__lte=last, end__gte=first)
            else:
                records = records.filter(effective_from__range=(first, last))
    context = {
        "register": register,
        "form": form,
        "page": paginate(request, records.order_by(*spec["order"])),
        "query_string": query_string_without_page(request),
    }
    if request.htmx:
        return render(request, "evaluations/records_register.html#results", context)
    return render(request, "evaluations/records_register.html", context)


@login_required
def discipline_list(request: AuthenticatedRequest) -> HttpResponse:
    """The discipline register of the HR officer's scope, filtered and paged."""
    return _register(request, "discipline")


@login_required
def leave_list(request: AuthenticatedRequest) -> HttpResponse:
    """The leave register of the HR officer's scope, filtered and paged."""
    return _register(request, "leave")


# Add, correct, delete


def _initial_person(request: AuthenticatedRequest) -> dict[str, Any]:
    """`?person=<pk>` (from a person's record page) fills in their employee code."""
    pk = request.GET.get("person", "")
    if not pk.isdigit():
        return {}
    person = people_visible_to(request.user).filter(pk=int(pk)).first()
    return {"employee_code": person.employee_code} if person else {}


def _form_page(
    request: AuthenticatedRequest, form: Any, *, title: str, back: str, record: Any = None
) -> HttpResponse:
    return render(
        request,
        "evaluations/records_form.html",
        {"form": form, "title": title, "back": back, "record": record},
    )


def _after_save(request: AuthenticatedRequest, person: Person, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("evaluations:person_record", person_pk=person.pk)


@login_required
def discipline_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_keeper(request)
    people = people_visible_to(request.user)
    form = DisciplineForm(request.POST or None, people=people, initial=_initial_person(request))
    if request.method == "POST" and form.is_valid():
        assert form.person is not None
        try:
            discipline = services.record_discipline(form.person, by=request.user, **form.values())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            decided = services.decided_sheets_vetoed_by(form.person, discipline.effective_from)
            if decided:
                messages.warning(
                    request,
                    _(
                        "%(count)d sheets of %(name)s decided before this record keep their "
                        "level; reopen them if the decision must change."
                    )
                    % {"count": len(decided), "name": form.person.full_name},
                )
            return _after_save(request, form.person, _("Discipline recorded."))
    return _form_page(
        request, form, title=_("Record a discipline"), back="evaluations:discipline_list"
    )


@login_required
def discipline_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    discipline = get_object_or_404(_scoped(request, Discipline), pk=pk)
    _require_keeper(request, discipline.person.unit)
    initial = {name: getattr(discipline, name) for name in services.DISCIPLINE_FIELDS}
    form = DisciplineForm(
        request.POST or None,
        people=people_visible_to(request.user),
        person=discipline.person,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_discipline(discipline, by=request.user, **form.values())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, discipline.person, _("Discipline changed."))
    return _form_page(
        request,
        form,
        title=_("Change a discipline"),
        back="evaluations:discipline_list",
        record=discipline,
    )


@login_required
def leave_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_keeper(request)
    people = people_visible_to(request.user)
    form = LeaveForm(request.POST or None, people=people, initial=_initial_person(request))
    if request.method == "POST" and form.is_valid():
        assert form.person is not None
        try:
            services.record_leave(form.person, by=request.user, **form.values())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, form.person, _("Leave recorded."))
    return _form_page(request, form, title=_("Record a leave"), back="evaluations:leave_list")


@login_required
def leave_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    leave = get_object_or_404(_scoped(request, Leave), pk=pk)
    _require_keeper(request, leave.person.unit)
    initial = {name: getattr(leave, name) for name in services.LEAVE_FIELDS}
    form = LeaveForm(
        request.POST or None,
        people=people_visible_to(request.user),
        person=leave.person,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_leave(leave, by=request.user, **form.values())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, leave.person, _("Leave changed."))
    return _form_page(
        request, form, title=_("Change a leave"), back="evaluations:leave_list", record=leave
    )


def _delete(request: AuthenticatedRequest, record: Any, *, title: str, back: str) -> HttpResponse:
    _require_keeper(request, record.person.unit)
    form = DeleteRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete = (
            services.delete_discipline if isinstance(record, Discipline) else services.delete_leave
        )
        try:
            delete(record, by=request.user, reason=form.cleaned_data["reason"])
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, record.person, _("Deleted."))
    return render(
        request,
        "evaluations/records_delete.html",
        {"form": form, "record": record, "title": title, "back": back},
    )


@login_required
def discipline_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    discipline = get_object_or_404(_scoped(request, Discipline), pk=pk)
    return _delete(
        request, discipline, title=_("Delete a discipline"), back="evaluations:discipline_list"
    )


@login_required
def leave_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    leave = get_object_or_404(_scoped(request, Leave), pk=pk)
    return _delete(request, leave, title=_("Delete a leave"), back="evaluations:leave_list")


@login_required
def finding_create(request: AuthenticatedRequest) -> HttpResponse:
    """A conclusion of the competent authority (degradation; corruption in a led unit)."""
    _require_keeper(request)
    people = people_visible_to(request.user)
    form = FindingForm(request.POST or None, people=people, initial=_initial_person(request))
    if request.method == "POST" and form.is_valid():
        assert form.person is not None
        data = form.cleaned_data
        try:
            services.record_finding(
                form.person,
                by=request.user,
                kind=data["kind"],
                concluded_on=data["concluded_on"],
                reference=data["reference"],
                note=data["note"],
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, form.person, _("Conclusion recorded."))
    return _form_page(
        request, form, title=_("Record a conclusion"), back="evaluations:discipline_list"
    )


# The organisation's policy


def _policy_units(request: AuthenticatedRequest) -> QuerySet[Unit]:
    return units_visible_to(request.user).filter(kind__in=POLICY_KINDS).order_by("path")


@login_required
def policy_list(request: AuthenticatedRequest) -> HttpResponse:
    """The organisations of the scope with the policy that applies to each (own or inherited)."""
    if not permissions.can_edit_policy(request.user):
        raise PermissionDenied
    units = list(_policy_units(request)[:500])
    above = {pk for unit in units for pk in unit.ancestor_ids or [unit.pk]}
    policies = {
        policy.organisation_id: policy
        for policy in EvaluationPolicy.objects.filter(organisation_id__in=above)
    }
    rows = []
    for unit in units:
        # The nearest unit up the tree with a policy (`policy.policy_for`), from one query.
        found = [pk for pk in reversed(unit.ancestor_ids or [unit.pk]) if pk in policies]
        policy = policies[found[0]] if found else EvaluationPolicy(organisation=unit)
        rows.append({"unit": unit, "policy": policy, "own": unit.pk in policies})
    return render(request, "evaluations/records_policy_list.html", {"rows": rows})


@login_required
def policy_edit(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """Create or change the organisation's own policy."""
    organisation = get_object_or_404(_policy_units(request), pk=unit_pk)
    if not permissions.can_edit_policy(request.user, organisation):
        raise PermissionDenied
    current = EvaluationPolicy.objects.filter(organisation=organisation).first()
    inherited = policy_for(organisation) if current is None else None
    initial = (
        {name: getattr(inherited, name) for name in services.POLICY_FIELDS} if inherited else {}
    )
    form = PolicyForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
        try:
            services.save_policy(organisation, by=request.user, **values)
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Policy saved."))
            return redirect("evaluations:policy_list")
    return render(
        request,
        "evaluations/records_policy_form.html",
        {"form": form, "organisation": organisation, "current": current, "inherited": inherited},
    )


# A person's evaluation record and transfer


def _level_names(sheets: list[Sheet]) -> None:
    names: dict[int, dict[str, str]] = {}
    for sheet in sheets:
        rulebook_id = sheet.rulebook_id or sheet.period.rulebook_id
        if rulebook_id not in names:
            try:
                config = sheet_config(sheet)
                names[rulebook_id] = {level.code: level.name for level in config.levels}
            except EvaluationError:
                names[rulebook_id] = {}
        sheet.decided_level_name = names[rulebook_id].get(sheet.decided_level, "")  # type: ignore[attr-defined]


def _person_or_404(request: AuthenticatedRequest, person_pk: int) -> Person:
    people = people_visible_to(request.user).select_related("unit", "job_position")
    return get_object_or_404(people, pk=person_pk)


@login_required
def person_record(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    """ "Hồ sơ đánh giá": the person's monthly sheets (the unit of each month), discipline,
    conclusions, leave and moves between units. For the person and the roles over them."""
    person = _person_or_404(request, person_pk)
    if not permissions.can_view_records(request.user, person):
        raise PermissionDenied
    sheets = list(
        Sheet.objects.filter(person=person)
        .select_related("period__organisation", "period__rulebook", "unit")
        .order_by("-period__start", "-pk")
    )
    _level_names(sheets)
    keeper = permissions.can_keep_records(request.user, person.unit)
    return render(
        request,
        "evaluations/records_person.html",
        {
            "person": person,
            "sheets": sheets,
            "disciplines": list(person.disciplines.order_by("-effective_from", "-pk")),
            "findings": list(person.findings.order_by("-concluded_on", "-pk")),
            "leaves": list(person.leaves.order_by("-start", "-pk")),
            "moves": list(reversed(moves_of([person.pk]).get(person.pk, []))),
            "can_keep": keeper,
            "can_transfer": permissions.can_transfer(request.user, person),
        },
    )


@login_required
def person_transfer(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    """HR moves the person to another unit from a day (see `services.transfers.transfer_person`)."""
    person = _person_or_404(request, person_pk)
    if not permissions.can_transfer(request.user, person):
        raise PermissionDenied
    units = (
        units_visible_to(request.user)
        .exclude(pk=person.unit_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=clock.today()))
        .order_by("path")
    )
    form = TransferForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfer_person(person, data["to_unit"], on=data["on"], by=request.user)
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            message = _("%(name)s works in %(unit)s from %(date)s.") % {
                "name": person.full_name,
                "unit": transfer.to_unit.name,
                "date": data["on"].strftime("%d/%m/%Y"),
            }
            if transfer.open_sheets:
                message += " " + _(
                    "The sheet of the month under way stays with %(unit)s, its reviewer and "
                    "decider."
                ) % {"unit": transfer.from_unit.name}
            messages.success(request, message)
            return redirect("evaluations:person_record", person_pk=person.pk)
    return render(request, "evaluations/records_transfer.html", {"form": form, "person": person})


# On the sheet page


def sheet_records(sheet: Sheet) -> dict[str, Any]:
    """What the sheet page shows about leave and moves within the sheet's period
    (`evaluations/includes/sheet_leave.html`): three queries."""
    period = sheet.period
    days = leave_days_in([sheet.person_id], period.start, period.end).get(sheet.person_id, {})
    labels = dict(Leave.Kind.choices)
    moves = moves_within(sheet.person_id, period.start, period.end)
    return {
        "sheet_leave": [
            {"kind": kind, "label": labels[kind], "days": days[kind]}
            for kind in Leave.Kind.values
            if kind in days
        ],
        "period_days": (period.end - period.start).days + 1,
        "sheet_moves": moves,
    }
