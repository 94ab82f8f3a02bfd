"""A consistent copy of the SQLite database while the app keeps running: SQLite's online
backup API (sqlite3.Connection.backup), not a file copy that could catch a write halfway.
PostgreSQL is backed up with pg_dump (docs/deploy.md)."""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Maakt een back-up van de SQLite-database terwijl de app draait."

    def add_arguments(self, parser):
        parser.add_argument("target", help="Het nieuwe back-upbestand, bijv. backup.sqlite3.")

    def handle(self, *args, target, **options):
        if connection.vendor != "sqlite":
            raise CommandError(_("Deze database is geen SQLite: gebruik pg_dump (docs/deploy.md)."))
        target = Path(target)
        if target.exists():
            raise CommandError(_("%(file)s bestaat al; kies een nieuwe naam.") % {"file": target})
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
        self.stdout.write(self.style.SUCCESS(_("Back-up gemaakt: %(file)s") % {"file": target}))
