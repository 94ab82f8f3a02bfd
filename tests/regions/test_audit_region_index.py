"""Recent changes of a region come from an indexed region column (AuditRegion), filled
for every new audit entry and, by the migration, for the entries already written."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import AuditRegion
from regions.selectors import recent_changes
from tests.toolkit.factories import RegionActionFactory

pytestmark = pytest.mark.django_db


def test_a_new_entry_is_indexed_with_its_region(region):
    action = RegionActionFactory(region=region)
    entry = LogEntry.objects.get_for_object(action).get()
    assert AuditRegion.objects.get(log_entry=entry).region_id == region.pk


def test_recent_changes_of_a_region_read_the_index_not_the_json(alice, region, other_region):
    mine = RegionActionFactory(region=region, title="Mijn actie")
    RegionActionFactory(region=other_region, title="Actie elders")
    with CaptureQueriesContext(connection) as queries:
        found = recent_changes(alice, region=region)
    shown = [e.object_repr for e in found]
    assert str(mine) in shown and "Actie elders" not in shown
    assert not any("additional_data" in q["sql"].split("WHERE", 1)[-1] for q in queries)


def test_newest_first_across_region_work_and_the_region_itself(alice, region):
    for n in range(12):
        RegionActionFactory(region=region, title=f"Actie {n}")
    region.name = "Hernoemd"
    region.save()
    found = recent_changes(alice, region=region, limit=10)
    assert len(found) == 10
    assert found[0].object_repr == "Hernoemd"
    assert [e.timestamp for e in found] == sorted((e.timestamp for e in found), reverse=True)


def test_the_migration_indexes_entries_written_before_it(region):
    RegionActionFactory(region=region)
    AuditRegion.objects.all().delete()
    migration = importlib.import_module("regions.migrations.0011_audit_region_index")
    migration.index_existing_entries(apps, None)
    assert AuditRegion.objects.filter(region=region).count() == 1
