from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.learners.factories import CvoBesluitFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_digest_mails_each_user_their_deadlines_without_names(region, alice, begeleider, pupil):
    alice.email, begeleider.email = "alice@example.org", "bas@example.org"
    alice.save()
    begeleider.save()
    today = timezone.localdate()
    CvoBesluitFactory(pupil=pupil, end=today + timedelta(days=10))
    other = PupilFactory(region=region)
    CvoBesluitFactory(pupil=other, end=today - timedelta(days=3))
    call_command("send_deadline_digest")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"alice@example.org", "bas@example.org"}
    coordinator_mail = by_recipient["alice@example.org"].body
    assert pupil.code in coordinator_mail and other.code in coordinator_mail
    assert "Te laat" in coordinator_mail
    begeleider_mail = by_recipient["bas@example.org"].body
    assert pupil.code in begeleider_mail and other.code not in begeleider_mail
    for message in mail.outbox:
        for p in (pupil, other):
            assert p.first_name not in message.body + message.subject
            assert p.last_name not in message.body


def test_no_mail_without_deadlines_or_address(region, alice, charlie, pupil):
    alice.email = "alice@example.org"
    alice.save()
    call_command("send_deadline_digest")
    assert mail.outbox == []
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate())
    call_command("send_deadline_digest", "--dry-run")
    assert mail.outbox == []
    call_command("send_deadline_digest")
    assert len(mail.outbox) == 1


def test_the_command_queues_the_digest_for_the_worker(run_worker, region, alice, pupil):
    alice.email = "alice@example.org"
    alice.save()
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate() + timedelta(days=5))
    call_command("send_deadline_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # queued, not sent by the command itself
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_now_sends_without_the_queue(settings, region, alice, pupil):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate() + timedelta(days=5))
    call_command("send_deadline_digest", now=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
