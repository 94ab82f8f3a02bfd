"""htmx answers on the initiative and transition-plan pages: the page's status region is
always replaced (no old success message beside a new error) and the parts of the page a
save changes come along out of band."""

import re

import pytest
from django.urls import reverse

from initiatives.models import StaffDestination
from initiatives.services import create_transition_plan
from tests.initiatives.initiative_factories import InitiativeFactory, partner_school
from tests.initiatives.test_transition import closing_location
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOT_SAVED = "Niet opgeslagen: zie de meldingen bij het formulier."


def live_status(html):
    """The text of the out-of-band status region in an htmx answer (None: not sent)."""
    match = re.search(r'<div id="live-status" hx-swap-oob="innerHTML">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else None


def oob(html, element_id):
    """The out-of-band element with this id, or None."""
    match = re.search(rf'<(\w+)[^>]*\sid="{element_id}"[^>]*hx-swap-oob="true".*?</\1>', html, re.S)
    return match.group(0) if match else None


@pytest.fixture
def initiative(region, school):
    initiative = InitiativeFactory(region=region, name="Samen in de klas")
    partner_school(initiative, school)
    return initiative


def test_a_failed_status_move_replaces_the_success_message(client, alice, initiative):
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    saved = client.post(url, {"to_status": "actief", "reason": "Gestart"}, headers=HTMX)
    assert live_status(saved.content.decode()) == "Status gewijzigd in: actief."
    failed = client.post(url, {"to_status": "gestopt", "reason": " "}, headers=HTMX)
    html = failed.content.decode()
    assert "Geef een reden voor de nieuwe status." in html
    assert live_status(html) == NOT_SAVED


def test_a_duplicate_partner_says_not_saved(client, alice, initiative, school):
    client.force_login(alice)
    url = reverse("initiatives:partner_add", args=[initiative.pk])
    response = client.post(
        url, {"party": f"school:{school.pk}", "role": "partnerschool"}, headers=HTMX
    )
    assert live_status(response.content.decode()) == NOT_SAVED


def test_a_failed_plan_row_says_not_saved_and_an_opened_form_clears(client, alice, region):
    plan = create_transition_plan(location=closing_location(region))
    client.force_login(alice)
    url = reverse("initiatives:transition_row_create", args=[plan.pk, "personeel"])
    opened = client.get(url, headers=HTMX)
    assert live_status(opened.content.decode()) == ""
    failed = client.post(
        url, {"personeel-destination": "AD", "personeel-count": "-1"}, headers=HTMX
    )
    assert live_status(failed.content.decode()) == NOT_SAVED
    assert not StaffDestination.objects.filter(plan=plan).exists()


def test_a_status_move_updates_the_header_badge_and_the_history(client, alice, initiative):
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    html = client.post(url, {"to_status": "actief", "reason": "Gestart"}, headers=HTMX)
    html = html.content.decode()
    badge = oob(html, "header-status")
    assert badge and "actief" in badge and "idee" not in badge
    assert oob(html, "history") is not None
    assert "data-focus" not in (badge + oob(html, "history"))  # focus stays in the section


def test_adding_a_partner_school_updates_the_pupil_section(client, alice, region, school):
    initiative = InitiativeFactory(region=region, name="Zonder partner")
    PupilFactory(region=region, current_school=school)
    client.force_login(alice)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "heeft nog geen partnerschool" in page
    url = reverse("initiatives:partner_add", args=[initiative.pk])
    response = client.post(
        url, {"party": f"school:{school.pk}", "role": "partnerschool"}, headers=HTMX
    )
    section = oob(response.content.decode(), "leerlingen")
    assert section is not None
    assert "heeft nog geen partnerschool" not in section
    assert "rekent met het aantal uit de leerlingregistratie" in section


def test_removing_a_partner_updates_the_pupil_section(client, alice, initiative, school):
    PupilFactory(region=initiative.region, current_school=school)
    partner = initiative.partners.get()
    client.force_login(alice)
    url = reverse("initiatives:partner_remove", args=[initiative.pk, partner.pk])
    html = client.post(url, headers=HTMX).content.decode()
    assert "heeft nog geen partnerschool" in oob(html, "leerlingen")
    assert live_status(html).startswith("Partner verwijderd")


def test_the_status_form_makes_no_choice_and_leaves_the_current_status_out(
    client, alice, initiative
):
    from initiatives.forms import StatusForm

    field = StatusForm(initiative=initiative)["to_status"]
    values = [value for value, _label in field.field.choices]
    assert values[0] == "" and "idee" not in values
    assert 'value="" selected' in str(field)
    client.force_login(alice)
    url = reverse("initiatives:status_move", args=[initiative.pk])
    response = client.post(url, {"to_status": "", "reason": "x"})
    assert "Kies de nieuwe status." in response.content.decode()


def test_the_actions_in_the_initiative_form_go_by_line_then_title(region):
    from initiatives.forms import InitiativeForm
    from toolkit.models import RegionAction, WerkagendaLine

    one, two = WerkagendaLine.objects.order_by("number")[:2]
    RegionAction.objects.create(region=region, line=two, title="A op lijn twee")
    RegionAction.objects.create(region=region, line=one, title="Z op lijn een")
    RegionAction.objects.create(region=region, line=one, title="B op lijn een")
    titles = [a.title for a in InitiativeForm(region=region).fields["actions"].queryset]
    assert titles == ["B op lijn een", "Z op lijn een", "A op lijn twee"]
