"""The receiving school leader sees pupils on their way to the school, pseudonymised."""

from datetime import date

import pytest
from django.urls import reverse

from learners.selectors import incoming_pupils_for
from tests.factories import leader_of, school_in
from tests.learners.factories import PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def destination(region):
    return school_in(region, name="Ontvangend College")


@pytest.fixture
def incoming(region, destination):
    pupil = PupilFactory(
        region=region,
        first_name="Geheimenaam",
        need_ngt=True,
        need_other="prikkelarme werkplek",
    )
    case = PlacementFactory(
        pupil=pupil,
        to_school=destination,
        school_identified_on=date(2026, 9, 1),
        expected_start=date(2027, 1, 8),
    )
    return case


def test_leader_of_the_destination_sees_code_needs_date_and_what_is_open(
    client, incoming, destination
):
    client.force_login(leader_of(destination))
    page = client.get(reverse("learners:pupil_list")).content.decode()
    assert "Onderweg naar uw school" in page
    assert incoming.pupil.code in page
    assert "NGT of tolk" in page and "prikkelarme werkplek" in page
    assert "8-1-2027" in page
    assert "het vervoer" in page  # enrolment blockers
    assert "Geheimenaam" not in page and "14-3-2012" not in page


def test_leader_may_open_the_incoming_pupil_pseudonymised(client, incoming, destination):
    client.force_login(leader_of(destination))
    response = client.get(incoming.pupil.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert incoming.pupil.code in page and "Gepseudonimiseerd" in page
    assert "Geheimenaam" not in page and "Geheime diagnose" not in page


def test_leader_of_another_school_does_not_see_it(client, region, incoming):
    other = leader_of(school_in(region))
    assert incoming_pupils_for(other) == []
    client.force_login(other)
    page = client.get(reverse("learners:pupil_list")).content.decode()
    assert incoming.pupil.code not in page
    assert client.get(incoming.pupil.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("change", ["enrolled", "cancelled"])
def test_enrolled_or_stopped_placements_are_no_longer_on_their_way(incoming, destination, change):
    if change == "enrolled":
        incoming.enrolled_on = date(2026, 11, 1)
    else:
        incoming.cancelled = True
    incoming.save()
    assert incoming_pupils_for(leader_of(destination)) == []


def test_coordinator_sets_the_expected_start(client, alice, incoming):
    client.force_login(alice)
    url = reverse("learners:record_edit", args=[incoming.pupil.code, "plaatsing", incoming.pk])
    response = client.post(
        url,
        {
            "to_school": incoming.to_school_id,
            "reason": "sluiting",
            "expected_start": "2027-02-01",
            "version": incoming.version,
        },
    )
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.expected_start == date(2027, 2, 1)


def test_incoming_pupils_are_not_mixed_into_the_schools_own_list(
    client, region, incoming, destination
):
    own = PupilFactory(region=region, current_school=destination)
    client.force_login(leader_of(destination))
    response = client.get(reverse("learners:pupil_list"), headers={"HX-Request": "true"})
    results = response.content.decode()  # the #results partial: the school's own pupils
    assert own.code in results and incoming.pupil.code not in results
