"""The header search: only what the user may see, names only where the user sees names."""

import pytest
from django.urls import reverse

from learners.models import AccessLog
from plans.search import LIMIT
from tests.factories import RegionFactory, school_in, user_with_role
from tests.learners.factories import PupilFactory, assign, begeleider_of
from tests.toolkit.factories import RegionActionFactory

pytestmark = pytest.mark.django_db

URL = reverse("plans:search")
HTMX = {"HX-Request": "true"}


def search(client, user, q, **kwargs):
    client.force_login(user)
    response = client.get(URL, {"q": q}, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pupil(region, school):
    return PupilFactory(region=region, current_school=school, first_name="Fenna", last_name="Zwart")


@pytest.fixture
def elsewhere(other_region):
    return PupilFactory(
        region=other_region,
        current_school=school_in(other_region, name="Verre School"),
        first_name="Fenna",
        last_name="Zwaan",
    )


def test_the_coordinator_finds_a_pupil_by_code_and_by_name(client, alice, pupil, elsewhere):
    by_code = search(client, alice, pupil.code.lower())
    assert pupil.code in by_code and "Fenna Zwart" in by_code
    by_name = search(client, alice, "fenna zw")
    assert pupil.code in by_name
    # The other region's pupil with the same name is never found.
    assert elsewhere.code not in by_name and "Zwaan" not in by_name
    assert elsewhere.get_absolute_url() not in search(client, alice, elsewhere.code)


def test_the_assigned_begeleider_finds_his_pupil_by_name_not_others(client, region, pupil):
    begeleider = begeleider_of(region)
    other = PupilFactory(region=region, current_school=pupil.current_school, first_name="Fenna")
    assign(pupil, begeleider)
    page = search(client, begeleider, "Fenna")
    assert pupil.code in page and other.code not in page


def test_the_school_leader_finds_by_code_never_by_name(client, leader, pupil):
    assert pupil.code not in search(client, leader, "Fenna")
    page = search(client, leader, pupil.code)
    assert pupil.code in page and "Fenna" not in page and "Zwart" not in page


@pytest.mark.parametrize("who", ["manager", "beheerder"])
def test_managers_and_the_beheerder_find_no_pupils(client, bob, pupil, who):
    user = bob if who == "manager" else user_with_role("beheerder")
    assert pupil.get_absolute_url() not in search(client, user, pupil.code)
    assert pupil.get_absolute_url() not in search(client, user, "Fenna")


def test_schools_and_swvs_are_found_inside_the_scope_only(client, alice, region, other_region):
    mine = school_in(region, name="Mijn Zoekschool", place="Appelscha")
    theirs = school_in(other_region, name="Andere Zoekschool", place="Appelscha")
    page = search(client, alice, "Zoekschool")
    assert mine.name in page and theirs.name not in page
    assert mine.name in search(client, alice, "appelscha")
    assert mine.name in search(client, alice, mine.brin)
    assert theirs.get_absolute_url() not in search(client, alice, theirs.brin)
    swv, other_swv = region.swvs.first(), other_region.swvs.first()
    page = search(client, alice, "Samenwerkingsverband")
    assert swv.name in page and other_swv.name not in page
    assert swv.get_absolute_url() in search(client, alice, swv.code)
    assert other_swv.get_absolute_url() not in search(client, alice, other_swv.code)


def test_the_school_leader_finds_only_his_school(client, leader, school, region):
    neighbour = school_in(region, name=school.name + " Noord")
    page = search(client, leader, school.name)
    assert school.get_absolute_url() in page and neighbour.get_absolute_url() not in page


def test_toolkit_items_and_actions_of_the_own_region(client, alice, region, other_region):
    mine = RegionActionFactory(region=region, title="Ouderavond plannen")
    theirs = RegionActionFactory(region=other_region, title="Ouderavond elders")
    page = search(client, alice, "ouderavond")
    assert mine.title in page and theirs.title not in page
    assert f"#actie-{mine.pk}" in page
    # A goal matches too.
    RegionActionFactory(region=region, title="Iets anders", goal="met de ouderraad")
    assert "Iets anders" in search(client, alice, "ouderraad")
    page = search(client, alice, "ouders")
    assert "Betrek ouders" in page and "#item-betrek-ouders-als-volwaardige-partners" in page


def test_a_school_leader_has_no_toolkit_results(client, leader, region):
    RegionActionFactory(region=region, title="Ouderavond plannen")
    page = search(client, leader, "ouder")
    assert "Ouderavond" not in page and "Betrek ouders" not in page


def test_htmx_gets_the_results_partial_with_the_count_for_the_status_region(client, alice, pupil):
    page = search(client, alice, pupil.code, headers=HTMX)
    assert "<html" not in page and "<h1" not in page
    assert 'id="search-count" hx-swap-oob="innerHTML"' in page and "1 resultaat" in page
    assert pupil.get_absolute_url() in page


def test_without_javascript_the_results_page_is_a_whole_page(client, alice, pupil):
    page = search(client, alice, pupil.code)
    assert "<h1>Zoeken</h1>" in page and 'role="status">1 resultaat' in page
    assert pupil.get_absolute_url() in page
    assert "hx-swap-oob" not in page


def test_the_header_has_a_labelled_search_box_that_answers_as_you_type(client, alice):
    client.force_login(alice)
    page = client.get(reverse("plans:home")).content.decode()
    assert '<label for="header-q">' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert f'action="{URL}"' in page and 'hx-target="#search-results"' in page


def test_a_too_short_query_searches_nothing(client, alice, pupil):
    page = search(client, alice, "F")
    assert "Typ minstens twee tekens" in page and pupil.code not in page


def test_many_results_are_cut_with_a_link_to_the_list(client, alice, region):
    for n in range(LIMIT + 2):
        school_in(region, name=f"Vele School {n}")
    page = search(client, alice, "Vele School")
    assert page.count("Vele School") == LIMIT + 1  # ten hits and the query in the box
    assert reverse("regions:school_list") + "?q=Vele+School" in page


def test_names_shown_in_results_are_in_the_access_log(client, alice, leader, pupil, region):
    search(client, alice, "Fenna", headers=HTMX)
    assert list(AccessLog.objects.values_list("user", "action", "pupil", "region", "detail")) == [
        (alice.pk, "list", pupil.pk, region.pk, "zoeken")
    ]
    # A school leader sees the code only: no name shown, nothing to log.
    search(client, leader, pupil.code)
    assert not AccessLog.objects.filter(user=leader).exists()


def test_bad_input_is_no_error(client, alice):
    assert "Niets gevonden" in search(client, alice, "%_\\'\"<script>")
    assert "&lt;script&gt;" in search(client, alice, "<script>")


def test_the_query_count_does_not_grow(client, alice, region, django_assert_max_num_queries):
    def fill(n):
        for i in range(n):
            school = school_in(region, name=f"Teller School {i}")
            PupilFactory(region=region, current_school=school, last_name=f"Teller{i}")
            RegionActionFactory(region=region, title=f"Teller actie {i}")

    client.force_login(alice)
    fill(2)
    with django_assert_max_num_queries(15) as small:
        client.get(URL, {"q": "Teller"})
    fill(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, {"q": "Teller"})


def test_initiatives_and_agreements_inside_the_scope_only(client, alice, leader, region, school):
    from tests.initiatives.agreement_helpers import make_agreement, party
    from tests.initiatives.initiative_factories import InitiativeFactory, partner_school

    mine = InitiativeFactory(region=region, name="Taalklas Zoekstad")
    InitiativeFactory(region=RegionFactory(), name="Taalklas Elders")
    agreement = make_agreement(region, alice, title="Taalklas vervoer")
    page = search(client, alice, "taalklas")
    assert mine.get_absolute_url() in page and "Taalklas Elders" not in page
    assert agreement.get_absolute_url() in page
    # A school leader finds only what his school is a party to.
    assert "Taalklas" not in search(client, leader, "taalklas")
    partner_school(mine, school)
    party(agreement, school=school)
    page = search(client, leader, "taalklas")
    assert mine.get_absolute_url() in page and agreement.get_absolute_url() in page
