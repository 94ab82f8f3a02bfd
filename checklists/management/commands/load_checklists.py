from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from checklists.loader import CONTENT_DIR, load_templates


class Command(BaseCommand):
    help = (
        "Publiceert de checklistsjablonen uit checklists/content/*.json; een gewijzigd "
        "bestand wordt een nieuwe versie, een ongewijzigd bestand verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--map", default=str(CONTENT_DIR), help="Map met de JSON-bestanden.")

    def handle(self, *args, map, **options):  # noqa: A002 (the option's name)
        try:
            published = load_templates(Path(map))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        for version in published:
            self.stdout.write(f"Gepubliceerd: {version.title} (versie {version.number})")
        if not published:
            self.stdout.write("Geen wijzigingen.")
