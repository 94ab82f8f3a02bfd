"""Reference data every database needs: education levels and the four institutions.

Loaded by migration 0002; callable again (idempotent) where a test flushed the tables.
"""

from django.apps import apps as django_apps

LEVELS = [
    ("po", "po"),
    ("so", "so"),
    ("vso", "vso"),
    ("pro", "PrO"),
    ("vmbo-b", "vmbo-b"),
    ("vmbo-k", "vmbo-k"),
    ("vmbo-gt", "vmbo-g/t"),
    ("havo", "havo"),
    ("vwo", "vwo"),
    ("mbo", "mbo"),
]
INSTITUTIONS = [
    ("Auris", "auris", "https://www.auris.nl"),
    ("Kentalis", "kentalis", "https://www.kentalis.nl"),
    ("VierTaal", "viertaal", "https://www.viertaal.nl"),
    ("Vitus Zuid", "vitus-zuid", "https://www.vituszuid.nl"),
]


def ensure_reference_data(apps=django_apps):
    Level = apps.get_model("regions", "Level")
    Institution = apps.get_model("regions", "Institution")
    for order, (code, name) in enumerate(LEVELS):
        Level.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for name, slug, website in INSTITUTIONS:
        Institution.objects.get_or_create(slug=slug, defaults={"name": name, "website": website})
