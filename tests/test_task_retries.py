"""Failed background tasks are tried again a bounded number of times and then shown as
failed, never lost (regions.tasks.retrying)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learners.tasks import send_deadline_digest
from plans import documents
from plans.models import DocumentStatus, PlanDocument
from regions.tasks import retrying
from tests.factories import coordinator_of
from tests.learners.factories import CvoBesluitFactory, PupilFactory

pytestmark = pytest.mark.django_db

calls = []
given_up = []


@task()
@retrying(max_attempts=3, on_give_up=lambda label, failures: given_up.append(label))
def flaky(label: str, failures: int) -> str:
    calls.append(label)
    if len(calls) <= failures:
        raise RuntimeError("not yet")
    return f"done {label}"


@pytest.fixture(autouse=True)
def _fresh():
    calls.clear()
    given_up.clear()


def test_a_task_that_fails_twice_succeeds_on_the_third_attempt():
    flaky.enqueue("a", failures=2)
    assert calls == ["a", "a", "a"] and given_up == []


def test_a_task_is_tried_at_most_three_times_then_fails():
    first = flaky.enqueue("b", failures=10)
    assert calls == ["b", "b", "b"] and given_up == ["b"]
    # The first attempt's result points at the next; the last one is FAILED, with its error.
    assert "attempt 2" in first.return_value


def test_a_plan_pdf_that_keeps_failing_ends_failed_with_a_message(client, region, alice):
    client.force_login(alice)
    with mock.patch("plans.documents.plan_pdf", side_effect=RuntimeError("pango")) as render:
        client.post(reverse("plans:plan_export", args=[region.pk]))
    assert render.call_count == 3
    document = PlanDocument.objects.get(region=region)
    assert document.status == DocumentStatus.FAILED and document.attempts == 3
    assert document.error.startswith("De pdf kon niet worden gemaakt")


def test_a_plan_pdf_that_fails_once_is_ready_after_the_retry(region, alice):
    with mock.patch(
        "plans.documents.plan_pdf", side_effect=[RuntimeError("pango"), b"%PDF-1.7 retried"]
    ):
        documents.export(region, alice)
    document = PlanDocument.objects.get(region=region)
    assert document.status == DocumentStatus.READY and document.attempts == 2
    assert document.error == ""


def test_the_worker_queues_the_retry_for_later_and_runs_it(run_worker, region, alice):
    document = documents.export(region, alice)
    with mock.patch("plans.documents.plan_pdf", side_effect=RuntimeError("pango")):
        run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.attempts == 1
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"retry_attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=20)  # not at once
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2


def test_the_digest_retries_only_the_unsent_mails(region, alice, school):
    from django.core.mail import send_mail as real_send_mail

    other = coordinator_of(region)
    alice.email, other.email = "alice@example.org", "other@example.org"
    alice.save()
    other.save()
    pupil = PupilFactory(region=region, current_school=school)
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate() + timedelta(days=5))
    failures = []

    def send_or_fail(subject, body, sender, to):
        if to == ["other@example.org"] and not failures:
            failures.append(to)
            raise OSError("smtp gone")
        return real_send_mail(subject, body, sender, to)

    with mock.patch("learners.tasks.send_mail", side_effect=send_or_fail):
        send_deadline_digest.enqueue()
    assert failures == [["other@example.org"]]
    # Each person once: the retry mailed only the one that failed.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "other@example.org"]
