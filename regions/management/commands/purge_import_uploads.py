"""Drop the rows of import previews nobody confirmed and delete old import jobs.

A preview expires after IMPORT_PREVIEW_MAX_AGE (a day): its rows (the uploaded file, only
the columns read) are dropped. Jobs older than IMPORT_JOB_KEEP_DAYS are deleted with
their preview and outcome. Run it from cron, for example hourly.
"""

from django.core.management.base import BaseCommand

from regions.imports import purge_jobs


class Command(BaseCommand):
    help = "Verwijdert verlopen importbestanden en oude importtaken uit de database."

    def handle(self, *args, **options):
        dropped, deleted = purge_jobs()
        self.stdout.write(
            f"{dropped} importbestand(en) verwijderd, {deleted} importtaak/-taken verwijderd."
        )
