from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.http import paginate, query_string_without_page
from danhgia.organisations import permissions, queries, services
from danhgia.organisations.forms import RoleEndForm, RoleForm, UnitForm
from danhgia.organisations.models import Role, Unit, UnitKind, UnitRole


@login_required
def unit_tree(request: AuthenticatedRequest) -> HttpResponse:
    """All units in the user's scope as one indented list: three queries, whatever the size."""
    units = queries.unit_tree(request.user)
    today = clock.today()
    heads = queries.heads_by_unit([unit.pk for unit in units], today)
    top_depth = min((unit.depth for unit in units), default=0)
    kinds = dict(UnitKind.choices)
    totals = _subtree_totals(units)
    url_of = reverse("organisations:unit_detail", args=[0]).replace("/0/", "/{}/")
    rows = [
        {
            "url": url_of.format(unit.pk),
            "name": unit.name,
            "indent": min(unit.depth - top_depth, 8),
            "kind": kinds.get(unit.kind, ""),
            "people": _people_label(unit.people_count, totals[unit.pk]),  # type: ignore[attr-defined]
            "heads": _head_labels(heads.get(unit.pk, [])),
            "ended": unit.valid_to is not None and unit.valid_to < today,
            "valid_to": unit.valid_to,
        }
        for unit in units
    ]
    return render(
        request,
        "organisations/unit_tree.html",
        {"rows": rows, "can_create": permissions.can_edit_organisation(request.user)},
    )


def _subtree_totals(units: list[Unit]) -> dict[int, int]:
    """People in each unit and all units below it, from the direct counts (no query)."""
    totals = {unit.pk: unit.people_count for unit in units}  # type: ignore[attr-defined]
    for unit in sorted(units, key=lambda u: u.depth, reverse=True):
        if unit.parent_id in totals:
            totals[unit.parent_id] += totals[unit.pk]
    return totals


def _people_label(direct: int, total: int) -> str:
    label = ngettext("%(count)d person", "%(count)d people", direct) % {"count": direct}
    if total != direct:
        label += " " + _("(%(total)d with sub-units)") % {"total": total}
    return label


def _head_labels(roles: list[UnitRole]) -> list[str]:
    labels = []
    for role in roles:
        if role.role != Role.HEAD:
            continue
        person = getattr(role.user, "person", None)
        name = person.full_name if person else role.user.username
        labels.append(_("%(name)s (acting)") % {"name": name} if role.acting else name)
    return labels


# Roles are listed in the order of Role's choices (most senior first): every role has a place.
ROLE_ORDER: dict[str, int] = {role.value: index for index, role in enumerate(Role)}


def _with_can_end(user: User, roles: list[UnitRole]) -> list[UnitRole]:
    """Each role with `can_end`: the page offers "end role" only where the user may."""
    for role in roles:
        role.can_end = permissions.can_end_role(user, role)  # type: ignore[attr-defined]
    return roles


@login_required
def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        queries.units_visible_to(request.user).select_related("parent", "merged_into"), pk=pk
    )
    today = clock.today()
    people = paginate(request, queries.people_of_unit(unit))
    context = {
        "unit": unit,
        "page": people,
        "query_string": query_string_without_page(request),
        "children": queries.units_visible_to(request.user).filter(parent=unit).order_by("path"),
        "roles": _with_can_end(
            request.user,
            sorted(
                unit.roles.active_on(today).select_related("unit", "user__person__unit"),
                key=lambda role: (ROLE_ORDER[role.role], role.valid_from),
            ),
        ),
        "can_edit": permissions.can_edit_organisation(request.user, unit),
        "parent_visible": unit.parent_id is not None
        and queries.units_visible_to(request.user).filter(pk=unit.parent_id).exists(),
        "can_assign_roles": permissions.can_assign_roles(request.user, unit),
    }
    if request.htmx:
        return render(request, "organisations/unit_detail.html#people", context)
    return render(request, "organisations/unit_detail.html", context)


@login_required
def unit_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_organisation(request.user):
        raise PermissionDenied
    parents = queries.units_visible_to(request.user).order_by("path")
    form = UnitForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        unit = form.save(commit=False)
        if unit.parent is None and not permissions.can_edit_organisation(request.user, unit):
            form.add_error("parent", _("Choose the parent unit within your scope."))
        else:
            return _save_unit_or_show_error(request, form, unit)
    return render(request, "organisations/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(queries.units_visible_to(request.user), pk=pk)
    if not permissions.can_edit_organisation(request.user, unit):
        raise PermissionDenied
    parents = queries.units_visible_to(request.user).exclude(path__startswith=unit.path)
    form = UnitForm(request.POST or None, instance=unit, parents=parents.order_by("path"))
    if request.method == "POST" and form.is_valid():
        return _save_unit_or_show_error(request, form, form.save(commit=False))
    return render(request, "organisations/unit_form.html", {"form": form, "unit": unit})


def _save_unit_or_show_error(
    request: AuthenticatedRequest, form: UnitForm, unit: Unit
) -> HttpResponse:
    try:
        unit = services.save_unit(unit, by=request.user)
    except services.OrganisationError as error:
        form.add_error(None, str(error))
        return render(request, "organisations/unit_form.html", {"form": form, "unit": unit})
    messages.success(request, _("Unit saved."))
    return redirect("organisations:unit_detail", pk=unit.pk)


@login_required
def role_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(queries.units_visible_to(request.user), pk=pk)
    if not permissions.can_assign_roles(request.user, unit):
        raise PermissionDenied
    people = queries.people_visible_to(request.user).filter(user__isnull=False)
    form = RoleForm(
        request.POST or None,
        people=people,
        granter=request.user,
        grantable=permissions.grantable_roles(request.user, unit),
        initial={"valid_from": clock.today()},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_role(
                form.user,
                unit,
                data["role"],
                by=request.user,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                include_subunits=data["include_subunits"],
                acting=data["acting"],
            )
        except services.OrganisationError as error:
            form.add_error(None, str(error))
            status = 403 if isinstance(error, services.RoleGrantForbidden) else 200
        else:
            messages.success(request, _("Role assigned."))
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(
        request, "organisations/role_form.html", {"form": form, "unit": unit}, status=status
    )


@login_required
@require_POST
def role_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit_role = get_object_or_404(
        UnitRole.objects.filter(unit__in=queries.units_visible_to(request.user)), pk=pk
    )
    if not permissions.can_assign_roles(request.user, unit_role.unit):
        raise PermissionDenied
    form = RoleEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day of the role as dd/mm/yyyy."))
    else:
        try:
            services.end_role(unit_role, on=form.cleaned_data["on"], by=request.user)
            messages.success(request, _("Role ended."))
        except services.RoleGrantForbidden as error:
            return render(
                request,
                "error_page.html",
                {"title": _("Not allowed"), "paragraphs": [str(error)]},
                status=403,
            )
        except services.OrganisationError as error:
            messages.error(request, str(error))
    return redirect("organisations:unit_detail", pk=unit_role.unit_id)
