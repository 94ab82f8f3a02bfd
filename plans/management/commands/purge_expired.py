"""List or purge what outlived its retention period (settings.RETENTION).

manage.py purge_expired            # dry run: counts and limit dates, nothing deleted
manage.py purge_expired --purge    # delete (daily, from a systemd timer or cron)
manage.py purge_expired --purge --enqueue   # let a task worker do it
"""

from django.core.management.base import BaseCommand

from plans.retention import purge_expired
from plans.tasks import purge_expired_data


class Command(BaseCommand):
    help = "Toont (standaard) of verwijdert (--purge) gegevens waarvan de bewaartermijn voorbij is."

    def add_arguments(self, parser):
        parser.add_argument("--purge", action="store_true", help="Echt verwijderen.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Als achtergrondtaak aan de werker geven."
        )

    def handle(self, *args, purge=False, enqueue=False, **options):
        if enqueue:
            result = purge_expired_data.enqueue(purge=purge)
            self.stdout.write(f"task {result.id}")
            return
        for outcome in purge_expired(purge=purge):
            verb = "verwijderd" if purge else "verlopen"
            self.stdout.write(
                f"{outcome.kind}: {outcome.count} {verb} (grens {outcome.before.isoformat()})"
            )
        if not purge:
            self.stdout.write("Proefdraai: niets verwijderd. Gebruik --purge om te verwijderen.")
