"""Scrub the free text of pupil records out of audit entries written before masking."""

from django.db import migrations


def scrub(apps, schema_editor):
    from learners.audit import scrub_existing_entries

    scrub_existing_entries(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0002_consultation"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
