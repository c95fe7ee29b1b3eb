"""Who manages integrations: HR officers and system administrators over the integration's unit."""

from django.db.models import Q, QuerySet

from danhgia.accounts.models import User
from danhgia.api.models import Delivery, Integration, Subscription
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles

INTEGRATION_MANAGERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_manage_integrations(user: User, unit: Unit | None = None) -> bool:
    """Over `unit`, or over some unit when None (may they open the page at all?)."""
    return has_role_over(user, INTEGRATION_MANAGERS, unit)


def units_managed_by(user: User) -> QuerySet[Unit]:
    """The units whose integrations `user` manages (with their sub-units where the role says)."""
    condition = Q(pk__in=[])
    for role in active_roles(user):
        if role.role == Role.SYSTEM_ADMIN:
            return Unit.objects.all()
        if role.role != Role.HR_OFFICER:
            continue
        if role.include_subunits:
            condition |= Q(path__startswith=role.unit.path)
        else:
            condition |= Q(pk=role.unit_id)
    return Unit.objects.filter(condition)


def integrations_managed_by(user: User) -> QuerySet[Integration]:
    return Integration.objects.filter(unit__in=units_managed_by(user))


def subscriptions_managed_by(user: User) -> QuerySet[Subscription]:
    """The event subscriptions of the integrations `user` manages."""
    return Subscription.objects.filter(integration__unit__in=units_managed_by(user))


def deliveries_managed_by(user: User) -> QuerySet[Delivery]:
    """The deliveries of the subscriptions `user` manages (the delivery log)."""
    return Delivery.objects.filter(subscription__integration__unit__in=units_managed_by(user))
