"""`manage.py create_integration --unit CODE --name NAME --by USERNAME`: prints the token once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.accounts.models import User
from danhgia.api.services import ApiError, create_integration
from danhgia.organisations.models import Unit


class Command(BaseCommand):
    help = "Create an API integration scoped to a unit and its sub-units; print its token once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="code of the unit (with sub-units)")
        parser.add_argument("--name", required=True, help="name of the document system")
        parser.add_argument(
            "--by",
            required=True,
            help="username on whose behalf tasks are assigned (and who is logged as creator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {options['unit']!r}.")
        user = User.objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"No user {options['by']!r}.")
        try:
            integration, token = create_integration(name=options["name"], unit=unit, by=user)
        except ApiError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"Integration {integration.name!r} (id {integration.pk}) for {unit.code}: "
            "the token below is shown only this once."
        )
        self.stdout.write(token)
