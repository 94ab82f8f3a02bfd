"""Keeps AuditRegion (the indexed region of an audit entry) up to date."""

from django.db.models.signals import post_save


def region_of(entry):
    """The region id in an entry's additional data, or None."""
    value = (
        (entry.additional_data or {}).get("region")
        if isinstance(entry.additional_data, dict)
        else None
    )
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def index_entries(entries):
    """Index audit entries written in bulk (bulk_create sends no signal)."""
    from .models import AuditRegion, Region

    rows = [(entry, region_of(entry)) for entry in entries]
    known = set(
        Region.objects.filter(pk__in={r for _e, r in rows if r}).values_list("pk", flat=True)
    )
    AuditRegion.objects.bulk_create(
        [
            AuditRegion(log_entry_id=entry.pk, region_id=region, timestamp=entry.timestamp)
            for entry, region in rows
            if region in known
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _entry_saved(sender, instance, created, **kwargs):
    if created and region_of(instance) is not None:
        index_entries([instance])


def connect():
    from auditlog.models import LogEntry

    post_save.connect(_entry_saved, sender=LogEntry, dispatch_uid="audit-region-index")
