"""Initiatives: access, status history, validation, pupils counted from records (and for
whom), the viability outlook from pupil records, and "modelled on" a practice example."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives import services
from initiatives.models import Initiative, InitiativePartner, StatusChange
from initiatives.selectors import initiatives_for, pupil_figures
from tests.factories import coordinator_of, leader_of, school_in
from tests.initiatives.initiative_factories import (
    InitiativeFactory,
    add_outside_partner,
    partner_school,
)
from tests.learners.factories import (
    ArrangementFactory,
    CvoBesluitFactory,
    PlacementFactory,
    PupilFactory,
    begeleider_of,
)
from toolkit.models import CooperationType, PracticeExample, RegionAction, WerkagendaLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(region, school):
    initiative = InitiativeFactory(region=region, name="Samen in de klas")
    partner_school(initiative, school)
    return initiative


# --- access --------------------------------------------------------------------------


def test_school_leader_sees_only_initiatives_his_school_is_a_partner_of(
    client, region, school, initiative
):
    elsewhere = InitiativeFactory(region=region, name="Zonder Het Baken")
    partner_school(elsewhere, school_in(region))
    client.force_login(leader_of(school))
    page = client.get(reverse("initiatives:initiative_list")).content.decode()
    assert "Samen in de klas" in page
    assert "Zonder Het Baken" not in page
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get(initiative.get_absolute_url()).status_code == 200
    # read-only: no edit controls, and a write is refused
    assert reverse("initiatives:initiative_edit", args=[initiative.pk]) not in page
    edit = reverse("initiatives:initiative_edit", args=[initiative.pk])
    assert client.post(edit, {"name": "x"}).status_code == 403


def test_school_leader_of_another_school_gets_404(client, region, initiative):
    client.force_login(leader_of(school_in(region)))
    assert client.get(initiative.get_absolute_url()).status_code == 404
    assert initiatives_for(leader_of(school_in(region))).count() == 0


def test_other_region_404_readers_403(client, initiative, charlie, bob, region):
    client.force_login(charlie)
    assert client.get(initiative.get_absolute_url()).status_code == 404
    client.force_login(bob)
    page = client.get(initiative.get_absolute_url())
    assert page.status_code == 200
    assert b"Status wijzigen" not in page.content and b"Partner toevoegen" not in page.content
    status_url = reverse("initiatives:status_move", args=[initiative.pk])
    assert client.post(status_url, {"to_status": "actief", "reason": "x"}).status_code == 403
    client.force_login(begeleider_of(region))
    assert client.get(initiative.get_absolute_url()).status_code == 200
    assert client.post(status_url, {"to_status": "actief", "reason": "x"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == "idee"


# --- status history ---------------------------------------------------------------------


def test_moving_the_status_records_who_why_and_when(client, alice, initiative):
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    response = client.post(url, {"to_status": "verkenning", "reason": "Eerste gesprek gevoerd"})
    assert response.status_code == 302
    client.post(url, {"to_status": "voorbereiding", "reason": "Bestuur stemt in"})
    initiative.refresh_from_db()
    assert initiative.status == "voorbereiding"
    changes = list(initiative.status_changes.order_by("changed_at", "pk"))
    assert [(c.from_status, c.to_status, c.reason, c.changed_by) for c in changes] == [
        ("idee", "verkenning", "Eerste gesprek gevoerd", alice),
        ("verkenning", "voorbereiding", "Bestuur stemt in", alice),
    ]
    assert all(c.changed_at for c in changes)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Bestuur stemt in" in page


def test_a_move_needs_a_reason_and_another_status(client, alice, initiative):
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    response = client.post(url, {"to_status": "actief", "reason": "  "})
    assert response.status_code == 400
    assert "Geef een reden voor de nieuwe status." in response.content.decode()
    response = client.post(url, {"to_status": "idee", "reason": "nog eens"})
    assert "Het initiatief heeft deze status al" in response.content.decode()
    with pytest.raises(ValidationError):
        services.move_status(initiative=initiative, to_status="idee", reason="x", user=alice)
    assert StatusChange.objects.count() == 0
    initiative.refresh_from_db()
    assert initiative.status == "idee"


def test_a_move_is_atomic(alice, initiative, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Initiative, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.move_status(initiative=initiative, to_status="actief", reason="x", user=alice)
    assert StatusChange.objects.count() == 0  # the history row went with the failed save


def test_htmx_move_answers_the_section(client, alice, initiative):
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    response = client.post(
        url, {"to_status": "actief", "reason": "Gestart"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="status"' in html and "<h1" not in html
    assert "Status gewijzigd in: actief." in html  # for the page's status region


# --- validation -------------------------------------------------------------------------


def _form_data(region, **changes):
    data = {
        "name": "Nieuw initiatief",
        "type": CooperationType.objects.get(slug="symbiose").pk,
        "construction": "symbioseovereenkomst",
        "start_date": "2027-08-01",
        "evaluation_date": "2028-06-01",
        "pupils_typed": "7",
        "viability_minimum": "5",
    }
    return data | changes


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"evaluation_date": "2027-01-01"}, "De evaluatiedatum ligt vóór de startdatum."),
        ({"viability_minimum": "-1"}, "Het minimum aantal leerlingen kan niet onder nul liggen."),
        ({"pupils_typed": "-3"}, "Een aantal leerlingen kan niet onder nul liggen."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(client, alice, region, changes, message):
    client.force_login(alice)
    url = reverse("initiatives:initiative_create", args=[region.pk])
    response = client.post(url, _form_data(region, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Initiative.objects.count() == 0


def test_an_action_of_another_region_is_refused(client, alice, region, other_region):
    line = WerkagendaLine.objects.get(number=1)
    theirs = RegionAction.objects.create(region=other_region, line=line, title="Elders")
    ours = RegionAction.objects.create(region=region, line=line, title="Hier")
    client.force_login(alice)
    url = reverse("initiatives:initiative_create", args=[region.pk])
    response = client.post(url, _form_data(region, actions=[theirs.pk]))
    assert response.status_code == 400
    assert "Deze actie hoort niet bij de werkagenda van deze regio." in response.content.decode()
    assert Initiative.objects.count() == 0
    response = client.post(url, _form_data(region, actions=[ours.pk], lines=[line.pk]))
    initiative = Initiative.objects.get()
    assert list(initiative.actions.all()) == [ours]
    assert list(ours.initiatives.all()) == [initiative]  # both ways
    page = client.get(reverse("toolkit:action_edit", args=[region.pk, ours.pk])).content.decode()
    assert initiative.get_absolute_url() in page
    werkagenda = reverse("toolkit:werkagenda", args=[region.pk])
    page = client.get(werkagenda, {"lijn": line.number}).content.decode()  # the line opened
    assert initiative.get_absolute_url() in page


def test_a_municipality_outside_the_region_is_refused(alice, region, other_region):
    initiative = InitiativeFactory.build(region=region, municipality=other_region.gemeenten.first())
    with pytest.raises(ValidationError) as error:
        initiative.full_clean()
    assert error.value.message_dict["municipality"] == ["Deze gemeente hoort niet bij de regio."]


def test_a_partner_outside_the_region_is_refused(client, alice, initiative, other_region):
    client.force_login(alice)
    url = reverse("initiatives:partner_add", args=[initiative.pk])
    add_outside_partner(client, url, other_region, role="partnerschool")
    assert initiative.partners.count() == 1


def test_partners_with_their_role_and_a_typed_care_partner(client, alice, initiative, region):
    client.force_login(alice)
    url = reverse("initiatives:partner_add", args=[initiative.pk])
    gemeente = region.gemeenten.first()
    client.post(url, {"party": f"gemeente:{gemeente.pk}", "role": "gemeente"})
    client.post(url, {"other_name": "Zorgboog Jeugd", "role": "zorgpartner"})
    response = client.post(url, {"party": f"gemeente:{gemeente.pk}", "role": "gemeente"})
    assert "Deze partij staat al bij het initiatief." in response.content.decode()
    response = client.post(url, {"other_name": "Iemand", "role": "partnerschool"})
    assert "Een partnerschool is een school uit de regio" in response.content.decode()
    assert sorted((p.name, p.role) for p in initiative.partners.all()) == sorted(
        [
            (initiative.partners.get(role="partnerschool").name, "partnerschool"),
            (gemeente.name, "gemeente"),
            ("Zorgboog Jeugd", "zorgpartner"),
        ]
    )
    care = initiative.partners.get(role="zorgpartner")
    remove = reverse("initiatives:partner_remove", args=[initiative.pk, care.pk])
    assert client.post(remove).status_code == 302
    assert not InitiativePartner.objects.filter(pk=care.pk).exists()


# --- pupils counted from records, and who sees that count ------------------------------


TODAY = date(2026, 11, 27)


@pytest.fixture
def pupils(region, other_region, school, initiative):
    """Five pupils now at the partner school, two on their way, and some who do not count."""
    elsewhere = school_in(region)

    def at_school(**kwargs):
        return PupilFactory(region=region, current_school=school, **kwargs)

    at_school()  # stays
    at_school(transition="po-vo", transition_date=date(2027, 7, 1))  # leaves this summer
    CvoBesluitFactory(pupil=at_school(), start=date(2025, 8, 1), end=date(2027, 12, 31))
    ArrangementFactory(pupil=at_school(), start=date(2025, 8, 1), end=date(2028, 7, 31))
    PlacementFactory(pupil=at_school(), to_school=elsewhere, expected_start=date(2027, 2, 1))
    coming = PupilFactory(region=region, current_school=elsewhere)
    PlacementFactory(pupil=coming, to_school=school, expected_start=date(2027, 1, 10))
    PlacementFactory(pupil=PupilFactory(region=region), to_school=school)  # start unknown
    at_school(is_active=False)  # left cluster 2: not counted
    PlacementFactory(pupil=PupilFactory(region=region), to_school=school, cancelled=True)
    PupilFactory(region=other_region, current_school=school)  # not this coordinator's


def test_counted_pupils_and_outlook_for_the_coordinator(alice, initiative, pupils):
    initiative.pupils_typed, initiative.viability_minimum = 11, 6
    figures = pupil_figures(alice, initiative, today=TODAY)
    assert (figures.typed, figures.now, figures.incoming, figures.counted) == (11, 5, 2, 7)
    assert figures.uses_records and figures.number == 7 and not figures.below_minimum
    assert [(y.start, y.expected, y.below_minimum) for y in figures.outlook] == [
        (date(2027, 8, 1), 5, True),
        (date(2028, 8, 1), 3, True),
    ]


def test_the_coordinator_page_shows_both_numbers_and_says_which(client, alice, initiative, pupils):
    client.force_login(alice)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "7 (5 nu op de partnerscholen, 2 onderweg met een plaatsing)" in page
    assert "rekent met het aantal uit de leerlingregistratie" in page
    assert "Verwachting bij de start van de volgende schooljaren" in page


@pytest.mark.parametrize("who", ["manager", "begeleider", "leader", "other_coordinator"])
def test_others_see_the_typed_number_only(client, region, school, initiative, pupils, bob, who):
    """A count over the partner schools would tell a reader how many pupils there are
    that he cannot see (the school leader: those of the other partner schools)."""
    partner_school(initiative, school_in(region))
    user = {
        "manager": bob,
        "begeleider": begeleider_of(region),
        "leader": leader_of(school),
        "other_coordinator": coordinator_of(region.__class__.objects.exclude(pk=region.pk)[0]),
    }[who]
    figures = pupil_figures(user, initiative, today=TODAY)
    assert (figures.may_count, figures.now, figures.outlook, figures.number) == (
        False,
        None,
        [],
        8,
    )
    client.force_login(user)
    response = client.get(initiative.get_absolute_url())
    if who == "other_coordinator":
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert "nu op de partnerscholen" not in page
    assert "Verwachting bij de start" not in page
    assert "Het aantal uit de leerlingregistratie ziet alleen de coördinator" in page


def test_the_typed_number_below_the_minimum_warns(client, bob, initiative):
    initiative.pupils_typed, initiative.viability_minimum = 3, 6
    initiative.save()
    client.force_login(bob)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Onder het minimum: 3 leerlingen (ingevuld aantal), nodig zijn er 6." in page
    listing = client.get(reverse("initiatives:initiative_list")).content.decode()
    assert "onder minimum" in listing


# --- modelled on a practice example --------------------------------------------------


def test_create_from_a_practice_example_prefills_and_links_back(client, alice, region):
    example = PracticeExample.objects.get(slug="viertaal-college-den-haag")
    client.force_login(alice)
    url = reverse("initiatives:initiative_create", args=[region.pk])
    response = client.get(f"{url}?voorbeeld={example.slug}")
    form = response.context["form"]
    assert form.initial["type"] == CooperationType.objects.get(slug="versnelde-doorstroom").pk
    assert form.initial["modelled_on"] == example.pk
    assert client.get(f"{url}?voorbeeld=bestaat-niet").status_code == 404
    data = _form_data(region, type=form.initial["type"], modelled_on=example.pk)
    response = client.post(f"{url}?voorbeeld={example.slug}", data)
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert (initiative.modelled_on, initiative.region) == (example, region)
    assert initiative.status == "idee"
    first = initiative.status_changes.get()
    assert (first.from_status, first.to_status, first.changed_by) == ("", "idee", alice)
    assert example.name in client.get(initiative.get_absolute_url()).content.decode()


def test_an_edit_loaded_before_a_status_move_is_refused(client, alice, initiative, region):
    """Optimistic locking (regions/versioning.py): the move bumped the version."""
    client.force_login(alice)
    edit = reverse("initiatives:initiative_edit", args=[initiative.pk])
    loaded = client.get(edit).context["form"]["version"].value()
    services.move_status(initiative=initiative, to_status="actief", reason="Gestart", user=alice)
    data = _form_data(region, name="Andere naam", version=loaded)
    response = client.post(edit, data)
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.name == "Samen in de klas"
    data["version"] = initiative.version
    assert client.post(edit, data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.name, initiative.status) == ("Andere naam", "actief")
