"""Writes of the dashboards app: an organisation's supervision thresholds (audited). The
precomputed figures are derived data, rebuilt by `summaries.py` without an audit row."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.organisations.models import Unit
from danhgia.reports.dashboards.models import THRESHOLD_FIELDS, SupervisionSettings
from danhgia.reports.dashboards.permissions import can_edit_thresholds


class DashboardError(Exception):
    """A rule of the dashboards app was broken; the message says what to do next."""


DASHBOARD_ACTION_LABELS: dict[str, Any] = {
    "supervision.thresholds_changed": gettext_lazy("supervision thresholds changed"),
}


def _values(settings: SupervisionSettings) -> dict[str, Any]:
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name in THRESHOLD_FIELDS
        if (value := getattr(settings, name)) is not None
    }


@transaction.atomic
def save_thresholds(organisation: Unit, *, by: User, **values: Any) -> SupervisionSettings:
    """Create or change the organisation's own supervision thresholds (values already
    validated by the form). Logs `supervision.thresholds_changed` with before and after.
    Raises DashboardError for anyone but a supervisor, HR officer or administrator over it."""
    if not can_edit_thresholds(by, organisation):
        raise DashboardError(
            _(
                "Only a supervisor, the HR officer or an administrator over %(unit)s sets its "
                "supervision thresholds."
            )
            % {"unit": organisation.name}
        )
    unknown = sorted(set(values) - set(THRESHOLD_FIELDS))
    if unknown:
        raise ValueError(f"unknown thresholds: {unknown}")
    settings = (
        SupervisionSettings.objects.select_for_update().filter(organisation=organisation).first()
    )
    created = settings is None
    if settings is None:
        settings = SupervisionSettings(organisation=organisation)
    before = {} if created else _values(settings)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.updated_at = clock.now()
    settings.updated_by = by
    settings.save()
    after = _values(settings)
    log_action(
        settings,
        "supervision.thresholds_changed",
        by=by,
        data={
            "before": {k: v for k, v in before.items() if after.get(k) != v},
            "after": {k: v for k, v in after.items() if before.get(k) != v},
        },
    )
    return settings
