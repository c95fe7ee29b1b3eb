"""Dashboards (province → unit → person → task) and the supervision of lenient evaluation.

Charts are drawn by static/js/dashboards.js from data passed with `json_script` (no inline
script under the strict CSP); every chart is followed by a table of its figures.
"""

import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.periods import month_label
from danhgia.evaluations.models import Period
from danhgia.evaluations.queries import sheets_visible_to
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.organisations.models import Unit
from danhgia.organisations.queries import people_visible_to, units_visible_to
from danhgia.reports.dashboards import permissions
from danhgia.reports.dashboards.forms import ThresholdsForm
from danhgia.reports.dashboards.models import (
    THRESHOLD_FIELDS,
    IntegrityCheck,
    SupervisionSettings,
)
from danhgia.reports.dashboards.queries import (
    LEVEL_LABELS,
    Figures,
    chosen_month,
    direct_figures,
    month_filter,
    person_sheets,
    root_units,
    share,
    sheets_of_month,
    start_labels,
    sub_unit_figures,
    task_lines,
    trend,
    unit_months,
)
from danhgia.reports.dashboards.services import DashboardError, save_thresholds
from danhgia.reports.dashboards.supervision import (
    FLAG_TITLES,
    Thresholds,
    flags_for_month,
    supervised_units,
)
from danhgia.reports.exports.documents import header_lines
from danhgia.reports.pdf import render_pdf
from danhgia.reports.xlsx import StreamedWorkbook

PEOPLE_SHOWN = 300  # people listed directly under a unit; more are reached through sub-units


def _pct(value: Any) -> float | None:
    return None if value is None else float(value)


def _charts(figures: Figures, months: list[Figures], rows: list[Figures]) -> dict[str, Any]:
    """The data of the four charts, for json_script."""
    level_names = [str(LEVEL_LABELS[code]) for code in LEVEL_CODES]
    row_names = [str(row.unit) if row.unit else _("directly in the unit") for row in rows]
    charts: dict[str, dict[str, Any]] = {
        "levels": {
            "kind": "stacked_percent",
            "horizontal": True,
            "labels": row_names,
            "series": [
                {
                    "label": name,
                    "key": code,
                    "data": [_pct(share(row.sums[code], row.decided)) for row in rows],
                }
                for code, name in zip(LEVEL_CODES, level_names, strict=True)
            ],
        },
        "trend": {
            "kind": "stacked_percent",
            "labels": [month_label(month.month) for month in months],
            "series": [
                {
                    "label": name,
                    "key": code,
                    "data": [_pct(share(month.sums[code], month.decided)) for month in months],
                }
                for code, name in zip(LEVEL_CODES, level_names, strict=True)
            ],
        },
        "proposals": {
            "kind": "grouped",
            "labels": level_names,
            "series": [
                {
                    "label": _("proposed by the person"),
                    "key": "self",
                    "data": [figures.sums[f"self_{code}"] for code in LEVEL_CODES],
                },
                {
                    "label": _("proposed by the manager"),
                    "key": "manager",
                    "data": [figures.sums[f"manager_{code}"] for code in LEVEL_CODES],
                },
                {
                    "label": _("decided"),
                    "key": "final",
                    "data": [figures.sums[code] for code in LEVEL_CODES],
                },
            ],
        },
        "on_time": {
            "kind": "percent",
            "horizontal": True,
            "labels": row_names,
            "series": [
                {
                    "label": _("tasks done on time (%)"),
                    "key": "on_time",
                    "data": [_pct(row.on_time_rate) for row in rows],
                }
            ],
        },
    }
    return {name: with_table(chart) for name, chart in charts.items()}


def with_table(chart: dict[str, Any]) -> dict[str, Any]:
    """Add `rows`, the chart's figures as a table: (label, [(series label, value) per series]);
    the series' label names each cell when the table becomes cards on a phone."""
    chart["rows"] = [
        (label, [(series["label"], series["data"][index]) for series in chart["series"]])
        for index, label in enumerate(chart["labels"])
    ]
    return chart


def _breadcrumbs(request: AuthenticatedRequest, unit: Unit) -> list[Unit]:
    """The visible units above `unit`, top first (one query)."""
    above = [unit_id for unit_id in unit.ancestor_ids if unit_id != unit.pk]
    if not above:
        return []
    return list(units_visible_to(request.user).filter(pk__in=above).order_by("depth"))


