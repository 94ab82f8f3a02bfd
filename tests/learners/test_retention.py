"""Retention: purge_expired lists (dry run) or deletes what outlived settings.RETENTION,
a pupil with every record, audit entry and access-log row about it, and logs counts only."""

import logging
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learners import models as lm
from plans.models import PlanDocument, PurgeRun
from plans.retention import purge_expired
from tests.learners.factories import PupilFactory, pupil_with_every_record

pytestmark = pytest.mark.django_db

RECORD_MODELS = (
    lm.CvoBesluit,
    lm.Arrangement,
    lm.PlacementCase,
    lm.DutyOfCare,
    lm.Handover,
    lm.CheckIn,
    lm.Conversation,
    lm.Consultation,
)


def left_days_ago(pupil, days):
    pupil.is_active = False
    pupil.save()
    lm.Pupil.objects.filter(pk=pupil.pk).update(
        inactive_since=timezone.localdate() - timedelta(days=days)
    )


def audit_entries(pupil):
    """Every audit entry of the pupil and of its records."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(lm.Pupil), object_pk=str(pupil.pk)
    )
    for model in RECORD_MODELS:
        pks = [str(pk) for pk in model.objects.filter(pupil=pupil).values_list("pk", flat=True)]
        entries |= LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=pks
        )
    return entries


def test_inactive_since_follows_is_active(region):
    pupil = PupilFactory(region=region)
    assert pupil.inactive_since is None
    pupil.is_active = False
    pupil.save(update_fields=["is_active"])
    pupil.refresh_from_db()
    assert pupil.inactive_since == timezone.localdate()
    pupil.is_active = True
    pupil.save()
    pupil.refresh_from_db()
    assert pupil.inactive_since is None


def test_pupil_gone_two_years_and_a_day_is_purged_with_everything(region, alice, settings):
    settings.RETENTION = {**settings.RETENTION, "pupil": 730}
    old = pupil_with_every_record(region, alice, marker="oud")
    left_days_ago(old, 731)
    pk = old.pk
    records = {
        model: list(model.objects.filter(pupil=old).values_list("pk", flat=True))
        for model in RECORD_MODELS
    }
    assert all(records.values())
    assert audit_entries(old).count() >= len(RECORD_MODELS) + 1
    assert lm.AccessLog.objects.filter(pupil=old).exists()

    purge_expired(purge=True)

    assert not lm.Pupil.objects.filter(pk=pk).exists()
    for model, pks in records.items():
        assert not model.objects.filter(pk__in=pks).exists(), model
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(p) for p in pks],
        ).exists(), model
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(lm.Pupil), object_pk=str(pk)
    ).exists()
    assert not lm.AccessLog.objects.filter(pupil_id=pk).exists()
    assert not lm.AccessLog.objects.filter(pupil=None, detail="test").exists()
    # Nothing about the pupil came back as a "deleted" entry either.
    assert not LogEntry.objects.filter(object_repr__contains=old.code).exists()


def test_pupil_gone_a_day_short_of_two_years_stays(region, alice, settings):
    settings.RETENTION = {**settings.RETENTION, "pupil": 730}
    recent = pupil_with_every_record(region, alice)
    left_days_ago(recent, 729)
    active = pupil_with_every_record(region, alice)
    lm.Pupil.objects.filter(pk=active.pk).update(updated_at=timezone.now() - timedelta(days=3000))
    entries = audit_entries(recent).count()

    purge_expired(purge=True)

    for pupil in (recent, active):
        assert lm.Pupil.objects.filter(pk=pupil.pk).exists()
        assert lm.Consultation.objects.filter(pupil=pupil).exists()
        assert lm.AccessLog.objects.filter(pupil=pupil).exists()
    assert audit_entries(recent).count() == entries


def test_dry_run_changes_nothing_and_reports_counts(region, alice, capsys):
    old = pupil_with_every_record(region, alice)
    left_days_ago(old, 2000)
    before = (LogEntry.objects.count(), lm.AccessLog.objects.count())

    call_command("purge_expired")

    out = capsys.readouterr().out
    assert "pupil: 1 verlopen" in out
    assert "Proefdraai" in out
    assert lm.Pupil.objects.filter(pk=old.pk).exists()
    assert (LogEntry.objects.count(), lm.AccessLog.objects.count()) == before
    assert not PurgeRun.objects.exists()


def test_log_holds_counts_never_codes_or_names(region, alice, caplog):
    old = pupil_with_every_record(region, alice)
    left_days_ago(old, 2000)
    caplog.set_level(logging.INFO, logger="route2035.retention")

    call_command("purge_expired", "--purge")

    lines = [r.getMessage() for r in caplog.records if r.name == "route2035.retention"]
    assert any("pupil=1 " in line for line in lines)
    assert any("pupil_records=" in line for line in lines)
    text = "\n".join(lines)
    for secret in (old.code, old.first_name, old.last_name, "Diagnose", "Wens"):
        assert secret not in text
    run = PurgeRun.objects.get()
    assert run.counts["pupil"]["count"] == 1
    assert old.code not in str(run.counts)


def test_purge_is_idempotent(region, alice):
    left_days_ago(pupil_with_every_record(region, alice), 2000)
    purge_expired(purge=True)
    again = {o.kind: o.count for o in purge_expired(purge=True)}
    assert set(again.values()) == {0}


def test_other_kinds_go_by_their_own_limit(region, alice, settings):
    settings.RETENTION = {
        **settings.RETENTION,
        "access_log": 730,
        "audit": 1825,
        "task_result": 30,
        "axes_attempt": 365,
        "plan_export": 90,
    }
    now = timezone.now()
    pupil = PupilFactory(region=region)
    look_old, look_new = (
        lm.AccessLog.objects.create(user=alice, action="view", pupil=pupil, region=region)
        for _ in range(2)
    )
    lm.AccessLog.objects.filter(pk=look_old.pk).update(at=now - timedelta(days=731))
    entry_old = LogEntry.objects.filter(object_pk=str(pupil.pk)).first()
    LogEntry.objects.filter(pk=entry_old.pk).update(timestamp=now - timedelta(days=1826))
    task_old, task_new = (
        DBTaskResult.objects.create(
            task_path="x.y",
            args_kwargs={},
            status=TaskResultStatus.SUCCESSFUL,
            finished_at=now - timedelta(days=d),
            backend_name="default",
            queue_name="default",
            priority=0,
            run_after=None,
        )
        for d in (31, 29)
    )
    attempt_old, attempt_new = (
        AccessAttempt.objects.create(
            username=name,
            ip_address="127.0.0.1",
            user_agent="",
            path_info="/",
            failures_since_start=1,
            get_data="",
            post_data="",
            http_accept="",
        )
        for name in ("oud", "nieuw")
    )
    AccessAttempt.objects.filter(pk=attempt_old.pk).update(attempt_time=now - timedelta(days=366))
    draft_old, draft_new, frozen_old = (
        PlanDocument.objects.create(region=region, snapshot={"x": 1}, number=n)
        for n in (None, None, 1)
    )
    PlanDocument.objects.filter(pk__in=[draft_old.pk, frozen_old.pk]).update(
        created_at=now - timedelta(days=91)
    )

    purge_expired(purge=True)

    for gone in (look_old, task_old, attempt_old, draft_old):
        assert not type(gone).objects.filter(pk=gone.pk).exists(), gone
    assert not LogEntry.objects.filter(pk=entry_old.pk).exists()
    for kept in (look_new, task_new, attempt_new, draft_new, frozen_old, pupil):
        assert type(kept).objects.filter(pk=kept.pk).exists(), kept
