import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

# Each app adds its part of the demo; later apps build on what earlier ones made.
DEMO_MODULES = [
    "regions.demo",
    "toolkit.demo",
    "learners.demo",
    "initiatives.demo",
    "checklists.demo",
    "plans.demo",
]


class Command(BaseCommand):
    help = "Vult de database met fictieve demogegevens (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook uitvoeren als DEBUG uit staat (niet in productie!).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG staat uit: dit lijkt productie. Demogegevens met het wachtwoord 'demo' "
                "horen daar niet. Gebruik --force als u het echt wilt."
            )
        context = {}
        # A national job: the demo builds pupils in every region, so no region scope.
        with scopes_disabled(), transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                context.update(module.seed(**({"context": context} if context else {})) or {})
        self.stdout.write(self.style.SUCCESS("Demogegevens klaar. Inloggen met wachtwoord 'demo':"))
        for username in ("coordinator", "begeleider", "schoolleider", "manager", "beheerder"):
            self.stdout.write(f"  {username}")
