from django.core.management.base import BaseCommand, CommandError

from danhgia.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log hash chain; exit non-zero naming the first broken row."

    def handle(self, *args: object, **options: object) -> None:
        checked, broken, why = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit log broken at row id={broken.pk} ({broken.action}, "
                f"{broken.created_at:%Y-%m-%d %H:%M:%S}): {why}. "
                f"{checked} rows before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} rows verified."))
