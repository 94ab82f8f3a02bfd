"""Numbers typed in a URL, a form or a file: "²" and "①" pass str.isdigit() but int()
refuses them. Every such place answers 400/404 or a Dutch message, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from checklists.models import Answer, Assignment
from checklists.services import building_changes
from initiatives.services import create_transition_plan
from learners.models import PlacementCase
from learners.resources import PUPIL_IMPORT
from regions.models import Location
from regions.numbers import plain_int
from tests.checklists.factories import assignment_for
from tests.factories import SchoolFactory
from tests.initiatives.agreement_helpers import make_agreement
from tests.learners.factories import LocationFactory, PupilFactory

pytestmark = pytest.mark.django_db

DIGITS = ["²", "①"]


@pytest.mark.parametrize("text", ["²", "①", "٣", "1²", "", " ", "-1", "1" * 19, "1" * 5000])
def test_only_plain_ascii_numbers_count(text):
    assert plain_int(text) is None


def test_a_plain_number_counts():
    assert plain_int(" 12 ") == 12 and plain_int(7) == 7


@pytest.mark.parametrize("digit", DIGITS)
def test_agreement_compare(client, region, alice, digit):
    agreement = make_agreement(region, alice)
    client.force_login(alice)
    url = reverse("initiatives:agreement_compare", args=[agreement.pk])
    assert client.get(url, {"van": digit, "naar": "1"}).status_code == 400


@pytest.mark.parametrize("digit", DIGITS)
def test_agreement_school_year(client, region, alice, digit):
    client.force_login(alice)
    response = client.post(
        reverse("initiatives:agreement_create", args=[region.pk]),
        {
            "title": "Huisvesting",
            "subject": "huisvesting",
            "status": "concept",
            "scope_kind": "schooljaar",
            "school_year": f"{digit * 4}-{digit * 4}",
            "text": "Tekst.",
        },
    )
    assert response.status_code == 400
    assert "Schrijf het schooljaar als twee opeenvolgende jaren" in response.content.decode()


@pytest.mark.parametrize("digit", DIGITS)
def test_expected_enrolment_school_year(client, region, alice, digit):
    location = LocationFactory(
        region=region, status=Location.Status.PHASING_OUT, closing_date=date(2030, 8, 1)
    )
    plan = create_transition_plan(location=location)
    client.force_login(alice)
    response = client.post(
        reverse("initiatives:transition_row_create", args=[plan.pk, "aanmeldingen"]),
        {"aanmeldingen-school_year": f"{digit * 4}-{digit * 4}", "aanmeldingen-count": "2"},
    )
    assert response.status_code == 400
    assert "Schrijf het schooljaar als twee opeenvolgende jaren" in response.content.decode()
    assert not plan.enrolments.exists()


@pytest.mark.parametrize("digit", DIGITS)
def test_werkagenda_new_action_marker(client, region, alice, digit):
    client.force_login(alice)
    url = reverse("toolkit:werkagenda", args=[region.pk])
    assert client.get(url, {"nieuw": digit}).status_code == 200


@pytest.mark.parametrize("digit", DIGITS)
def test_handover_from_a_placement(client, region, alice, digit):
    pupil = PupilFactory(region=region)
    client.force_login(alice)
    url = reverse("learners:record_create", args=[pupil.code, "overdracht"])
    assert client.get(url, {"plaatsing": digit}).status_code == 404
    assert not PlacementCase.objects.exists()


@pytest.mark.parametrize("digit", DIGITS)
def test_pupil_import_school_year(region, alice, digit):
    SchoolFactory(brin="77AA", swv=region.swvs.first(), gemeente=region.gemeenten.first())
    raw = (
        "code;voornaam;achternaam;geboortedatum;doelgroep;school;leerjaar\n"
        f";Fenna;Importkind;14-03-2012;TOS;77AA00;{digit}\n"
    ).encode()
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=raw, filename="l.csv", region=region, user=alice
    )
    assert preview.has_errors
    assert f"Leerjaar '{digit}' is geen getal." in str(preview.row_errors)


@pytest.mark.parametrize("digit", DIGITS)
def test_checklist_building_answer(region, school, digit):
    assignment = assignment_for(school, region, status=Assignment.Status.SUBMITTED)
    Answer.objects.create(assignment=assignment, question_key="akoestiek", value=digit)
    assert building_changes(assignment) == []
