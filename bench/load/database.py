"""The PostgreSQL server of the load test: where it is, and creating and dropping its databases.

The server is the one DATABASE_URL points at when it is a PostgreSQL URL (CI), else the local
one (127.0.0.1:5432, user postgres, trust authentication). Only databases whose name contains
"load" are ever created or dropped here.
"""

import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


@dataclass(frozen=True)
class Server:
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""

    def url(self, database: str, *, port: int | None = None) -> str:
        """A DATABASE_URL for `database`, optionally through another port (the proxy)."""
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{port or self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=database,
            autocommit=True,
        )


def server_from_environment() -> Server:
    """The server of DATABASE_URL when it is PostgreSQL, else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return Server()
    parts = urlsplit(url)
    return Server(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
    )


def check_name(database: str) -> None:
    if "load" not in database:
        raise SystemExit(f"{database}: a load-test database's name must contain 'load'.")


def exists(server: Server, database: str) -> bool:
    with server.connect() as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return row.fetchone() is not None


def drop(server: Server, database: str) -> None:
    check_name(database)
    with server.connect() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def create(
    server: Server, database: str, *, template: str | None = None, attempts: int = 10
) -> None:
    """Create `database` (dropping it first), empty or as a copy of `template`.

    PostgreSQL refuses to copy a template while another session is connected to it (another
    test creating its database from template1 at the same moment, say): wait and try again."""
    drop(server, database)
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
    if template:
        check_name(template)
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    for attempt in range(attempts):
        try:
            with server.connect() as connection:
                connection.execute(statement)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
