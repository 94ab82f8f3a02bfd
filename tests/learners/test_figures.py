import re

import pytest
from django.urls import reverse

from learners.models import Pupil
from learners.selectors import group_figures, publish
from tests.factories import school_in
from tests.learners.factories import PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "hidden"),
    [(0, 0), (1, "<5"), (4, "<5"), (5, "5-9"), (9, "5-9"), (13, "10-14"), (120, "120-124")],
)
def test_every_number_is_published_in_bands_of_five(count, hidden):
    assert publish(count, exact=False) == hidden
    assert publish(count, exact=True) == count


def test_group_figures_count_by_group_and_schools(region, school):
    other = school_in(region)
    for _ in range(6):
        PupilFactory(region=region, current_school=school, target_group="tos")
    lone = PupilFactory(region=region, current_school=other, target_group="dsh")
    PlacementFactory(pupil=lone)  # open placement: no confirmed enrolment
    figures = group_figures(Pupil.objects.all(), hide_small=False)
    assert figures["total"] == 7
    assert {r["label"]: r["count"] for r in figures["by_target_group"]} == {"TOS": 6, "D/SH": 1}
    assert figures["not_enrolled"] == 1
    assert figures["single_schools"] == 1 and figures["several_schools"] == 1
    hidden = group_figures(Pupil.objects.all(), hide_small=True)
    # Every number is a band: the total (5-9) minus TOS (5-9) leaves D/SH anywhere in 0-4.
    assert hidden["total"] == "5-9"
    by_group = {r["label"]: r["count"] for r in hidden["by_target_group"]}
    assert by_group == {"TOS": "5-9", "D/SH": "<5"}
    assert hidden["not_enrolled"] == "<5"
    assert sorted(s["count"] for s in hidden["schools"]) == ["5-9", "<5"]
    assert not any(s["single"] for s in hidden["schools"])
    # No count of schools with exactly one pupil; only what the school rows already say.
    assert "single_schools" not in hidden
    assert (hidden["small_schools"], hidden["larger_schools"]) == (1, 1)


def test_manager_sees_small_counts_suppressed_coordinator_exact(client, alice, bob, region, school):
    for _ in range(3):
        PupilFactory(region=region, current_school=school, target_group="cmb")
    url = reverse("learners:figures") + f"?regio={region.pk}"
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert "&lt;5" in response.text
    assert "Leerlingen: 3" not in response.text
    client.force_login(alice)
    response = client.get(url)
    assert "Leerlingen: 3" in response.text
    assert "&lt;5" not in response.text.split("<h1", 1)[1].split("<form", 1)[1]


def test_school_leader_figures_of_his_own_school_are_exact(client, leader, region, school):
    """He counts the same pupils in his (pseudonymised) pupil list; rounding would only
    make the two pages disagree ("ca. 15" above "13")."""
    PupilFactory(region=region, current_school=school)
    client.force_login(leader)
    response = client.get(reverse("learners:figures"))
    assert response.status_code == 200
    assert "Leerlingen: 1<" in response.text
    assert "&lt;5" not in response.text.split("<form", 1)[1]


def test_every_number_on_a_rounded_page_is_a_band(client, bob, region, school):
    """No exact school row under a rounded total: the whole page follows one rule."""
    for _ in range(13):
        PupilFactory(region=region, current_school=school)
    client.force_login(bob)
    response = client.get(reverse("learners:figures") + f"?regio={region.pk}")
    figures = response.context["figures"]
    assert figures["total"] == "10-14"
    assert [s["count"] for s in figures["schools"]] == ["10-14"]
    # The exact count appears in no text on the page (ids in links may contain "13").
    body = response.text.split("<form", 1)[1]
    assert not re.search(r">[^<]*\b13\b[^<]*<", body)


def test_begeleider_sees_rounded_figures_of_the_region(client, region, school):
    from tests.learners.factories import assign, begeleider_of

    pupils = [PupilFactory(region=region, current_school=school) for _ in range(3)]
    begeleider = begeleider_of(region)
    assign(pupils[0], begeleider)  # he sees one of the three pupils, not all
    client.force_login(begeleider)
    response = client.get(reverse("learners:figures"))
    assert response.context["figures"]["total"] == "<5"


def test_figures_outside_scope(client, charlie, region):
    client.force_login(charlie)
    response = client.get(reverse("learners:figures") + f"?regio={region.pk}")
    assert response.status_code == 404


def test_user_without_role_gets_404(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("learners:figures")).status_code == 404
    assert client.get(reverse("learners:pupil_list")).status_code == 404


def test_figures_per_location_include_pupils_moving_out(client, alice, region, school):
    from regions.models import Location

    kade = Location.objects.create(
        institution=region.institution, region=region, name="vso Kade", place="X"
    )
    at_kade = [PupilFactory(region=region, current_location=kade) for _ in range(2)]
    moved = PupilFactory(region=region, current_school=school)
    PlacementFactory(pupil=moved, from_location=kade)
    PlacementFactory(pupil=at_kade[0], from_location=kade)
    PupilFactory(region=region, current_school=school)  # never at the location
    client.force_login(alice)
    response = client.get(reverse("learners:figures") + f"?locatie={kade.pk}")
    assert response.status_code == 200
    assert "Leerlingen: 3" in response.text


@pytest.mark.parametrize("param", ["locatie", "school", "regio"])
def test_garbled_filters_answer_404(client, alice, param):
    client.force_login(alice)
    assert client.get(reverse("learners:figures") + f"?{param}=abc").status_code == 404


def test_a_group_under_five_is_not_broken_down_for_rounded_roles(client, alice, bob, region):
    """Four rows of "<5" under a total of "<5" would each be 1."""
    school = school_in(region)
    for group in ("tos", "dsh", "cmb", "anders"):
        PupilFactory(region=region, current_school=school, target_group=group)
    url = reverse("learners:figures") + f"?school={school.pk}"
    client.force_login(bob)
    figures = client.get(url).context["figures"]
    assert figures["total"] == "<5" and figures["too_few"]
    assert figures["by_target_group"] == [] and figures["schools"] == []
    client.force_login(alice)  # sees the pupils: exact, broken down
    figures = client.get(url).context["figures"]
    assert len(figures["by_target_group"]) == 4 and "too_few" not in figures
