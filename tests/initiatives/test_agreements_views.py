"""Agreement pages: who sees and changes what, forms refuse bad input, fixed query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import Agreement, AgreementConsent, AgreementParty, AgreementVersion
from tests.factories import SchoolFactory, leader_of, school_in
from tests.initiatives.agreement_helpers import compare, make_agreement, party, post_version
from tests.initiatives.initiative_factories import add_outside_partner
from tests.learners.factories import begeleider_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(region, alice, school):
    agreement = make_agreement(region, alice, title="Klas TOS", text="Eerste tekst.")
    party(agreement, school=school)
    return agreement


def detail(agreement):
    return reverse("initiatives:agreement_detail", args=[agreement.pk])


# --- access -------------------------------------------------------------------------


def test_school_leader_sees_only_agreements_of_his_school(client, region, alice, agreement):
    other_school = school_in(region)
    elsewhere = make_agreement(region, alice, title="Zonder de school")
    party(elsewhere, school=other_school)
    baken_leader = agreement.parties.get().school
    client.force_login(leader_of(baken_leader))
    page = client.get(reverse("initiatives:agreement_list")).content.decode()
    assert "Klas TOS" in page and "Zonder de school" not in page
    assert client.get(detail(agreement)).status_code == 200
    assert client.get(detail(elsewhere)).status_code == 404
    compare = reverse("initiatives:agreement_compare", args=[elsewhere.pk])
    assert client.get(compare).status_code == 404
    # Read-only: no edit controls, and a POST is refused.
    assert b"Afspraak bewerken" not in client.get(detail(agreement)).content
    edit = reverse("initiatives:agreement_edit", args=[agreement.pk])
    assert client.post(edit, {"title": "x"}).status_code == 403


def test_leader_of_another_school_gets_404(client, region, agreement):
    client.force_login(leader_of(school_in(region)))
    assert client.get(detail(agreement)).status_code == 404
    assert client.get(reverse("initiatives:agreement_list")).status_code == 200
    assert b"Klas TOS" not in client.get(reverse("initiatives:agreement_list")).content


def test_coordinator_of_another_region_gets_404(client, charlie, agreement):
    client.force_login(charlie)
    assert client.get(detail(agreement)).status_code == 404


@pytest.mark.parametrize("who", ["manager", "begeleider"])
def test_readers_read_without_edit_controls_and_get_403_on_post(
    client, region, bob, agreement, who
):
    user = bob if who == "manager" else begeleider_of(region)
    client.force_login(user)
    page = client.get(detail(agreement)).content.decode()
    assert "Eerste tekst." in page
    main = page.split("<main")[1].split("</main>")[0]
    for control in ("Afspraak bewerken", "Nieuwe versie vastleggen", "Partij toevoegen", "<form"):
        assert control not in main, control
    urls = [
        reverse("initiatives:agreement_edit", args=[agreement.pk]),
        reverse("initiatives:agreement_version_create", args=[agreement.pk]),
        reverse("initiatives:agreement_party_add", args=[agreement.pk]),
        reverse("initiatives:agreement_consent", args=[agreement.pk, agreement.versions.get().pk]),
        reverse("initiatives:agreement_create", args=[region.pk]),
    ]
    for url in urls:
        assert client.post(url, {"text": "x", "title": "x"}).status_code == 403, url
    assert agreement.versions.count() == 1


# --- create, edit, versions -----------------------------------------------------------


def _agreement_data(**overrides):
    data = {
        "title": "Huisvesting",
        "subject": "huisvesting",
        "status": "concept",
        "scope_kind": "schooljaar",
        "school_year": "2026-2027",
        "text": "De gemeente stelt twee lokalen beschikbaar.",
        "conditions": "",
    }
    return {**data, **overrides}


def test_coordinator_creates_an_agreement_with_version_one(client, region, alice):
    client.force_login(alice)
    url = reverse("initiatives:agreement_create", args=[region.pk])
    response = client.post(url, _agreement_data())
    agreement = Agreement.objects.get(title="Huisvesting")
    assert response.status_code == 302
    version = agreement.versions.get()
    assert (version.number, version.recorded_by) == (1, alice)


def test_create_refuses_end_before_start_and_empty_text(client, region, alice):
    client.force_login(alice)
    url = reverse("initiatives:agreement_create", args=[region.pk])
    response = client.post(url, _agreement_data(start="2026-08-01", end="2026-07-01", text=" "))
    assert response.status_code == 400
    page = response.content.decode()
    assert "De einddatum moet na de begindatum liggen." in page
    assert "Een versie zonder tekst kan niet worden vastgelegd." in page
    assert not Agreement.objects.exists()


def test_new_version_through_the_form_keeps_the_old_one(client, alice, agreement):
    baken = agreement.parties.get()
    data = {
        "text": "Tweede tekst.",
        "conditions": "",
        "based_on": 1,
        "agreed_by": [baken.pk],
        "agreed_on": timezone.localdate().isoformat(),
    }
    response = post_version(client, alice, agreement, data)
    assert response.status_code == 302
    v1, v2 = agreement.versions.all()
    assert (v1.text, v2.text) == ("Eerste tekst.", "Tweede tekst.")
    assert list(v2.agreed_by.all()) == [baken] and not v1.agreed_by.exists()
    page = client.get(detail(agreement)).content.decode()
    assert "Huidige tekst (versie 2)" in page and "Eerste tekst." in page


def test_stale_version_form_gets_409_and_keeps_what_was_typed(client, alice, agreement):
    services.add_version(
        agreement=agreement, based_on=1, text="Van een collega.", conditions="", user=alice
    )
    response = post_version(
        client, alice, agreement, {"text": "Mijn tekst.", "conditions": "", "based_on": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mijn tekst." in page and "Van een collega." in page
    assert agreement.versions.count() == 2


def test_empty_version_text_is_refused_in_the_form(client, alice, agreement):
    response = post_version(
        client, alice, agreement, {"text": "", "conditions": "Iets", "based_on": 1}
    )
    assert response.status_code == 400
    assert "Een versie zonder tekst kan niet worden vastgelegd." in response.content.decode()
    assert agreement.versions.count() == 1


def test_stale_edit_gets_409_and_saves_nothing(client, alice, agreement):
    client.force_login(alice)
    url = reverse("initiatives:agreement_edit", args=[agreement.pk])
    data = {
        "title": "Klas TOS",
        "subject": "tlv-vergoeding",
        "status": "betwist",
        "scope_kind": "schooljaar",
        "version": agreement.version,
    }
    assert client.post(url, {**data, "status": "afgesproken"}).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 409
    assert Agreement.objects.get(pk=agreement.pk).status == "afgesproken"


def test_party_outside_the_region_is_refused(client, alice, agreement, other_region):
    client.force_login(alice)
    url = reverse("initiatives:agreement_party_add", args=[agreement.pk])
    add_outside_partner(client, url, other_region, role="x")
    assert agreement.parties.count() == 1
    swv = agreement.region.swvs.first()
    assert client.post(url, {"party": f"swv:{swv.pk}"}).status_code == 302
    assert client.post(url, {"other_name": "Ministerie van OCW"}).status_code == 302
    assert agreement.parties.count() == 3


def test_party_that_agreed_cannot_be_removed(client, alice, agreement):
    baken = agreement.parties.get()
    services.record_consent(
        version=agreement.versions.get(), parties=[baken], agreed_on=timezone.localdate()
    )
    client.force_login(alice)
    url = reverse("initiatives:agreement_party_delete", args=[agreement.pk, baken.pk])
    response = client.post(url, follow=True)
    assert "ingestemd met versie 1" in response.content.decode()
    assert AgreementParty.objects.filter(pk=baken.pk).exists()


# --- compare -------------------------------------------------------------------------


def test_compare_shows_two_versions_with_the_changes_marked(client, alice, agreement):
    services.add_version(
        agreement=agreement, based_on=1, text="Tweede tekst.", conditions="", user=alice
    )
    page = compare(client, alice, agreement, "?van=1&naar=2").content.decode()
    assert '<del><span class="visually-hidden">weggehaald: </span>Eerste</del>' in page
    assert '<ins><span class="visually-hidden">toegevoegd: </span>Tweede</ins>' in page
    assert "Versie 1" in page and "Versie 2" in page


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?van=1&naar=9", 404, "Deze afspraak heeft geen versie 9."),
        ("?van=een&naar=2", 400, "Kies twee versies om te vergelijken"),
        ("?van=1", 400, "Kies twee versies om te vergelijken"),
        ("?van=-1&naar=1", 400, "Kies twee versies om te vergelijken"),
        ("?van=99999999999999999999&naar=1", 404, "geen versie"),
    ],
)
def test_compare_with_bad_numbers_says_so_in_dutch(
    client, alice, agreement, query, status, message
):
    response = compare(client, alice, agreement, query)
    assert response.status_code == status
    assert message in response.content.decode()


# --- list ------------------------------------------------------------------------------


def test_list_filters_on_needs_attention(client, region, alice, agreement):
    make_agreement(region, alice, title="Betwiste afspraak", status=Agreement.Status.DISPUTED)
    client.force_login(alice)
    url = reverse("initiatives:agreement_list")
    page = client.get(url + "?aandacht=on").content.decode()
    assert "Betwiste afspraak" in page and "Klas TOS" not in page
    assert "Vraagt aandacht" in page
    page = client.get(url + "?status=concept&onderwerp=tlv-vergoeding").content.decode()
    assert "Klas TOS" in page and "Betwiste afspraak" not in page


def test_attention_fragment_lists_the_regions_agreements(client, region, bob, alice):
    make_agreement(region, alice, title="Betwiste afspraak", status=Agreement.Status.DISPUTED)
    client.force_login(bob)
    page = client.get(reverse("initiatives:region_attention", args=[region.pk]))
    assert "Betwiste afspraak" in page.content.decode()


# --- query counts ---------------------------------------------------------------------


def _many_agreements(region, user, n):
    schools = [SchoolFactory(swv=region.swvs.first()) for _ in range(3)]
    agreements = Agreement.objects.bulk_create(
        Agreement(region=region, title=f"Afspraak {i}", subject="pilot") for i in range(n)
    )
    AgreementVersion.objects.bulk_create(
        AgreementVersion(agreement=a, number=1, text="t", recorded_by=user) for a in agreements
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, school=schools[i % 3]) for i, a in enumerate(agreements)
    )


def _many_versions(agreement, user, n):
    parties = AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, other_name=f"Partij {i}") for i in range(n)
    )
    versions = AgreementVersion.objects.bulk_create(
        AgreementVersion(agreement=agreement, number=i + 2, text=f"t{i}", recorded_by=user)
        for i in range(n)
    )
    AgreementConsent.objects.bulk_create(
        AgreementConsent(version=v, party=p) for v, p in zip(versions, parties, strict=True)
    )


@pytest.mark.parametrize("n", [10, 300])
def test_list_query_count_does_not_grow(client, region, alice, n, django_assert_max_num_queries):
    _many_agreements(region, alice, n)
    client.force_login(alice)
    url = reverse("initiatives:agreement_list")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [10, 300])
def test_detail_query_count_does_not_grow(
    client, alice, agreement, n, django_assert_max_num_queries
):
    _many_versions(agreement, alice, n)
    client.force_login(alice)
    client.get(detail(agreement))
    with django_assert_max_num_queries(12):
        response = client.get(detail(agreement))
    assert response.status_code == 200
    assert f"Huidige tekst (versie {n + 1})" in response.content.decode()


def test_consent_for_a_version_of_another_agreement_is_404(client, region, alice, agreement):
    other = make_agreement(region, alice, title="Andere")
    client.force_login(alice)
    url = reverse("initiatives:agreement_consent", args=[agreement.pk, other.versions.get().pk])
    assert client.get(url).status_code == 404
