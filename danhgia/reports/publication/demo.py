"""Demo: Sở Nội vụ's decided months published on the public page (`seed_demo_publication`).

Builds on `seed_demo` (the province and Sở Nội vụ's months M-3..M-1 decided and closed). Each
decided or closed month of Sở Nội vụ without a publication in force is published by the HR
officer, publicly, at the organisation's default privacy (names with levels, without
scores). Running it again publishes nothing new.
"""

import datetime

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period
from danhgia.organisations.models import Unit
from danhgia.reports.publication.models import Publication
from danhgia.reports.publication.permissions import PUBLISHABLE_STATES
from danhgia.reports.publication.queries import setting_for
from danhgia.reports.publication.services import publish_period

ORGANISATION = "SNV"  # Sở Nội vụ
HR_USERNAME = "nhansu"


def seed_demo_publication(today: datetime.date) -> list[Period]:
    """Publish Sở Nội vụ's decided months before `today`'s; return those published now."""
    organisation = Unit.objects.filter(code=ORGANISATION).first()
    hr = User.objects.filter(username=HR_USERNAME).first()
    if organisation is None or hr is None:
        return []
    periods = Period.objects.filter(
        organisation=organisation,
        state__in=PUBLISHABLE_STATES,
        start__lt=today.replace(day=1),
    )
    privacy = setting_for(organisation).privacy
    published = []
    for period in periods.select_related("organisation").order_by("start"):
        if Publication.objects.filter(period=period, unpublished_at__isnull=True).exists():
            continue
        publish_period(period, by=hr, audience=Publication.Audience.PUBLIC, privacy=privacy)
        published.append(period)
    return published
