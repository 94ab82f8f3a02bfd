"""/health/: the load balancer's question, answered without login and without pupil data."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

URL = "/health/"


def task(status, finished_at=None):
    return DBTaskResult.objects.create(
        status=status,
        task_path="plans.tasks.render_plan_document",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        finished_at=finished_at,
    )


def test_health_answers_the_database_and_the_queue_without_login(client):
    now = timezone.now()
    task(TaskResultStatus.READY)
    task(TaskResultStatus.READY)
    task(TaskResultStatus.RUNNING)
    task(TaskResultStatus.FAILED, finished_at=now - timedelta(minutes=10))
    task(TaskResultStatus.FAILED, finished_at=now - timedelta(hours=3))  # long ago
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "tasks": {"queued": 2, "failed_last_hour": 1}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_is_not_redirected_to_https(settings):
    """The load balancer asks over plain HTTP on the private network."""
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(URL).status_code == 200
    assert Client().get("/inloggen/").status_code == 301  # the rest still is


def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django_tasks_db.models.DBTaskResult.objects.all", side_effect=OperationalError("gone")
    ):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "error"}
