"""The public pages, without login: the index of units, a unit's months, a month's results
as a page, JSON, an embeddable fragment, and an Atom feed of a unit's months.

Only public publications in force are shown; anything else is a 404. Pages carry an ETag and
Last-Modified (published_at and the latest decision) and answer 304 when unchanged.
"""

import datetime
import hashlib
from decimal import Decimal
from html import escape
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import get_format
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from danhgia.evaluations.models import Sheet
from danhgia.evaluations.queries import sheets_in
from danhgia.organisations.models import Unit
from danhgia.reports.publication.forms import PublicSearchForm
from danhgia.reports.publication.models import Publication
from danhgia.reports.publication.permissions import PUBLISHABLE_STATES
from danhgia.reports.publication.queries import (
    Results,
    level_names,
    public_in_force,
    public_publication,
    public_publications_of,
    results,
    version_of,
)
from danhgia.reports.publication.search import published_levels, published_months, search

CACHE_SECONDS = 60
FEED_ENTRIES = 24
# Portals that may frame the fragment (CSP frame-ancestors); every site by default, since the
# fragment only shows what the public page shows and has no action to trick anyone into.
FRAME_ANCESTORS: list[str] = getattr(settings, "PUBLICATION_FRAME_ANCESTORS", ["*"])


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


def _published_unit(code: str, limit: int | None = None) -> tuple[Unit, list[Publication]]:
    """The unit and its public publications in force, newest first (`limit` of them); 404 when
    it has none (never published, or every month withdrawn): the unit's page and its feed
    answer alike, so neither tells that a unit exists before it publishes."""
    unit = _unit(code)
    publications = public_publications_of(unit)
    found = list(publications if limit is None else publications[:limit])
    if not found:
        raise Http404
    return unit, found


class _Month:
    """A unit's published month: the publication, its version and the conditional answer."""

    def __init__(self, request: HttpRequest, code: str, month: datetime.date) -> None:
        self.unit = _unit(code)
        publication = public_publication(self.unit, month)
        if publication is None:
            raise Http404
        self.publication = publication
        self.period = publication.period
        version = version_of(self.period, self.unit)
        latest = max(filter(None, [publication.published_at, version["latest"]]))
        self.last_modified = int(latest.timestamp())
        key = [
            publication.pk,
            publication.privacy,
            self.last_modified,
            version["count"],
            version["versions"],
            translation.get_language(),
        ]
        self.etag = '"' + hashlib.sha256(repr(key).encode()).hexdigest()[:32] + '"'
        self.not_modified = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )

    def results(self) -> Results:
        return results(self.period, self.unit, self.publication.privacy)

    def context(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "period": self.period,
            "publication": self.publication,
            "results": with_rows_html(self.results()),
            "reopened": self.period.state not in PUBLISHABLE_STATES,
        }

    def finish(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


def with_rows_html(found: Results) -> Results:
    """Write each group's rows out as HTML table rows, every value escaped: 300 rows through
    the template language cost most of the page's time. Scores use the active language's
    decimal separator, as Django's localisation formats them."""
    separator = str(get_format("DECIMAL_SEPARATOR"))
    for group in found.groups:
        cells = (
            [row["name"], row["title"], row["level_name"]]
            + ([_score(row["score"], separator)] if found.shows_scores else [])
            for row in group.rows
        )
        group.html = mark_safe(  # noqa: S308 - every value is escaped just above
            "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{escape(value)}</td>'
                    if index == 3
                    else f"<td>{escape(value)}</td>"
                    for index, value in enumerate(row)
                )
                + "</tr>"
                for row in cells
            )
        )
    return found


def _score(value: Decimal, separator: str) -> str:
    return f"{value:.2f}".replace(".", separator)


def month_url(name: str, code: str, day: datetime.date) -> str:
    return reverse(f"publication:{name}", args=[code, day])


@require_safe
def public_index(request: HttpRequest) -> HttpResponse:
    """Every organisation with a published month, and its months (newest first)."""
    response = render(
        request,
        "reports/publication/public_index.html",
        {"organisations": published_organisations()},
    )
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def published_organisations(months: int | None = None) -> list[dict[str, Any]]:
    """[{"unit", "months"}]: each organisation with a public month in force, in tree order,
    with its published periods, newest first (the first `months` of them)."""
    publications = (
        public_in_force()
        .select_related("period__organisation")
        .order_by("period__organisation__path", "-period__start")
    )
    organisations: list[dict[str, Any]] = []
    for publication in publications:
        organisation = publication.period.organisation
        if not organisations or organisations[-1]["unit"].pk != organisation.pk:
            organisations.append({"unit": organisation, "months": []})
        if months is None or len(organisations[-1]["months"]) < months:
            organisations[-1]["months"].append(publication.period)
    return organisations


