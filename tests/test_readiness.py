"""/health/ready/: a new server joins the load balancer's pool only when every migration
of its release is applied (a rolling deploy, docs/deploy.md)."""

from unittest import mock

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db

URL = "/health/ready/"


def test_ready_when_every_migration_is_applied(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok"}


def test_not_ready_while_a_migration_is_pending(client):
    # As on a server with the new code before `migrate` ran: the newest plans migration
    # is not recorded as applied.
    newest = MigrationRecorder.Migration.objects.filter(app="plans").order_by("-name").first()
    newest.delete()
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "migrations": "pending", "pending": 1}


def test_not_ready_without_a_database(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.__init__",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "error"}
