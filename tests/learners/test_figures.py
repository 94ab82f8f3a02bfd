import pytest
from django.urls import reverse

from learners.models import Pupil
from learners.selectors import group_figures, suppress
from tests.factories import school_in
from tests.learners.factories import PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "hidden", "shown"),
    [(0, 0, 0), (1, "<5", 1), (4, "<5", 4), (5, 5, 5), (120, 120, 120)],
)
def test_suppress(count, hidden, shown):
    assert suppress(count, hide_small=True) == hidden
    assert suppress(count, hide_small=False) == shown


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
    # With the total (7) shown, TOS 6 would give D/SH away: it is hidden too.
    assert {r["label"]: r["count"] for r in hidden["by_target_group"]} == {"TOS": "x", "D/SH": "<5"}
    assert hidden["not_enrolled"] == "<5"
    assert not any(s["single"] for s in hidden["schools"])


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


def test_school_leader_figures_are_suppressed(client, leader, region, school):
    PupilFactory(region=region, current_school=school)
    client.force_login(leader)
    response = client.get(reverse("learners:figures"))
    assert response.status_code == 200
    assert "Leerlingen: &lt;5" in response.text


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


def test_a_single_hidden_cell_cannot_be_worked_out_from_the_total():
    from learners.selectors import HIDDEN, protect_against_differencing, suppress

    counts = [3, 20, 7, 10]
    rows = [{"count": suppress(n, hide_small=True)} for n in counts]
    protect_against_differencing(counts, rows)
    assert [r["count"] for r in rows] == ["<5", 20, HIDDEN, 10]


def test_two_hidden_cells_need_no_extra_hiding():
    from learners.selectors import protect_against_differencing, suppress

    counts = [3, 2, 7]
    rows = [{"count": suppress(n, hide_small=True)} for n in counts]
    protect_against_differencing(counts, rows)
    assert [r["count"] for r in rows] == ["<5", "<5", 7]


@pytest.mark.parametrize("param", ["locatie", "school", "regio"])
def test_garbled_filters_answer_404(client, alice, param):
    client.force_login(alice)
    assert client.get(reverse("learners:figures") + f"?{param}=abc").status_code == 404


def test_total_is_rounded_where_cells_are_hidden():
    from learners.selectors import approximate_total

    assert approximate_total(20, hide_small=True) == "ca. 20"
    assert approximate_total(22, hide_small=True) == "ca. 20"
    assert approximate_total(3, hide_small=True) == "<5"
    assert approximate_total(22, hide_small=False) == 22
