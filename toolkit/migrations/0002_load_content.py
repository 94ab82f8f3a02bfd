"""Load the toolkit and werkagenda content (see toolkit/loader.py), with historical models."""

from django.db import migrations


def load(apps, schema_editor):
    from toolkit.loader import load_content

    load_content(apps)


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
