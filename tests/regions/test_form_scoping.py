"""Form dropdowns offer only what the user may see, and refuse a crafted id from outside."""

from datetime import date

import pytest
from django.urls import reverse

from learners.models import DutyOfCare, PlacementCase
from regions.models import School, Schoolbestuur
from tests.factories import school_in
from tests.learners.factories import PlacementFactory, PupilFactory, begeleider_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_board(region):
    """The board of a school in the demo region (alice's), unseen by charlie."""
    board = Schoolbestuur.objects.create(name="Demo Bestuur", number="11111")
    school_in(region, bestuur=board)
    return board


@pytest.fixture
def charlie_pupil(other_region):
    return PupilFactory(region=other_region, current_school=school_in(other_region))


def choices(response, name):
    return set(response.context["form"].fields[name].queryset.values_list("pk", flat=True))


def test_school_form_offers_only_boards_of_own_schools(client, charlie, other_region, demo_board):
    own = Schoolbestuur.objects.create(name="Eigen Bestuur", number="22222")
    school_in(other_region, bestuur=own)
    client.force_login(charlie)
    response = client.get(reverse("regions:school_create"))
    assert choices(response, "bestuur") == {own.pk}
    assert "Demo Bestuur" not in response.text
    response = client.post(
        reverse("regions:school_create"),
        {
            "name": "Nieuwe school",
            "brin": "45XY",
            "vestigingsnummer": "01",
            "sector": "vo",
            "swv": other_region.swvs.first().pk,
            "bestuur": demo_board.pk,
            "acoustics": "onbekend",
            "low_stimulus_room": "onbekend",
            "accessibility": "onbekend",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bestuur"]
    assert not School.objects.filter(name="Nieuwe school").exists()


def test_duty_of_care_form_offers_only_the_regions_boards_and_institution(
    client, charlie, region, other_region, charlie_pupil, demo_board
):
    url = reverse("learners:record_create", args=[charlie_pupil.code, "zorgplicht"])
    client.force_login(charlie)
    response = client.get(url)
    assert demo_board.pk not in choices(response, "bestuur")
    assert choices(response, "institution") == {other_region.institution_id}
    assert "Demo Bestuur" not in response.text
    for data in (
        {"holder_kind": "bestuur", "bestuur": demo_board.pk},
        {"holder_kind": "instelling", "institution": region.institution_id},
    ):
        response = client.post(url, {**data, "start": "2025-08-01"})
        assert response.status_code == 400
        assert set(response.context["form"].errors) & {"bestuur", "institution"}
    assert not DutyOfCare.objects.exists()


def test_arrangement_form_refuses_another_regions_school_and_begeleider(
    client, charlie, region, other_region, charlie_pupil
):
    stranger = begeleider_of(region)
    foreign_school = school_in(region)
    url = reverse("learners:record_create", args=[charlie_pupil.code, "arrangement"])
    client.force_login(charlie)
    response = client.get(url)
    assert stranger.pk not in choices(response, "begeleiders")
    assert foreign_school.pk not in choices(response, "school")
    data = {"scope": "individueel", "setting": "ambulant", "hours_per_week": "2",
            "individual_share": "100", "start": "2025-08-01"}  # fmt: skip
    response = client.post(url, {**data, "begeleiders": [stranger.pk]})
    assert response.status_code == 400 and "begeleiders" in response.context["form"].errors
    response = client.post(url, {**data, "school": foreign_school.pk})
    assert response.status_code == 400 and "school" in response.context["form"].errors
    assert not charlie_pupil.arrangements.exists()


def test_pupil_form_refuses_another_regions_school_location_and_gemeente(
    client, charlie, region, charlie_pupil
):
    from regions.models import Location

    location = Location.objects.create(
        region=region, institution=region.institution, name="Demo locatie", place="Ergens"
    )
    url = reverse("learners:pupil_edit", args=[charlie_pupil.code])
    client.force_login(charlie)
    response = client.get(url)
    assert location.pk not in choices(response, "current_location")
    assert region.gemeenten.first().pk not in choices(response, "home_gemeente")
    for field, value in (
        ("current_school", school_in(region).pk),
        ("current_location", location.pk),
        ("home_gemeente", region.gemeenten.first().pk),
    ):
        response = client.post(url, {"target_group": "tos", "is_active": "on", field: value})
        assert field in response.context["form"].errors, field
    charlie_pupil.refresh_from_db()
    assert charlie_pupil.current_location is None and charlie_pupil.home_gemeente is None


def test_placement_step_refuses_another_regions_school(client, charlie, region, charlie_pupil):
    case = PlacementFactory(pupil=charlie_pupil, options_explored_on=date(2025, 9, 1))
    url = reverse(
        "learners:placement_step", args=[charlie_pupil.code, case.pk, "school_identified"]
    )
    client.force_login(charlie)
    foreign = school_in(region)
    response = client.post(
        url, {"school_identified-on": "2025-09-02", "school_identified-to_school": foreign.pk}
    )
    assert response.status_code == 302  # back to the placement page, with the message
    assert PlacementCase.objects.get(pk=case.pk).to_school is None
