"""Backup and restore (docs/deploy.md): the demo database, dumped and restored into an
empty database, has every row of every model intact: the same number of rows per table
and the same checksum over the rows. On SQLite with the online backup API (manage.py
backup_sqlite); on PostgreSQL with pg_dump -Fc and pg_restore. The branch follows the
database the suite runs on (CI runs both)."""

import glob
import hashlib
import os
import sqlite3
import subprocess
from contextlib import closing

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

# Committed data: pg_dump reads the database from another process.
pytestmark = pytest.mark.django_db(transaction=True)


def model_tables():
    """(table, primary key column, columns) of every model with its own table."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        columns = [field.column for field in meta.local_concrete_fields]
        seen[meta.db_table] = (meta.pk.column, columns)
    return seen


def fingerprint(cursor, vendor):
    """{table: (row count, sha256 of the rows in primary-key order)}, every value as the
    database's own text, so both sides are read the same way."""
    quote = connection.ops.quote_name
    as_text = "quote({})" if vendor == "sqlite" else "CAST({} AS TEXT)"
    result = {}
    for table, (pk, columns) in model_tables().items():
        selected = ", ".join(as_text.format(quote(column)) for column in columns)
        cursor.execute(f"SELECT {selected} FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
        digest, count = hashlib.sha256(), 0
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
            count += 1
        result[table] = (count, digest.hexdigest())
    return result


def restored_sqlite(tmp_path):
    backup = tmp_path / "backup.sqlite3"
    call_command("backup_sqlite", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    restored = tmp_path / "restored.sqlite3"
    # Restoring is copying the backup into place (with the app stopped); done here with the
    # same API into an empty file.
    with closing(sqlite3.connect(backup)) as source, closing(sqlite3.connect(restored)) as empty:
        source.backup(empty)
    with closing(sqlite3.connect(restored)) as database:
        return fingerprint(database.cursor(), "sqlite")


def pg_tool(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=pg_version)
    assert found, f"{name} ontbreekt: installeer postgresql-client (CI installeert postgresql)"
    return found[-1]


def pg_version(path):
    return [int(part) for part in path.split("/")[4].split(".") if part.isdigit()]


def restored_postgresql(tmp_path):
    import psycopg

    config = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": config.get("PASSWORD") or ""}
    where = ["-h", config.get("HOST") or "localhost", "-p", str(config.get("PORT") or 5432)]
    where += ["-U", config.get("USER") or "postgres"]
    dump = tmp_path / "route2035.dump"
    subprocess.run(  # noqa: S603 - fixed tool, our own arguments
        [pg_tool("pg_dump"), "-Fc", *where, "-f", str(dump), config["NAME"]], env=env, check=True
    )
    empty = f"{config['NAME']}_restored"
    server = {
        "host": where[1],
        "port": where[3],
        "user": where[5],
        "password": env["PGPASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{empty}"')
        admin.execute(f'CREATE DATABASE "{empty}"')
    try:
        subprocess.run(  # noqa: S603
            [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", *where]
            + ["-d", empty, str(dump)],
            env=env,
            check=True,
        )
        with psycopg.connect(**{**server, "dbname": empty}) as database:
            return fingerprint(database.cursor(), "postgresql")
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{empty}"')


def reload_migration_content():
    """The content the data migrations load (levels, toolkit), back after a transactional
    test before this one flushed the tables; the demo builds on it."""
    import importlib

    from toolkit.models import CooperationType

    if CooperationType.objects.exists():
        return
    for module, function in (
        ("regions.migrations.0002_levels", "forwards"),
        ("toolkit.migrations.0003_cooperation_types", "add_types"),  # the content needs them
        ("toolkit.migrations.0002_load_content", "load"),
        ("toolkit.migrations.0004_practice_example_library", "load"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


def test_the_demo_database_restores_with_every_row_intact(tmp_path):
    reload_migration_content()
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    vendor = connection.vendor
    with connection.cursor() as cursor:
        before = fingerprint(cursor, vendor)
    # The demo fills the database: pupils, plans, checklists, the audit trail, ...
    filled = {table for table, (count, _) in before.items() if count}
    assert {"learners_pupil", "plans_plandocument", "auditlog_logentry"} <= set(before)
    assert {"learners_pupil", "auditlog_logentry", "regions_region"} <= filled
    assert sum(count for count, _ in before.values()) > 500

    if vendor == "sqlite":
        after = restored_sqlite(tmp_path)
    else:
        assert vendor == "postgresql"
        after = restored_postgresql(tmp_path)

    assert after == before


def test_backup_sqlite_refuses_to_overwrite_a_file(tmp_path):
    from django.core.management.base import CommandError

    existing = tmp_path / "backup.sqlite3"
    existing.write_text("an older backup")
    with pytest.raises(CommandError):
        call_command("backup_sqlite", str(existing))
    assert existing.read_text() == "an older backup"
