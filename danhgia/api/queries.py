"""Reads scoped to an integration: its unit and everything below it. Anything else is 404."""

from django.db.models import QuerySet

from danhgia.api.models import Integration
from danhgia.evaluations.models import Sheet
from danhgia.organisations.models import Person, Unit
from danhgia.reports.publication.queries import public_results, with_public_privacy
from danhgia.work.models import Task


def units_of(integration: Integration) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=integration.unit.path).select_related("parent")


def people_of(integration: Integration) -> QuerySet[Person]:
    return Person.objects.filter(unit__path__startswith=integration.unit.path).select_related(
        "unit"
    )


def tasks_of(integration: Integration) -> QuerySet[Task]:
    return Task.objects.filter(unit__path__startswith=integration.unit.path).select_related(
        "unit", "owner", "external_link"
    )


def sheets_of(integration: Integration) -> QuerySet[Sheet]:
    """Sheets of the subtree, each with `public_privacy` (the serializer shows levels and
    scores only as the month's public publication does)."""
    return with_public_privacy(
        Sheet.objects.filter(unit__path__startswith=integration.unit.path).select_related(
            "unit", "person", "period"
        )
    )


def published_results_of(integration: Integration) -> QuerySet[Sheet]:
    """The published results (`public_results`: decided sheets of months published to the
    public with names) of the subtree. Never published, withdrawn or internal: none."""
    return public_results(
        Sheet.objects.filter(unit__path__startswith=integration.unit.path)
    ).select_related("unit", "person", "period")
