"""The benchmarks' own PostgreSQL databases: created on first use, kept between runs."""

from __future__ import annotations

import urllib.parse


def ensure_database(url: str) -> None:
    """Create the database named by a ``postgres://`` URL if it does not exist (other URLs: nothing to do)."""
    parsed = urllib.parse.urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg2

    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