def _unit_page(request: AuthenticatedRequest, unit: Unit, roots: list[Unit]) -> HttpResponse:
    months = unit_months(unit)
    month = chosen_month(months, month_filter(request.GET.get("thang")))
    labels = start_labels(months)
    context: dict[str, Any] = {
        "unit": unit,
        "roots": roots,
        "crumbs": _breadcrumbs(request, unit),
        "month": month,
        "month_label": labels.get(month, "") if month else "",
        "month_options": sorted(labels.items(), reverse=True),
    }
    if month is None:
        return render(request, "reports/dashboards/unit.html", context)
    figures = months[month]
    subs = sub_unit_figures(unit, month)
    rows = list(subs)
    direct = direct_figures(figures, subs) if subs else None
    if direct is not None and direct.sheets:
        direct.unit = None
        rows.append(direct)
    if not subs:
        rows = [figures]
    sheets = list(sheets_of_month(unit, month)[: PEOPLE_SHOWN + 1])
    context.update(
        {
            "figures": figures,
            "trend": trend(months, month),
            "rows": rows,
            "has_subs": bool(subs),
            "people": [
                (sheet, LEVEL_LABELS.get(sheet.decided_level, sheet.decided_level))
                for sheet in sheets[:PEOPLE_SHOWN]
            ],
            "more_people": len(sheets) > PEOPLE_SHOWN,
            "charts": _charts(figures, trend(months, month), rows),
            "month_param": f"{month:%Y-%m}",
        }
    )
    return render(request, "reports/dashboards/unit.html", context)


