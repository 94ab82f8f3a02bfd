"""Cached page data that is dropped the moment the data under it changes.

Every save or delete of a model of the apps (and every change of a many-to-many field)
bumps a version: the region's version when the object belongs to one region (a `region`
or a `pupil` with a region), else the shared version (schools, SWVs, roles, content:
anything that may show in any region). The versions live in the database (DataVersion),
bumped inside the writer's transaction: every process and server sees them change at
the commit that changes the data, never before or after. A cache key built with
`versions_key(region_ids)` therefore changes with any change to those regions or to
shared data, so `cached()` never serves data older than the last save, whatever cache
holds the pages (each process's memory will do). Writes that bypass signals
(QuerySet.update, bulk_create) must call `bump()` themselves. Logs written while reading
(the access log, audit entries, plan events) do not count as changes.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import get_language

SHARED = "dataversion:shared"
TIMEOUT = 15 * 60
APPS = {"regions", "learners", "toolkit", "initiatives", "checklists", "plans"}
# Written while reading or working, not data that a page summarises.
IGNORED = {
    "learners.accesslog",
    "plans.planevent",
    # An import's own progress; its rows bump the versions when they are written.
    "regions.importjob",
    "regions.auditregion",
    "regions.dataversion",
}


def _key(region_id):
    return f"dataversion:region:{region_id}"


def _set_versions(keys):
    from .models import DataVersion

    DataVersion.objects.bulk_create(
        [DataVersion(key=key, version=uuid.uuid4().hex) for key in keys],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["version"],
    )


def bump(*region_ids, shared=False):
    """Mark the data of these regions (or, with shared=True, of every region) changed."""
    _set_versions([_key(pk) for pk in sorted(set(region_ids)) if pk] + ([SHARED] if shared else []))


def versions_key(region_ids, *, anywhere=False) -> str:
    """The current versions of these regions and of the shared data (with anywhere=True:
    of all data), as one string."""
    from .models import DataVersion

    if anywhere:
        # Every version row (one per region that ever changed, and the shared one): a
        # few dozen short rows. Not one row bumped by every writer, which would make
        # all writers of all regions wait for each other's commit on PostgreSQL.
        rows = DataVersion.objects.order_by("key").values_list("key", "version")
        return hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    keys = [SHARED, *(_key(pk) for pk in sorted(set(region_ids)))]
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "version"))
    # A key never bumped has no row: its version is "0" until its first change.
    return ";".join(found.get(key, "0") for key in keys)


def cached(name, region_ids, parts, compute, *, anywhere=False, timeout=TIMEOUT):
    """compute(), kept under a key of `name`, `parts` (who asks, which filter: whatever
    else the answer depends on), the language and the day (labels are translated, dates
    count from today) and the data versions of `region_ids` and of the shared data (see
    versions_key)."""
    day = timezone.localdate().isoformat()
    versions = versions_key(region_ids, anywhere=anywhere)
    raw = repr((name, tuple(parts), get_language(), day, versions))
    key = f"cached:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _region_ids(instance):
    """The regions `instance` belongs to, or None when it is shared data."""
    region_id = getattr(instance, "region_id", None)
    if region_id is not None:
        return {region_id, getattr(instance, "_region_id_before", None)} - {None}
    pupil_id = getattr(instance, "pupil_id", None)
    if pupil_id is not None:
        try:
            return {instance.pupil.region_id}
        except Exception:  # noqa: BLE001 (the pupil is gone: a cascade delete)
            return None
    for parent in ("assignment", "initiative", "agreement", "plan"):
        related = getattr(instance, f"{parent}_id", None)
        if related is not None:
            return _region_ids(getattr(instance, parent))
    return None


def _counts(sender):
    meta = sender._meta
    # A migration's historical models ("__fake__") run before DataVersion's table exists.
    return (
        meta.app_label in APPS
        and meta.label_lower not in IGNORED
        and sender.__module__ != "__fake__"
    )


def _remember_region(sender, instance, **kwargs):
    """A record moved to another region changes the old region's data too."""
    if _counts(sender) and instance.pk and hasattr(instance, "region_id"):
        old = sender._base_manager.filter(pk=instance.pk).values_list("region_id", flat=True)
        instance._region_id_before = next(iter(old), None)


def _changed(sender, instance, **kwargs):
    # A raw save is a fixture or a dump being loaded: it brings its own versions.
    if not _counts(sender) or kwargs.get("raw"):
        return
    regions = _region_ids(instance) or ()

    # Inside the writer's transaction: the new version is committed with the data.
    bump(*regions, shared=not regions)


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _changed(type(instance), instance)


def connect():
    pre_save.connect(_remember_region, dispatch_uid="dataversion-pre")
    post_save.connect(_changed, dispatch_uid="dataversion-save")
    post_delete.connect(_changed, dispatch_uid="dataversion-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="dataversion-m2m")
