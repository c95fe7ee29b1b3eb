"""Shared set-up for benchmark scripts: Django on the benchmark database, timing, tables."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database: str) -> None:
    """Point Django at `database` on the local PostgreSQL (created if missing) and migrate.

    DATABASE_URL in the environment wins, so the same script runs on SQLite too.
    """
    if "DATABASE_URL" not in os.environ:
        subprocess.run(  # noqa: S603
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", database],  # noqa: S607
            capture_output=True,
            check=False,
        )
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AXES_ENABLED", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best_of(function: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time in seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
