"""Stored choice values are lowercase slugs (docs/architecture.md, "Woordenlijst"): the
sector of a samenwerkingsverband becomes "po"/"vo", like the sector of a school. "PO" and
"VO" stay in the labels and in the swv code (DUO's "VO 28-01"). A location that is both
stores "so-vso" (a slug), shown as "so/vso"."""

from django.db import migrations, models
from django.db.models.functions import Lower, Upper


def to_slugs(apps, schema_editor):
    apps.get_model("regions", "Samenwerkingsverband").objects.update(sector=Lower("sector"))
    apps.get_model("regions", "Location").objects.filter(kind="so/vso").update(kind="so-vso")


def from_slugs(apps, schema_editor):
    apps.get_model("regions", "Samenwerkingsverband").objects.update(sector=Upper("sector"))
    apps.get_model("regions", "Location").objects.filter(kind="so-vso").update(kind="so/vso")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0005_role_approval"),
    ]

    operations = [
        migrations.AlterField(
            model_name="location",
            name="kind",
            field=models.CharField(
                choices=[("so", "so"), ("vso", "vso"), ("so-vso", "so/vso")],
                default="vso",
                max_length=10,
                verbose_name="soort",
            ),
        ),
        migrations.AlterField(
            model_name="samenwerkingsverband",
            name="sector",
            field=models.CharField(
                choices=[("po", "primair onderwijs"), ("vo", "voortgezet onderwijs")],
                max_length=2,
                verbose_name="sector",
            ),
        ),
        migrations.RunPython(to_slugs, from_slugs),
    ]
