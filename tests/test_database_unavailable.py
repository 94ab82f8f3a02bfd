"""The database going away mid-request: a Dutch 503 page, no stack trace, logged."""

from unittest import mock

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client

from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db

DUTCH = "Route 2035 kan de gegevens nu niet bereiken"


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_whose_database_goes_away_answers_a_dutch_503(
    settings, client, alice, region, error, caplog
):
    settings.DEBUG = False
    pupil = PupilFactory(region=region)
    client.force_login(alice)
    with mock.patch(
        "learners.selectors.get_pupil_for_user", side_effect=error("server closed the connection")
    ):
        response = client.get(pupil.get_absolute_url())
    assert response.status_code == 503
    page = response.content.decode()
    assert DUTCH in page and "Tijdelijk niet beschikbaar" in page
    assert "Traceback" not in page and "server closed" not in page
    assert response["Retry-After"] == "60"
    assert "Database unavailable" in caplog.text  # logged with its stack trace


def test_other_errors_still_give_the_500_page(settings, alice, region):
    settings.DEBUG = False
    pupil = PupilFactory(region=region)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch("learners.selectors.get_pupil_for_user", side_effect=ValueError("bug")):
        response = client.get(pupil.get_absolute_url())
    assert response.status_code == 500


def test_the_database_going_away_in_a_middleware_also_answers_503(settings, alice):
    """The session and the pupil scope are read before the view: handler500 sees those."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch("learners.middleware.pupil_regions", side_effect=OperationalError("gone")):
        response = client.get("/")
    assert response.status_code == 503
    assert DUTCH in response.content.decode()
