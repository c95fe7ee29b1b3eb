"""The audit chain's signed daily heads, public (issue 15): anyone may archive them, so that a
chain recomputed inside the database can be told from the one the province published.

Each entry is the line of the day's anchor file (danhgia/core/anchors.py) as it was written; the
province verifies an archived line with its key (`verify_audit_log --dir`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from danhgia.core.models import AuditAnchor

PAGE_ENTRIES = 400
FEED_ENTRIES = 60
CACHE_SECONDS = 60


@require_safe
def audit_heads(request: HttpRequest) -> HttpResponse:
    """The signed heads, newest first."""
    anchors = list(AuditAnchor.objects.order_by("-created_at", "-id")[:PAGE_ENTRIES])
    response = render(request, "reports/publication/audit_heads.html", {"anchors": anchors})
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def audit_heads_atom(request: HttpRequest) -> HttpResponse:
    """The same heads as an Atom feed; each entry's content is the signed line itself."""
    page = request.build_absolute_uri(reverse("publication:audit_heads"))
    feed = Atom1Feed(
        title=_("Signed heads of the audit log"),
        link=page,
        description="",
        language=translation.get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for anchor in AuditAnchor.objects.order_by("-created_at", "-id")[:FEED_ENTRIES]:
        feed.add_item(
            title=_("Audit log head, %(time)s: row %(row)s")
            % {
                "time": date_format(anchor.created_at, "SHORT_DATETIME_FORMAT", use_l10n=True),
                "row": anchor.audit_id,
            },
            link=f"{page}#anchor-{anchor.pk}",
            description=anchor.line,
            unique_id=f"{page}#anchor-{anchor.pk}",
            pubdate=anchor.created_at,
            updateddate=anchor.created_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
