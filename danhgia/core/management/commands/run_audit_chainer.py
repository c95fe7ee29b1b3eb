import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from danhgia.core.audit_chainer import POLL_SECONDS, run_chainer


class Command(BaseCommand):
    help = (
        "Chain the audit log's new rows as they commit (DANHGIA_AUDIT_CHAINER=process): listen "
        "for the writers' notifications, poll every few seconds, run until SIGTERM or SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--poll",
            type=float,
            default=POLL_SECONDS,
            help="Seconds between two looks without a notification.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.AUDIT_CHAINER != "process":
            self.stderr.write(
                "DANHGIA_AUDIT_CHAINER is not 'process': the writers chain their rows "
                "themselves; this process chains alongside them (harmless, serialised)."
            )
        stop: list[int] = []

        def request_stop(signum: int, _frame: object) -> None:
            stop.append(signum)  # the current turn ends, at most --poll seconds from now

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write(f"Audit chainer started (poll every {options['poll']:g} s).")
        run_chainer(options["poll"], should_stop=lambda: bool(stop))
        self.stdout.write("Audit chainer stopped.")
