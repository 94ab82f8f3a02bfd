"""Weekly e-mail to every coordinator and begeleider with their deadlines: puts the task
in the queue for a worker (`manage.py db_worker`), or sends at once with --now.

Schedule it weekly with cron or a systemd timer (docs/deploy.md)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from learners.tasks import send_deadline_digest


class Command(BaseCommand):
    help = "Zet de e-mail met deadlines voor iedere coördinator en begeleider in de wachtrij."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Niets versturen, alleen tellen."
        )
        parser.add_argument("--now", action="store_true", help="Nu versturen, zonder de wachtrij.")

    def handle(self, *args, dry_run=False, now=False, **options):
        if now:
            sent = send_deadline_digest.call(dry_run=dry_run)
        else:
            result = send_deadline_digest.enqueue(dry_run=dry_run)
            if result.status != TaskResultStatus.SUCCESSFUL:
                self.stdout.write(
                    _("E-mail met deadlines in de wachtrij gezet (taak %(id)s).")
                    % {"id": result.id}
                )
                return
            sent = result.return_value
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s e-mails met deadlines verstuurd.") % {"n": sent})
        )
