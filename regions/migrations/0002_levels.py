from django.db import migrations

LEVELS = [
    ("po", "po"), ("so", "so"), ("vso", "vso"), ("pro", "PrO"), ("vmbo-b", "vmbo-b"),
    ("vmbo-k", "vmbo-k"), ("vmbo-gt", "vmbo-g/t"), ("havo", "havo"), ("vwo", "vwo"),
    ("mbo", "mbo"),
]
INSTITUTIONS = [
    ("Auris", "auris", "https://www.auris.nl"),
    ("Kentalis", "kentalis", "https://www.kentalis.nl"),
    ("VierTaal", "viertaal", "https://www.viertaal.nl"),
    ("Vitus Zuid", "vitus-zuid", "https://www.vituszuid.nl"),
]


def forwards(apps, schema_editor):
    Level = apps.get_model("regions", "Level")
    Institution = apps.get_model("regions", "Institution")
    for order, (code, name) in enumerate(LEVELS):
        Level.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for name, slug, website in INSTITUTIONS:
        Institution.objects.get_or_create(slug=slug, defaults={"name": name, "website": website})


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
