"""Changing rulebooks, for the HR officer: clone one into an organisation, edit a part of a
clone that no period uses yet. A frozen rulebook's page explains why and offers cloning."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.evaluations import permissions
from danhgia.evaluations.models import CategoryRulebook, Rulebook
from danhgia.evaluations.rulebook_forms import (
    PART_FORMS,
    CategoryRulebookForm,
    CloneRulebookForm,
)
from danhgia.evaluations.rules.reading import PART_NAMES
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import assign_rulebook
from danhgia.evaluations.services.periods import applicable_rulebook
from danhgia.evaluations.services.rulebooks import clone_rulebook, update_rulebook_part
from danhgia.evaluations.views.periods import ORGANISATION_KINDS
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import units_visible_to


def _rulebook(request: AuthenticatedRequest, pk: int) -> Rulebook:
    """The rulebook, for HR or an admin: national ones, and those of organisations in scope
    (others are 404)."""
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    rulebook = get_object_or_404(Rulebook.objects.select_related("organisation"), pk=pk)
    if not permissions.can_clone_rulebook(request.user, rulebook):
        raise Http404
    return rulebook


def _organisations(request: AuthenticatedRequest) -> Any:
    """The organisations a rulebook may belong to, among those the user manages."""
    units = units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS).order_by("path")
    allowed = [unit.pk for unit in units if permissions.can_manage_periods(request.user, unit)]
    return Unit.objects.filter(pk__in=allowed).order_by("path")


@login_required
def rulebook_clone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Clone a rulebook into an organisation; the clone's page follows."""
    rulebook = _rulebook(request, pk)
    form = CloneRulebookForm(
        request.POST or None,
        organisations=_organisations(request),
        initial={"name": rulebook.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            clone = clone_rulebook(
                rulebook,
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Rulebook cloned: %(code)s version %(version)d. Edit its parts below.")
                % {"code": clone.code, "version": clone.version},
            )
            return redirect("evaluations:rulebook_detail", clone.pk)
    return render(request, "evaluations/rulebook_clone.html", {"rulebook": rulebook, "form": form})


def _level_names(rulebook: Rulebook) -> dict[str, str]:
    """Level codes to names from the JSON as stored (the form works on an invalid part too)."""
    items = rulebook.levels.get("items") if isinstance(rulebook.levels, dict) else None
    return {
        str(item.get("code")): str(item.get("name"))
        for item in items or []
        if isinstance(item, dict)
    }


@login_required
def rulebook_edit(request: AuthenticatedRequest, pk: int, part: str) -> HttpResponse:
    """Edit one part of a rulebook no period uses; the engine's objection is shown in place."""
    rulebook = _rulebook(request, pk)
    if part not in PART_FORMS:
        raise Http404
    context: dict[str, Any] = {
        "rulebook": rulebook,
        "part": part,
        "part_name": PART_NAMES[part],
        "can_edit": permissions.can_edit_rulebook(request.user, rulebook),
    }
    if not context["can_edit"]:
        return render(request, "evaluations/rulebook_edit.html", context)
    value = getattr(rulebook, part)
    form = PART_FORMS[part](
        request.POST or None,
        value=value if isinstance(value, dict) else {},
        level_names=_level_names(rulebook),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_rulebook_part(rulebook, by=request.user, part=part, value=form.part())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(part)s saved.") % {"part": str(PART_NAMES[part]).capitalize()}
            )
            return redirect("evaluations:rulebook_detail", rulebook.pk)
    context["form"] = form
    return render(request, "evaluations/rulebook_edit.html", context)


def _managed_units(request: AuthenticatedRequest) -> Any:
    """The units whose staff categories the user may assign a rulebook to."""
    units = units_visible_to(request.user).order_by("path")
    allowed = [unit.pk for unit in units if permissions.can_manage_periods(request.user, unit)]
    return Unit.objects.filter(pk__in=allowed).order_by("path")


@login_required
def category_rulebooks(request: AuthenticatedRequest) -> HttpResponse:
    """The rulebook of each staff category per unit (viên chức under their own regime while
    công chức follow Nghị định 335): the assignments in scope, and a form to set or remove
    one. Periods opened afterwards use it; sheets already opened keep theirs."""
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    units = _managed_units(request)
    rulebooks = Rulebook.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=units)
    ).order_by("code", "-version")
    form = CategoryRulebookForm(request.POST or None, units=units, rulebooks=rulebooks)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        default = applicable_rulebook(unit, clock.today())
        try:
            if default is None:
                raise EvaluationError(
                    _("No rulebook applies to %(unit)s today.") % {"unit": unit.name}
                )
            assign_rulebook(
                unit,
                form.cleaned_data["staff_category"],
                form.cleaned_data["rulebook"],
                default=default,
                by=request.user,
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved. Periods opened from now on use it."))
            return redirect("evaluations:category_rulebooks")
    assignments = (
        CategoryRulebook.objects.filter(organisation__in=units)
        .select_related("organisation", "rulebook", "updated_by")
        .order_by("organisation__path", "staff_category")
    )
    return render(
        request,
        "evaluations/category_rulebooks.html",
        {"form": form, "assignments": assignments},
    )
