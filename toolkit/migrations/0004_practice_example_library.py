"""The practice-example library: an example's type becomes a CooperationType (same slug,
`school_in_school` -> `school-in-school`), it gets sectors, clusters, a construction and
the fixed headings, and the content is loaded again (toolkit/loader.py, update_or_create
by slug): the ten seed-003 examples and the content corrections reach an existing
database."""

import django.db.models.deletion
from django.db import migrations, models


def type_to_cooperation_type(apps, schema_editor):
    Example = apps.get_model("toolkit", "PracticeExample")
    CooperationType = apps.get_model("toolkit", "CooperationType")
    types = {t.slug: t for t in CooperationType.objects.all()}
    for example in Example.objects.all():
        slug = example.type.replace("_", "-")
        example.cooperation_type = types.get(slug) or types["anders"]
        example.save(update_fields=["cooperation_type"])


def cooperation_type_to_type(apps, schema_editor):
    Example = apps.get_model("toolkit", "PracticeExample")
    for example in Example.objects.select_related("cooperation_type"):
        example.type = example.cooperation_type.slug.replace("-", "_")[:24]
        example.save(update_fields=["type"])


def load(apps, schema_editor):
    from toolkit.loader import load_content

    load_content(apps)


HEADINGS = [
    ("aanleiding", "aanleiding"),
    ("doelen", "doelen en ambities"),
    ("praktijk", "de praktijk"),
    ("leerlingen", "de leerlingen"),
    ("ouders", "de ouders"),
    ("uitdagingen", "uitdagingen"),
    ("opbrengsten", "opbrengsten"),
    ("toekomst", "toekomstige ontwikkelingen"),
]


class Migration(migrations.Migration):
    # PostgreSQL refuses to change the table's indexes in the transaction that just wrote
    # its rows ("pending trigger events"): each step commits on its own.
    atomic = False
    dependencies = [("toolkit", "0003_cooperation_types")]

    operations = [
        migrations.AddField(
            model_name="practiceexample",
            name="cooperation_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="examples",
                to="toolkit.cooperationtype",
                verbose_name="vorm",
            ),
        ),
        migrations.RunPython(type_to_cooperation_type, cooperation_type_to_type),
        # A default first, so that undoing this migration can add the text column back.
        migrations.AlterField(
            model_name="practiceexample",
            name="type",
            field=models.CharField(default="", max_length=24, verbose_name="vorm"),
        ),
        migrations.RemoveField(model_name="practiceexample", name="type"),
        migrations.RenameField(
            model_name="practiceexample", old_name="cooperation_type", new_name="type"
        ),
        migrations.AlterField(
            model_name="practiceexample",
            name="type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="examples",
                to="toolkit.cooperationtype",
                verbose_name="vorm",
            ),
        ),
        migrations.AddField(
            model_name="practiceexample",
            name="sectors",
            field=models.JSONField(
                blank=True, default=list, help_text="PO, VO en/of MBO.", verbose_name="sectoren"
            ),
        ),
        migrations.AddField(
            model_name="practiceexample",
            name="clusters",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="De clusters van het speciaal onderwijs dat meedoet (1-4).",
                verbose_name="clusters",
            ),
        ),
        migrations.AddField(
            model_name="practiceexample",
            name="construction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("symbioseovereenkomst", "symbioseovereenkomst"),
                    ("samenwerkingsovereenkomst", "samenwerkingsovereenkomst"),
                    (
                        "experiment",
                        "experiment onder de beleidsregel samenwerking regulier en speciaal onderwijs",
                    ),
                    ("swv-arrangement", "arrangement van het samenwerkingsverband"),
                    ("anders", "anders"),
                ],
                max_length=30,
                verbose_name="constructie",
            ),
        ),
        *[
            migrations.AddField(
                model_name="practiceexample",
                name=name,
                field=models.TextField(blank=True, verbose_name=label),
            )
            for name, label in HEADINGS
        ],
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
