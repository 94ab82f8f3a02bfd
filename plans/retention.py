"""Retention: what is kept how long (settings.RETENTION, in days) and the purge of what
expired. In plans because it spans every app (nothing imports plans).

A pupil goes with everything that hangs off it (Django's own delete collector finds the
records of every app, a transition plan's cohort included), the audit entries of each of
those objects and the access-log rows about the pupil, so nothing about a purged pupil is
left behind. Deletes run with auditlog switched off: a "deleted" entry would carry the
pupil's code after the pupil is gone. The log says counts and limit dates only.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learners.models import AccessLog, Pupil

from .models import PlanDocument, PurgeRun

logger = logging.getLogger("route2035.retention")
BATCH = 500


@dataclass
class Outcome:
    kind: str
    count: int
    before: date  # what is older than this (or left the region's care before it) expires


def limit(kind: str, today: date) -> date:
    return today - timedelta(days=int(settings.RETENTION[kind]))


def _moment(day: date):
    """The start of `day` in the current time zone, for DateTimeFields."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- pupils -----------------------------------------------------------------------


def expired_pupils(before: date):
    return Pupil.objects.filter(is_active=False, inactive_since__lt=before)


def _objects_deleted_with(pupils) -> dict:
    """{model: set of pks} that deleting `pupils` removes, in every app."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    collector.collect(list(pupils))
    found = {model: {obj.pk for obj in objs} for model, objs in collector.data.items()}
    for queryset in collector.fast_deletes:
        found.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    return found


def _purge_pupil_batch(pupil_ids) -> dict:
    pupils = Pupil.objects.filter(pk__in=pupil_ids)
    counts = {"pupil_records": 0, "pupil_audit": 0, "pupil_access_log": 0}
    counts["pupil_access_log"] = AccessLog.objects.filter(pupil_id__in=pupil_ids).delete()[0]
    for model, pks in _objects_deleted_with(pupils).items():
        if model._meta.auto_created:
            continue  # many-to-many rows: no records of their own, no audit entries
        if model is not Pupil:
            counts["pupil_records"] += len(pks)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        counts["pupil_audit"] += LogEntry.objects.filter(
            content_type=content_type, object_pk__in=[str(pk) for pk in pks]
        ).delete()[0]
    with disable_auditlog():
        pupils.delete()
    return counts


def purge_pupils(before: date, *, purge: bool) -> list[Outcome]:
    ids = list(expired_pupils(before).values_list("pk", flat=True))
    totals = {"pupil_records": 0, "pupil_audit": 0, "pupil_access_log": 0}
    if purge and ids:
        with transaction.atomic():
            for start in range(0, len(ids), BATCH):
                for kind, n in _purge_pupil_batch(ids[start : start + BATCH]).items():
                    totals[kind] += n
    return [Outcome("pupil", len(ids), before)] + (
        [Outcome(kind, n, before) for kind, n in totals.items()] if purge else []
    )


# --- everything else: one queryset per kind ------------------------------------------


def _simple_kinds(today: date):
    """(kind, setting, limit date, queryset of what expired)."""
    for kind, setting, queryset_for in (
        ("access_log", "access_log", lambda at: AccessLog.objects.filter(at__lt=at)),
        ("audit", "audit", lambda at: LogEntry.objects.filter(timestamp__lt=at)),
        (
            "task_result",
            "task_result",
            lambda at: DBTaskResult.objects.filter(
                status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
                finished_at__lt=at,
            ),
        ),
        (
            "axes_attempt",
            "axes_attempt",
            lambda at: AccessAttempt.objects.filter(attempt_time__lt=at),
        ),
        (
            "axes_failure",
            "axes_attempt",
            lambda at: AccessFailureLog.objects.filter(attempt_time__lt=at),
        ),
        ("axes_login", "axes_attempt", lambda at: LoginLog.objects.filter(attempt_time__lt=at)),
        # Frozen versions stay: they hold bands of counts, no pupil data, and are the record.
        (
            "plan_export",
            "plan_export",
            lambda at: PlanDocument.objects.filter(number=None, created_at__lt=at),
        ),
    ):
        before = limit(setting, today)
        yield kind, before, queryset_for(_moment(before))


def _delete_in_batches(queryset) -> int:
    deleted = 0
    with transaction.atomic(), disable_auditlog():
        while True:
            pks = list(queryset.values_list("pk", flat=True)[:BATCH])
            if not pks:
                return deleted
            deleted += queryset.model._base_manager.filter(pk__in=pks).delete()[0]


def _clear_sessions(today: date, *, purge: bool) -> Outcome:
    """Expired sessions (what `clearsessions` does), counted when they live in the database."""
    from django.contrib.sessions.models import Session

    expired = Session.objects.filter(expire_date__lt=timezone.now())
    count = expired.count() if "db" in settings.SESSION_ENGINE else 0
    if purge:
        from importlib import import_module

        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return Outcome("session", count, today)


# --- the run -----------------------------------------------------------------------


def purge_expired(*, purge: bool = False, today: date | None = None) -> list[Outcome]:
    """List (purge=False) or delete (purge=True) what expired; one log line per kind,
    and for a purge one PurgeRun row saying what went, in counts."""
    today = today or timezone.localdate()
    outcomes = []
    with scopes_disabled():
        # Pupils first: their access-log and audit rows go with them, whatever their age.
        outcomes += purge_pupils(limit("pupil", today), purge=purge)
        for kind, before, queryset in _simple_kinds(today):
            count = _delete_in_batches(queryset) if purge else queryset.count()
            outcomes.append(Outcome(kind, count, before))
        outcomes.append(_clear_sessions(today, purge=purge))
    verb = "purged" if purge else "expired (dry run)"
    for outcome in outcomes:
        logger.info(
            "retention %s: %s=%d before=%s", verb, outcome.kind, outcome.count, outcome.before
        )
    if purge:
        PurgeRun.objects.create(
            counts={o.kind: {"count": o.count, "before": o.before.isoformat()} for o in outcomes}
        )
    return outcomes