def landing(request: HttpRequest) -> HttpResponse:
    """`/` for a visitor who is not signed in: whose site this is, what it publishes, the
    search, the organisations' latest months and the way to sign in."""
    roots = Unit.objects.filter(parent__isnull=True).order_by("path")
    context = {
        "agency": ", ".join(roots.values_list("name", flat=True)),
        "organisations": published_organisations(months=3),
        "form": PublicSearchForm(months=published_months(), levels=published_levels()),
    }
    response = render(request, "reports/publication/landing.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's published months (its own organisation's, or those of one above it)."""
    unit, publications = _published_unit(code)
    periods = [publication.period for publication in publications]
    response = render(
        request, "reports/publication/public_unit.html", {"unit": unit, "periods": periods}
    )
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def public_month(request: HttpRequest, code: str, month: datetime.date) -> HttpResponse:
    """A unit's results of one month at the publication's privacy level."""
    page = _Month(request, code, month)
    if page.not_modified is not None:
        return page.not_modified
    context = page.context()
    context["embed_url"] = request.build_absolute_uri(
        month_url("public_month_embed", code, page.period.start)
    )
    return page.finish(render(request, "reports/publication/public_month.html", context))


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": FRAME_ANCESTORS})  # type: ignore[arg-type]
def public_month_embed(request: HttpRequest, code: str, month: datetime.date) -> HttpResponse:
    """The same results as a minimal page for a portal's iframe (the only framable URL)."""
    page = _Month(request, code, month)
    if page.not_modified is not None:
        return page.not_modified
    return page.finish(render(request, "reports/publication/public_embed.html", page.context()))


@require_safe
def public_month_json(request: HttpRequest, code: str, month: datetime.date) -> HttpResponse:
    """The month as JSON for portals; people and scores only as the privacy level allows."""
    page = _Month(request, code, month)
    if page.not_modified is not None:
        return page.not_modified
    found = page.results()
    period = page.period
    data: dict[str, Any] = {
        "unit": {"code": page.unit.code, "name": page.unit.name},
        "organisation": {"code": period.organisation.code, "name": period.organisation.name},
        "period": {
            "kind": period.kind,
            "label": period.label,
            "start": period.start,
            "end": period.end,
        },
        "published_at": page.publication.published_at,
        "privacy": page.publication.privacy,
        "rulebook": period.rulebook.name,
        "total": found.total,
        "levels": [
            {"code": count.code, "name": count.name, "count": count.count} for count in found.counts
        ],
        "url": request.build_absolute_uri(month_url("public_month", code, period.start)),
    }
    if found.shows_names:
        data["people"] = [
            {key: row[key] for key in ("name", "title", "unit", "level", "level_name", "score")
             if key in row}
            for group in found.groups
            for row in group.rows
        ]  # fmt: skip
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return page.finish(response)


@require_safe
def public_unit_atom(request: HttpRequest, code: str) -> HttpResponse:
    """An Atom feed of a unit's published months; each entry gives the counts per level and
    links to the month (the page and JSON carry the names, as the privacy level allows)."""
    unit, publications = _published_unit(code, FEED_ENTRIES)
    tallies: dict[int, dict[str, int]] = {}
    rows = (
        sheets_in([publication.period for publication in publications], unit)
        .filter(status=Sheet.Status.DECIDED)
        .order_by()
        .values_list("period_id", "decided_level")
        .annotate(count=Count("pk"))
    )
    for period_id, level, count in rows:
        tallies.setdefault(period_id, {})[level] = count
    feed = Atom1Feed(
        title=_("Evaluation results: %(unit)s") % {"unit": unit.name},
        link=request.build_absolute_uri(reverse("publication:public_unit", args=[code])),
        description="",
        language=translation.get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for publication in publications:
        period = publication.period
        names = level_names(period)
        tally = tallies.get(period.pk, {})
        summary = render_to_string(
            "reports/publication/feed_entry.html",
            {
                "counts": [(name, tally.get(code_, 0)) for code_, name in names.items()],
                "total": sum(tally.values()),
            },
        )
        feed.add_item(
            title=_("%(unit)s: results, %(period)s") % {"unit": unit.name, "period": period.label},
            link=request.build_absolute_uri(month_url("public_month", code, period.start)),
            description=summary,
            unique_id=request.build_absolute_uri(month_url("public_month", code, period.start)),
            pubdate=publication.published_at,
            updateddate=publication.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def public_search(request: HttpRequest) -> HttpResponse:
    """People and units in published results, by name without accents, month and level."""
    form = PublicSearchForm(
        request.GET or None, months=published_months(), levels=published_levels()
    )
    found = None
    if form.is_bound and form.is_valid():
        found = search(form.cleaned_data["q"], form.month(), form.cleaned_data["muc"])
    response = render(
        request, "reports/publication/public_search.html", {"form": form, "found": found}
    )
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
