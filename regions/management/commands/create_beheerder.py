from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from regions.accounts import ADMIN_GROUP, make_beheerder
from regions.auth import duplicate_username_message, username_taken


class Command(BaseCommand):
    help = (
        "Maakt een functioneel beheerder (of maakt een bestaande gebruiker dat): toegang tot "
        f"/beheer/ via de groep '{ADMIN_GROUP}', zonder superuser-rechten en zonder leerlingdata."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Gebruikersnaam van de beheerder.")
        parser.add_argument("--email", default="", help="E-mailadres (werk).")

    def handle(self, *args, username, email, **options):
        username = username.strip()
        if not username:
            raise CommandError("Geef een gebruikersnaam.")
        User = get_user_model()
        existing = username_taken(username)
        if existing and not User.objects.filter(username=username).exists():
            # "Bea" next to "bea" would log in as neither for sure: refuse, name the one.
            raise CommandError(duplicate_username_message(existing))
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            # The operator sets it with Django's own prompt and password validators.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        was_superuser = user.is_superuser
        make_beheerder(user)
        self.stdout.write(self.style.SUCCESS(f"{username} is functioneel beheerder."))
        if was_superuser:
            self.stdout.write(f"{username} is geen superuser meer.")
        if created or not user.has_usable_password():
            self.stdout.write(f"Stel het wachtwoord in met: manage.py changepassword {username}")
