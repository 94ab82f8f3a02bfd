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
    figures = client.get(reverse("learners:figures")).context["figures"]
    assert figures["total"] == "<5" and figures["too_few"]
    assert figures["by_target_group"] == [] and figures["schools"] == []
    # The school's page would break down what the page above it does not.
    response = client.get(url)
    assert response.context["unpublished"] and response.context["figures"] is None
    assert "Niet gepubliceerd" in response.text
    client.force_login(alice)  # sees the pupils: exact, broken down
    figures = client.get(url).context["figures"]
    assert len(figures["by_target_group"]) == 4 and "too_few" not in figures


def test_the_audit_widens_the_total_when_small_rows_sit_beside_a_big_one():
    """Four rows "<5" beside "10-14" under a total "10-14": the total 14 would make each 1.
    Published as "10-19" instead, whichever of its halves the total is in."""
    from learners.disclosure import protect_page

    rows = {"by_target_group": {"tos": 10, "dsh": 1, "cmb": 1, "doofblind": 1, "anders": 1}}
    assert protect_page(rows, 14) == ((10, 19), set())
    # On a school's page the total is also its row elsewhere: the table is withheld.
    assert protect_page(rows, 14, total_is_public=True) == ((10, 14), {"by_target_group"})


def test_the_audit_withholds_a_table_that_another_table_pins():
    """Level "20-24" says the total is 20 or more, so five target-group rows "<5" are 4."""
    from learners.disclosure import protect_page

    rows = {"by_target_group": dict.fromkeys("abcde", 4), "by_level": {"havo": 20}}
    band, withheld = protect_page(rows, 20)
    assert withheld == {"by_target_group"}
    assert protect_page(rows, 20) == (band, withheld)  # the same data, the same page


def test_manager_sees_why_a_table_is_not_published(client, alice, bob, region, school):
    for group in ("tos",) * 10 + ("dsh", "cmb", "doofblind", "anders"):
        PupilFactory(region=region, current_school=school, target_group=group)
    url = reverse("learners:figures") + f"?school={school.pk}"
    client.force_login(bob)
    response = client.get(reverse("learners:figures"))
    assert response.context["figures"]["withheld"] == ["by_target_group"]
    assert "Niet gepubliceerd" in response.text and "doofblind" not in response.text
    # One level "10-14" says the total is at most 14 whatever band the total is in.
    assert response.context["figures"]["total"] == "10-14"
    # The school's page shows its row of that page and no breakdown at all.
    response = client.get(url)
    assert response.context["figures"] == {"total": "10-14", "only_total": True, "withheld": []}
    assert "doofblind" not in response.text and "cijfers zonder filter" in response.text
    client.force_login(alice)  # the coordinator's figures stay exact
    figures = client.get(url).context["figures"]
    assert figures["total"] == 14 and figures["withheld"] == []


def test_figures_filter_outside_scope_answers_404(client, alice, other_region):
    from tests.factories import school_in
    from tests.learners.factories import LocationFactory

    client.force_login(alice)
    theirs = LocationFactory(region=other_region)
    their_school = school_in(other_region)
    url = reverse("learners:figures")
    assert client.get(url + f"?locatie={theirs.pk}").status_code == 404
    assert client.get(url + f"?school={their_school.pk}").status_code == 404
    assert client.get(url + f"?regio={other_region.pk}").status_code == 404


def test_figures_filters_are_a_form_with_scoped_choices(client, alice, region, other_region):
    from tests.learners.factories import LocationFactory

    mine = LocationFactory(region=region)
    LocationFactory(region=other_region)
    client.force_login(alice)
    form = client.get(reverse("learners:figures") + f"?locatie={mine.pk}").context["form"]
    assert list(form.fields["locatie"].queryset) == [mine]
    assert list(form.fields["regio"].queryset) == [region]
    assert form.cleaned_data["locatie"] == mine


def test_the_audit_knows_location_rows_add_up_when_nobody_is_in_two_locations():
    """Locations 5, 1, 1, 1, 1 and nobody in two of them: the rows add up to at least 9, so
    a total "5-9" is 9 and each small row 1. Rows that may overlap only bound the total."""
    from learners.disclosure import protect_page

    rows = {
        "by_status": {"geen plaatsing": 9},
        "by_location": dict(enumerate([5, 1, 1, 1, 1])),
        "location_overlap": {0: 0, 1: 0},
    }
    band, withheld = protect_page(rows, 9, total_is_public=True)
    assert band == (5, 9) and withheld == {"by_location"}
    # The status row "5-9" caps the total whatever band it is shown in: withheld too.
    assert protect_page(rows, 9) == ((5, 9), {"by_location"})
    # With two memberships too many the same rows say nothing.
    rows["location_overlap"] = {0: 2, 1: 0}
    assert protect_page(rows, 9, total_is_public=True)[1] == set()


def test_a_region_without_locations_has_no_pupils_outside_its_schools():
    """Attack 4, S2: region A "20-24" with five school rows "<5" and no (v)so locations. A
    pupil without a school is at a location of its own region, so A is exactly its schools
    and each school exactly 4: the audit must see that and not publish it as is."""
    from learners.disclosure import protect_page

    schools = {("A", n): 4 for n in range(5)} | {("B", 9): 12}
    rows = {"by_region": {"A": 20, "B": 12}, "schools": schools}
    nesting = [
        (("by_region", "A"), [("schools", key) for key in schools if key[0] == "A"]),
        (("by_region", "B"), [("schools", ("B", 9))]),
    ]
    band, withheld = protect_page(rows, 32, nesting=nesting)
    assert withheld & {"schools", "by_region"}, (band, withheld)