@login_required
def dashboard_home(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard of the top of the viewer's scope (the province for its officers); a
    person without a role sees their own months."""
    if not permissions.can_view_dashboard(request.user):
        person = getattr(request.user, "person", None)
        if person is not None:
            return redirect("dashboards:person", person.pk)
        raise PermissionDenied
    roots = list(root_units(units_visible_to(request.user)))
    return _unit_page(request, roots[0], roots)


@login_required
def unit_dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    if not permissions.can_view_dashboard(request.user, unit):
        raise PermissionDenied
    return _unit_page(request, unit, [])


@login_required
def person_dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A person's last 12 months (score and level) and the tasks of the chosen month."""
    person = get_object_or_404(people_visible_to(request.user).select_related("unit"), pk=pk)
    if not permissions.can_view_person_dashboard(request.user, person):
        raise PermissionDenied
    sheets = person_sheets(person, sheets_visible_to(request.user))
    month = chosen_month(
        [sheet.period.start for sheet in sheets], month_filter(request.GET.get("thang"))
    )
    chosen = next((sheet for sheet in reversed(sheets) if sheet.period.start == month), None)
    unit_visible = permissions.can_view_dashboard(request.user, person.unit)
    chart = {
        "kind": "line",
        "labels": [sheet.period.label for sheet in sheets],
        "series": [
            {
                "label": _("total score"),
                "key": "score",
                "data": [float(sheet.total) for sheet in sheets],
            }
        ],
    }
    return render(
        request,
        "reports/dashboards/person.html",
        {
            "person": person,
            "sheets": sheets,
            "chosen": chosen,
            "lines": task_lines(chosen) if chosen is not None else [],
            "chart": with_table(chart),
            "unit_visible": unit_visible,
            "level_labels": {code: str(label) for code, label in LEVEL_LABELS.items()},
        },
    )


def _supervision_months(request: AuthenticatedRequest) -> list[datetime.date]:
    """Months of the periods that cover the supervised scope, newest first."""
    units = supervised_units(request.user)
    roots = list(root_units(units))
    above = {unit_id for root in roots for unit_id in root.ancestor_ids}
    periods = Period.objects.filter(Q(organisation__in=units) | Q(organisation_id__in=above))
    return sorted(set(periods.values_list("start", flat=True)), reverse=True)


@login_required
def supervision(request: AuthenticatedRequest) -> HttpResponse:
    """The flags of each supervised unit in a month, with their evidence and links."""
    if not permissions.can_supervise(request.user):
        raise PermissionDenied
    months = _supervision_months(request)
    month = chosen_month(months, month_filter(request.GET.get("thang")))
    labels = start_labels(months)
    entries = flags_for_month(request.user, month) if month is not None else []
    roots = [
        unit
        for unit in root_units(supervised_units(request.user))
        if permissions.can_edit_thresholds(request.user, unit)
    ]
    return render(
        request,
        "reports/dashboards/supervision.html",
        {
            "month": month,
            "month_label": labels.get(month, "") if month else "",
            "month_options": sorted(labels.items(), reverse=True),
            "entries": entries,
            "flagged": [entry for entry in entries if entry.flags],
            "quiet": [entry for entry in entries if not entry.flags],
            "roots": roots,
            "flag_titles": {code: str(title) for code, title in FLAG_TITLES.items()},
            "month_param": f"{month:%Y-%m}" if month else "",
        },
    )


def _report_month(request: AuthenticatedRequest) -> datetime.date:
    months = _supervision_months(request)
    wanted = month_filter(request.GET.get("thang"))
    if wanted is None or wanted not in months:
        raise Http404
    return wanted


@login_required
def supervision_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """The month's supervision report as PDF (`?thang=YYYY-MM`, a month of the scope)."""
    if not permissions.can_supervise(request.user):
        raise PermissionDenied
    month = _report_month(request)
    entries = flags_for_month(request.user, month)
    pdf = render_pdf(
        "reports/dashboards/supervision_pdf.html",
        {
            "month": month,
            "month_label": start_labels([month])[month],
            "entries": entries,
            "flagged": [entry for entry in entries if entry.flags],
            "quiet": [entry for entry in entries if not entry.flags],
            "agency": header_lines(
                [unit.name for unit in root_units(supervised_units(request.user))][:1]
            ),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giam-sat-{month:%Y-%m}.pdf"'
    return response


@login_required
def supervision_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    """The month's supervision report as an Excel workbook: one row per flag and one per
    piece of evidence."""
    if not permissions.can_supervise(request.user):
        raise PermissionDenied
    month = _report_month(request)
    book = StreamedWorkbook()
    sheet = book.add_sheet(
        _("Supervision %(month)s") % {"month": start_labels([month])[month]},
        [_("Unit"), _("Period"), _("Sheets"), _("Decided"), _("Flag"), _("Finding"), _("Evidence")],
        widths=[30, 24, 8, 8, 34, 60, 70],
    )
    for entry in flags_for_month(request.user, month):
        head = [entry.unit.name, entry.period.label, entry.sheets, entry.decided]
        if not entry.flags:
            sheet.append([*head, "", _("no flag"), ""])
        for flag in entry.flags:
            sheet.append([*head, flag.title, flag.summary, ""])
            for item in flag.evidence:
                sheet.append([*head, flag.title, "", item.text])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="giam-sat-{month:%Y-%m}.xlsx"'
    return response


def _inherited(unit: Unit) -> Thresholds:
    above = [unit_id for unit_id in reversed(unit.ancestor_ids) if unit_id != unit.pk]
    own = {
        row.organisation_id: row
        for row in SupervisionSettings.objects.filter(organisation_id__in=above)
    }
    return Thresholds.of(next((own[unit_id] for unit_id in above if unit_id in own), None))


@login_required
def thresholds(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """An organisation's supervision thresholds (its own, or inherited until saved)."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not permissions.can_edit_thresholds(request.user, unit):
        raise PermissionDenied
    own = SupervisionSettings.objects.filter(organisation=unit).first()
    initial = None
    if own is None:
        inherited = _inherited(unit)
        initial = {name: getattr(inherited, name) for name in THRESHOLD_FIELDS}
    form = ThresholdsForm(request.POST or None, instance=own, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in THRESHOLD_FIELDS}
        try:
            save_thresholds(unit, by=request.user, **values)
        except DashboardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Supervision thresholds of %(unit)s saved.") % {"unit": unit.name}
            )
            return redirect(reverse("dashboards:supervision"))
    return render(
        request,
        "reports/dashboards/thresholds.html",
        {"unit": unit, "form": form, "inherited": own is None},
    )


@login_required
def integrity(request: AuthenticatedRequest) -> HttpResponse:
    """The nightly checks of the state against the audit log, newest first."""
    if not permissions.can_supervise(request.user):
        raise PermissionDenied
    runs = list(IntegrityCheck.objects.all()[:30])
    return render(
        request,
        "reports/dashboards/integrity.html",
        {
            "runs": runs,
            "latest": runs[0] if runs else None,
            "show_details": permissions.can_read_integrity_details(request.user),
        },
    )
