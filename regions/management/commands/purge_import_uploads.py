"""Delete uploaded import files whose preview was never confirmed or cancelled.

Every new upload already removes files older than IMPORT_STASH_MAX_AGE (a day); run this
from cron (for example hourly) so they also go when nobody uploads anything.
"""

from django.core.management.base import BaseCommand

from regions.imports import purge_stash


class Command(BaseCommand):
    help = "Verwijdert geüploade importbestanden die langer dan een dag op bevestiging wachten."

    def handle(self, *args, **options):
        removed = purge_stash()
        self.stdout.write(f"{removed} importbestand(en) verwijderd.")
