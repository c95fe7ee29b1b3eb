"""Notifications read as digests: one entry a day and a kind of notice.

A busy month gives a staff member dozens of notices (each task assigned, each reminder); read
one by one nobody reads them. The rows stay as they were written (one per notice, keyed, never
twice), and the user reads them grouped: the notices of one kind on one day (in the site's
time zone) are one digest, with its count, its items and one link to the thing to do. The
unread count in the menu counts digests. Opening a digest (a POST: a GET never writes) marks
its notices read and goes to its link.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Max, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import ngettext_lazy

from danhgia.core.models import Notification

PER_PAGE = 20
ITEMS_SHOWN = 10  # items listed under a digest; the rest are counted


@dataclass
class Digest:
    day: datetime.date
    kind: str
    count: int
    unread: int
    link: str = ""  # where to act on every notice of the digest ("" when they differ)
    items: list[Notification] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.day:%Y-%m-%d}|{self.kind}"

    @property
    def title(self) -> str:
        """The digest in one line: the single notice itself, or the count and the kind."""
        if self.count == 1 and self.items:
            return self.items[0].message
        return digest_title(self.kind, self.count)

    @property
    def url(self) -> str:
        return self.link


def digest_title(kind: str, count: int) -> str:
    """The digest in words ("12 tasks assigned to you"): the kind's own words, else its
    family's, else a count."""
    titles = _KIND_TITLES.get(kind) or _KIND_TITLES.get(kind.split(".")[0]) or _ANY_KIND
    return str(titles % {"n": count})


# The title per notification kind, then per family (the kind's first word); translated, with
# its plural, when a title is built.
_ANY_KIND = ngettext_lazy("%(n)d notice", "%(n)d notices", "n")
_KIND_TITLES: dict[str, Promise] = {
    "task.assigned": (
        ngettext_lazy("%(n)d task assigned to you", "%(n)d tasks assigned to you", "n")
    ),
    "task.coordinating": (
        ngettext_lazy("%(n)d task you coordinate on", "%(n)d tasks you coordinate on", "n")
    ),
    "task.completed": (ngettext_lazy("%(n)d task reported done", "%(n)d tasks reported done", "n")),
    "task.assessed": (ngettext_lazy("%(n)d task assessed", "%(n)d tasks assessed", "n")),
    "task.due_soon": (ngettext_lazy("%(n)d task due soon", "%(n)d tasks due soon", "n")),
    "task.overdue": (ngettext_lazy("%(n)d task overdue", "%(n)d tasks overdue", "n")),
    "task": (ngettext_lazy("%(n)d notice about tasks", "%(n)d notices about tasks", "n")),
    "sheet.self_submitted": (
        ngettext_lazy("%(n)d sheet submitted for review", "%(n)d sheets submitted for review", "n")
    ),
    "sheet.decided": (ngettext_lazy("%(n)d sheet decided", "%(n)d sheets decided", "n")),
    "sheet": (
        ngettext_lazy(
            "%(n)d notice about evaluation sheets", "%(n)d notices about evaluation sheets", "n"
        )
    ),
    "annual": (
        ngettext_lazy(
            "%(n)d notice about annual classification",
            "%(n)d notices about annual classification",
            "n",
        )
    ),
    "publication": (ngettext_lazy("%(n)d month published", "%(n)d months published", "n")),
    "role": (ngettext_lazy("%(n)d role given to you", "%(n)d roles given to you", "n")),
    "plan": (ngettext_lazy("%(n)d notice about plans", "%(n)d notices about plans", "n")),
    "appeal": (ngettext_lazy("%(n)d notice about appeals", "%(n)d notices about appeals", "n")),
    "reminder": (
        ngettext_lazy("%(n)d reminder of a deadline", "%(n)d reminders of deadlines", "n")
    ),
}


def _of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def _days(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    return rows.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))


def unread_digests(user: Any) -> int:
    """How many digests hold an unread notice (the menu's count)."""
    unread = _days(_of(user).filter(read_at__isnull=True))
    return unread.values("day", "kind").distinct().count()  # type: ignore[misc]  # `day`: _days' annotation


def digest_page(user: Any, number: Any) -> Page:
    """A page of the user's digests, those with unread notices first, newest day first, each
    with its first `ITEMS_SHOWN` notices (one query for the groups, one for the items)."""
    groups = (
        _days(_of(user))  # type: ignore[misc]  # `day`: _days' annotation
        .values("day", "kind")
        .annotate(
            count=Count("pk"),
            unread=Count("pk", filter=Q(read_at__isnull=True)),
            newest=Max("created_at"),
            has_unread=Max(Case(When(read_at__isnull=True, then=1), default=0)),
            links=Count("url", distinct=True),
            link=Max("url"),
        )
        .order_by("-has_unread", "-day", "-newest", "kind")
    )
    page = Paginator(groups, PER_PAGE).get_page(number)
    digests = [
        Digest(
            row["day"],
            row["kind"],
            row["count"],
            row["unread"],
            link=_one_link(row["links"], row["link"]),
        )
        for row in page.object_list
    ]
    if digests:
        condition = Q()
        for digest in digests:
            condition |= Q(day=digest.day, kind=digest.kind)
        by_key: dict[tuple[datetime.date, str], Digest] = {(d.day, d.kind): d for d in digests}
        for item in _days(_of(user)).filter(condition).order_by("-created_at", "-id"):
            digest = by_key[(item.day, item.kind)]  # type: ignore[attr-defined]
            if len(digest.items) < ITEMS_SHOWN:
                digest.items.append(item)
    page.object_list = digests
    return page


def parse_key(key: str) -> tuple[datetime.date, str] | None:
    day, _bar, kind = key.partition("|")
    try:
        return datetime.date.fromisoformat(day), kind
    except ValueError:
        return None


def open_digest(user: Any, key: str, now: datetime.datetime) -> str:
    """Mark the digest's notices read; return where to go (its link, else the list)."""
    parsed = parse_key(key)
    fallback = reverse("core:notifications")
    if parsed is None:
        return fallback
    day, kind = parsed
    rows = _days(_of(user)).filter(day=day, kind=kind)  # type: ignore[misc]  # `day`: _days' annotation
    links = rows.aggregate(links=Count("url", distinct=True), link=Max("url"))
    Notification.objects.filter(pk__in=rows.filter(read_at__isnull=True).values("pk")).update(
        read_at=now
    )
    return _one_link(links["links"], links["link"]) or fallback


def _one_link(links: int, link: str | None) -> str:
    """The digest's link when all its notices share one link within the site, else ""."""
    if links == 1 and link and link.startswith("/") and not link.startswith("//"):
        return link
    return ""
