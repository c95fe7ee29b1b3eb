"""Back up and restore the whole database: PostgreSQL with pg_dump/pg_restore, SQLite with its
online backup API. Used by the `backup_database` and `restore_database` commands.

A backup is one file. PostgreSQL: pg_dump's custom format (-Fc, compressed, restorable table by
table). SQLite: a complete SQLite database file, consistent even while the site writes.
After a restore the caller verifies the audit chain: a backup that was edited shows up there.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A backup or restore could not be done; the message says what to do."""


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(_("Backups support PostgreSQL and SQLite only, not %s.") % vendor)
    return vendor


def backup_database(target: Path, *, alias: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a backup of the database `alias` to `target` (replaced if it exists)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if _engine(alias) == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], alias)
    else:
        _sqlite_copy(_sqlite_connection(alias), partial, to_file=True)
    # Only a complete backup gets the name asked for: a crash leaves `.partial`, never a
    # truncated file that looks good.
    os.replace(partial, target)
    return target


def restore_database(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the content of the database `alias` with the backup in `source`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("No backup file at %s: check the path.") % source)
    if _engine(alias) == "postgresql":
        _check_pg_archive(source)
        connections[alias].close()  # our own open transaction would block DROP TABLE
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            ],
            alias,
        )
    else:
        _check_sqlite_file(source)
        _sqlite_copy(_sqlite_connection(alias), source, to_file=False)


def _sqlite_connection(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_copy(live: sqlite3.Connection, path: Path, *, to_file: bool) -> None:
    other = sqlite3.connect(str(path))
    try:
        if to_file:
            live.backup(other)
        else:
            if live.in_transaction:
                live.commit()
            other.backup(live)
    finally:
        other.close()


def _check_sqlite_file(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupError(
                _("%s is not an SQLite backup: restore a file made by backup_database.") % path
            )
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("The backup %(path)s is damaged: %(error)s.")
            % {
                "path": path,
                "error": error,
            }
        ) from error
    finally:
        check.close()
    if not result or result[0] != "ok":
        raise BackupError(_("The backup %s is damaged: use an older backup.") % path)


def _check_pg_archive(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise BackupError(
                _("%s is not a PostgreSQL backup: restore a file made by backup_database.") % path
            )


def _run(command: list[str], alias: str) -> None:
    settings: dict[str, Any] = connections[alias].settings_dict
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(
            _("%s was not found: install the PostgreSQL client tools (postgresql-client).")
            % command[0]
        )
    args = [program, *command[1:]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    args += ["--dbname", str(settings["NAME"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed (exit %(code)s): %(error)s")
            % {
                "program": command[0],
                "code": result.returncode,
                "error": result.stderr.strip()[-2000:],
            }
        )
