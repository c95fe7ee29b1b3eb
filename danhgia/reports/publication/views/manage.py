"""Publishing for HR (or the head, by the organisation's setting): the decided periods of
their scope with publish and unpublish (with a reason), each organisation's setting, and the
results announced within the unit for its people."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.evaluations.queries import periods_visible_to
from danhgia.organisations.models import UnitKind
from danhgia.organisations.queries import units_visible_to
from danhgia.reports.publication import permissions
from danhgia.reports.publication.forms import PublishForm, SettingForm, UnpublishForm
from danhgia.reports.publication.models import Privacy
from danhgia.reports.publication.queries import (
    all_settings,
    in_force,
    internal_publications_for,
    results,
    setting_for,
)
from danhgia.reports.publication.services import (
    PublicationError,
    change_setting,
    publish_period,
    unpublish,
)
from danhgia.reports.publication.views.public import month_url, with_rows_html

# The units a period is opened for (as on the periods page), hence those with a setting.
ORGANISATION_KINDS = [
    UnitKind.PROVINCE,
    UnitKind.DEPARTMENT,
    UnitKind.COMMUNE,
    UnitKind.DISTRICT,
    UnitKind.PUBLIC_SERVICE,
]
LIST_LIMIT = 200


@login_required
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    """Decided and closed periods of the user's scope, newest first, with their publication."""
    if not permissions.can_open_publication_list(request.user):
        raise PermissionDenied
    known = all_settings()
    periods = (
        periods_visible_to(request.user)
        .filter(state__in=permissions.PUBLISHABLE_STATES)
        .select_related("organisation")
        .prefetch_related(Prefetch("publications", queryset=in_force(), to_attr="current"))
        .order_by("-start", "organisation__path")[:LIST_LIMIT]
    )
    rows = []
    for period in periods:
        current = period.current[0] if period.current else None  # type: ignore[attr-defined]
        rows.append(
            {
                "period": period,
                "publication": current,
                "can_publish": permissions.can_publish(request.user, period, known),
                "public_url": month_url("public_month", period.organisation.code, period.start)
                if current is not None and current.is_public
                else "",
            }
        )
    return render(
        request,
        "reports/publication/manage_list.html",
        {"rows": rows, "can_edit_settings": permissions.can_edit_setting(request.user)},
    )


@login_required
def publish(request: AuthenticatedRequest, period_pk: int) -> HttpResponse:
    """Publish a decided period: the audience and the privacy (the organisation's default)."""
    period = get_object_or_404(
        periods_visible_to(request.user).select_related("organisation", "rulebook"), pk=period_pk
    )
    if not permissions.can_publish(request.user, period):
        raise PermissionDenied
    initial = {"privacy": setting_for(period.organisation).privacy}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publish_period(
                period,
                by=request.user,
                audience=form.cleaned_data["audience"],
                privacy=form.cleaned_data["privacy"],
            )
        except PublicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(period)s is published.") % {"period": period})
            return redirect("publication:manage_list")
    publishable = period.state in permissions.PUBLISHABLE_STATES
    return render(
        request,
        "reports/publication/publish.html",
        {"period": period, "form": form, "publishable": publishable},
    )


@login_required
def unpublish_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Take a publication down, with the reason."""
    publication = get_object_or_404(
        in_force()
        .filter(period__in=periods_visible_to(request.user))
        .select_related("period__organisation"),
        pk=pk,
    )
    if not permissions.can_publish(request.user, publication.period):
        raise PermissionDenied
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unpublish(publication, by=request.user, reason=form.cleaned_data["reason"])
        except PublicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(period)s is no longer published.") % {"period": publication.period}
            )
            return redirect("publication:manage_list")
    return render(
        request, "reports/publication/unpublish.html", {"publication": publication, "form": form}
    )


@login_required
def setting_list(request: AuthenticatedRequest) -> HttpResponse:
    """The organisations of the HR officer's scope with the setting in force for each."""
    if not permissions.can_edit_setting(request.user):
        raise PermissionDenied
    known = all_settings()
    organisations = units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS)
    rows = [
        {"unit": unit, "setting": setting_for(unit, known), "own": unit.pk in known}
        for unit in organisations.order_by("path")[:LIST_LIMIT]
    ]
    return render(request, "reports/publication/setting_list.html", {"rows": rows})


@login_required
def setting_edit(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """Change an organisation's default privacy and who publishes its months."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not permissions.can_edit_setting(request.user, unit):
        raise PermissionDenied
    current = setting_for(unit)
    form = SettingForm(
        request.POST or None,
        initial={"privacy": current.privacy, "publisher": current.publisher},
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_setting(unit, by=request.user, **form.cleaned_data)
        except PublicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The setting of %(unit)s is saved.") % {"unit": unit})
            return redirect("publication:setting_list")
    return render(request, "reports/publication/setting_edit.html", {"unit": unit, "form": form})


@login_required
def internal_list(request: AuthenticatedRequest) -> HttpResponse:
    """The months announced within the user's units (newest first)."""
    publications = (
        internal_publications_for(request.user)
        .select_related("period__organisation")
        .order_by("-period__start", "period__organisation__path")[:LIST_LIMIT]
    )
    return render(request, "reports/publication/internal_list.html", {"publications": publications})


@login_required
def internal_page(request: AuthenticatedRequest, period_pk: int) -> HttpResponse:
    """A month's results announced within the unit: names, titles, units, levels, scores."""
    publication = (
        internal_publications_for(request.user)
        .filter(period_id=period_pk)
        .select_related("period__organisation", "period__rulebook")
        .first()
    )
    if publication is None:
        raise Http404
    period = publication.period
    context: dict[str, Any] = {
        "publication": publication,
        "period": period,
        "unit": period.organisation,
        "results": with_rows_html(results(period, period.organisation, Privacy.NAMES_AND_SCORES)),
        "reopened": period.state not in permissions.PUBLISHABLE_STATES,
    }
    return render(request, "reports/publication/internal_page.html", context)
