"""A NUL character in the address or a form value answers 400, never a 500.

PostgreSQL refuses text with NUL (psycopg raises ValueError, a 500); SQLite accepts it, so
these tests assert the status the middleware gives on any database.
"""

import pytest
from django.urls import reverse

from tests.factories import school_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name,params",
    [
        ("regions:school_list", {"q": "a\x00b"}),
        ("regions:swv_list", {"q": "a\x00b"}),
        ("learners:pupil_list", {"school": "1\x00"}),
        ("learners:pupil_list", {"target_group\x00": "tos"}),
    ],
)
def test_nul_in_a_search_answers_400(client, alice, url_name, params):
    client.force_login(alice)
    response = client.get(reverse(url_name), params)
    assert response.status_code == 400
    assert "Ongeldige aanvraag" in response.content.decode()


def test_nul_in_the_address_answers_400(client, alice, region):
    client.force_login(alice)
    assert client.get("/leerlingen/LL-%00X/").status_code == 400
    assert client.get("/scholen/%00/").status_code == 400


def test_nul_in_a_posted_value_answers_400_and_changes_nothing(client, alice, region):
    school = school_in(region)
    client.force_login(alice)
    response = client.post(
        reverse("regions:school_suitability", args=[school.pk]),
        {
            "acoustics": "goed",
            "low_stimulus_room": "goed",
            "accessibility": "goed",
            "building_notes": "a\x00b",
        },
    )
    assert response.status_code == 400
    school.refresh_from_db()
    assert school.acoustics == "onbekend"


def test_ordinary_search_still_works(client, alice, region):
    school_in(region, name="De Vuurtoren")
    client.force_login(alice)
    response = client.get(reverse("regions:school_list"), {"q": "Vuurtoren"})
    assert response.status_code == 200
    assert "De Vuurtoren" in response.content.decode()
