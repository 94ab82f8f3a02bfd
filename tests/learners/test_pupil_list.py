"""The pupil list: filter by (v)so location (the closure work list), search by code (and
by name for roles that see names), sortable columns."""

import pytest
from django.urls import reverse

from tests.factories import school_in
from tests.learners.factories import LocationFactory, PlacementFactory, PupilFactory, assign

pytestmark = pytest.mark.django_db
URL = reverse("learners:pupil_list")


def codes(response):
    return [p.code for p in response.context["page"]]


def test_location_filter_lists_its_pupils_and_those_moving_out(client, alice, region, school):
    kade = LocationFactory(region=region)
    there = PupilFactory(region=region, current_location=kade)
    moving = PupilFactory(region=region, current_school=school)
    PlacementFactory(pupil=moving, from_location=kade)
    PupilFactory(region=region, current_school=school)  # never at Kade
    client.force_login(alice)
    response = client.get(URL, {"locatie": kade.pk})
    assert sorted(codes(response)) == sorted([there.code, moving.code])


def test_location_choices_are_the_users_regions_only(client, alice, region, other_region):
    mine = LocationFactory(region=region)
    theirs = LocationFactory(region=other_region)
    PupilFactory(region=other_region, current_location=theirs)
    client.force_login(alice)
    response = client.get(URL, {"locatie": theirs.pk})
    choices = list(response.context["form"].fields["locatie"].queryset)
    assert choices == [mine]
    assert response.context["form"].errors  # an outside location is not a valid choice
    assert all(p.region_id == region.pk for p in response.context["page"])


def test_school_leader_has_no_location_filter(client, leader):
    client.force_login(leader)
    assert "locatie" not in client.get(URL).context["form"].fields


def test_search_by_code(client, alice, region, school):
    one = PupilFactory(region=region, current_school=school)
    PupilFactory(region=region, current_school=school)
    client.force_login(alice)
    assert codes(client.get(URL, {"q": one.code[-4:].lower()})) == [one.code]


def test_coordinator_and_begeleider_search_by_name(client, alice, region, school, begeleider):
    found = PupilFactory(region=region, current_school=school, last_name="Zonneveld")
    assign(found, begeleider)
    PupilFactory(region=region, current_school=school, last_name="Bakker")
    for user in (alice, begeleider):
        client.force_login(user)
        assert codes(client.get(URL, {"q": "zonnev"})) == [found.code]


def test_school_leader_finds_nothing_by_name(client, leader, region, school):
    pupil = PupilFactory(region=region, current_school=school, last_name="Zonneveld")
    client.force_login(leader)
    assert pupil.code in codes(client.get(URL))
    response = client.get(URL, {"q": "Zonneveld"})
    assert codes(response) == []
    assert codes(client.get(URL, {"q": pupil.code})) == [pupil.code]


def test_columns_sort_with_aria_sort_on_the_sorted_one(client, alice, region):
    a_school = school_in(region, name="Aaa school")
    z_school = school_in(region, name="Zzz school")
    at_z = PupilFactory(region=region, current_school=z_school)
    at_a = PupilFactory(region=region, current_school=a_school)
    client.force_login(alice)
    response = client.get(URL, {"sorteer": "school"})
    assert codes(response) == [at_a.code, at_z.code]
    assert 'aria-sort="ascending"' in response.text
    assert "sorteer=-school" in response.text  # the header now sorts the other way
    response = client.get(URL, {"sorteer": "-school"})
    assert codes(response) == [at_z.code, at_a.code]
    assert 'aria-sort="descending"' in response.text


def test_sort_by_name(client, alice, region, school):
    late = PupilFactory(region=region, current_school=school, last_name="Zwart")
    early = PupilFactory(region=region, current_school=school, last_name="Aalders")
    client.force_login(alice)
    assert codes(client.get(URL, {"sorteer": "naam"})) == [early.code, late.code]


@pytest.mark.parametrize("value", ["region__name", "-first_name", "diagnosis", "'; drop", ""])
def test_a_crafted_sort_value_is_ignored(client, alice, region, school, value):
    pupils = [PupilFactory(region=region, current_school=school) for _ in range(3)]
    client.force_login(alice)
    response = client.get(URL, {"sorteer": value})
    assert response.status_code == 200
    assert codes(response) == sorted(p.code for p in pupils)


def test_school_leader_cannot_sort_by_name(client, leader, region, school):
    late = PupilFactory(region=region, current_school=school, last_name="Aalders")
    early = PupilFactory(region=region, current_school=school, last_name="Zwart")
    client.force_login(leader)
    response = client.get(URL, {"sorteer": "-naam"})
    assert codes(response) == sorted([late.code, early.code])
    assert "naam" not in response.context["sort_links"]


def test_htmx_refresh_keeps_the_filters_and_the_log(client, alice, region, school):
    from learners.models import AccessLog

    kade = LocationFactory(region=region)
    there = PupilFactory(region=region, current_location=kade)
    PupilFactory(region=region, current_school=school)
    client.force_login(alice)
    response = client.get(
        URL, {"locatie": kade.pk, "sorteer": "code"}, headers={"HX-Request": "true"}
    )
    assert there.code in response.text and "1 leerling gevonden" in response.text
    assert "<form" not in response.text  # only the results
    logged = AccessLog.objects.filter(user=alice, action="list").values_list("pupil_id", flat=True)
    assert list(logged) == [there.pk]
