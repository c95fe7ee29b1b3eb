"""Reads scoped to an integration: its unit and everything below it. Anything else is 404."""

from django.db.models import QuerySet

from danhgia.api.models import Integration
from danhgia.evaluations.models import Sheet
from danhgia.organisations.models import Person, Unit
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
    return Sheet.objects.filter(unit__path__startswith=integration.unit.path).select_related(
        "unit", "person", "period"
    )


def published_results_of(integration: Integration) -> QuerySet[Sheet]:
    """Decided sheets of periods with a publication in force (at most one per period)."""
    return sheets_of(integration).filter(
        status=Sheet.Status.DECIDED, period__publications__unpublished_at__isnull=True
    )
