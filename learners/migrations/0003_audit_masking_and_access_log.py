"""Scrub the free text of pupil records out of audit entries written before masking;
the access log learns that a pupil was seen in a list."""

from django.db import migrations, models


def scrub(apps, schema_editor):
    from learners.audit import scrub_existing_entries

    scrub_existing_entries(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0002_consultation"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(scrub, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "bekeken"),
                    ("list", "in een lijst gezien"),
                    ("export", "geëxporteerd"),
                ],
                max_length=10,
                verbose_name="handeling",
            ),
        ),
    ]
