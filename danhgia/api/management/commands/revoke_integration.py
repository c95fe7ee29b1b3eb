"""`manage.py revoke_integration --name NAME [--by USERNAME]`: its token stops working."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.accounts.models import User
from danhgia.api.models import Integration
from danhgia.api.services import ApiError, revoke_integration


class Command(BaseCommand):
    help = "Revoke an API integration: its token stops working at once (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--by", help="username recorded as revoking it")

    def handle(self, *args: Any, **options: Any) -> None:
        integration = Integration.objects.filter(name=options["name"]).first()
        if integration is None:
            raise CommandError(f"No integration named {options['name']!r}.")
        user = None
        if options["by"]:
            user = User.objects.filter(username=options["by"]).first()
            if user is None:
                raise CommandError(f"No user {options['by']!r}.")
        try:
            revoke_integration(integration, by=user)
        except ApiError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Integration {integration.name!r} revoked.")
