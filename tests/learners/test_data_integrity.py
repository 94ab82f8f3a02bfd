"""Data that stays right: enrolment ends the (v)so education, impossible values and
pupils without the basics are refused (forms and imports), step errors PRG."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learners import demo as learners_demo
from learners.models import Arrangement, CheckIn, CvoBesluit, Handover, Pupil
from learners.resources import PUPIL_IMPORT
from learners.selectors import group_figures
from learners.services import set_step
from regions import demo as regions_demo
from regions.models import Level
from tests.factories import school_in
from tests.learners.factories import (
    ArrangementFactory,
    CvoBesluitFactory,
    LocationFactory,
    PlacementFactory,
    PupilFactory,
    begeleider_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# --- enrolment ends the (v)so education ----------------------------------------------


@pytest.fixture
def vso_pupil(region):
    pupil = PupilFactory(region=region, current_location=LocationFactory(region=region))
    vso = ArrangementFactory(pupil=pupil, setting="vso", start=date(2024, 8, 1))
    vso.begeleiders.add(begeleider_of(region))
    CvoBesluitFactory(pupil=pupil, kind="onderwijs", start=date(2024, 8, 1), end=date(2028, 7, 31))
    return pupil


def ready_case(pupil, receiving_school):
    return PlacementFactory(
        pupil=pupil,
        to_school=receiving_school,
        tlv_needed=False,
        transport_needed=False,
        receiving_ready_on=TODAY - timedelta(days=20),
    )


def enrol(client, user, case, on):
    client.force_login(user)
    return client.post(
        reverse("learners:placement_step", args=[case.pupil.code, case.pk, "enrolled"]),
        {"enrolled-on": on.isoformat(), "enrolled-version": case.version},
    )


def test_enrolment_ends_vso_and_starts_ambulant_so_figures_count_once(
    client, alice, vso_pupil, receiving_school
):
    case = ready_case(vso_pupil, receiving_school)
    on = TODAY - timedelta(days=10)
    response = enrol(client, alice, case, on)
    assert response.status_code == 302
    running = Arrangement.objects.filter(pupil=vso_pupil, start__lte=TODAY).exclude(end__lt=TODAY)
    assert [a.setting for a in running] == ["ambulant"]
    ambulant = running.get()
    assert ambulant.start == on and ambulant.school == receiving_school
    old = Arrangement.objects.get(pupil=vso_pupil, setting="vso")
    assert old.end == on - timedelta(days=1)
    assert set(ambulant.begeleiders.all()) == set(old.begeleiders.all()) != set()
    assert CvoBesluit.objects.get(pupil=vso_pupil, kind="onderwijs").end == on - timedelta(days=1)
    figures = group_figures(Pupil.objects.filter(pk=vso_pupil.pk), hide_small=False)
    assert figures["by_setting"] == [{"label": "ambulante begeleiding", "count": 1}]
    # Said what was done, and the placement page lists the next steps.
    page = client.get(response.url).content.decode()
    assert "Het (v)so-arrangement is beëindigd" in page
    assert "Volgende stappen" in page
    handover_url = (
        reverse("learners:record_create", args=[vso_pupil.code, "overdracht"])
        + f"?plaatsing={case.pk}"
    )
    assert handover_url.replace("?", "?") in page


def test_a_decision_ended_by_enrolment_is_not_an_overdue_deadline(
    client, alice, vso_pupil, receiving_school
):
    from learners.selectors import compute_deadlines

    case = ready_case(vso_pupil, receiving_school)
    enrol(client, alice, case, TODAY - timedelta(days=10))
    kinds = [d.kind for d in compute_deadlines(Pupil.objects.filter(pk=vso_pupil.pk))]
    assert "besluit" not in kinds


def test_handover_prompted_after_enrolment_is_prefilled_and_linked(
    client, alice, vso_pupil, receiving_school
):
    case = ready_case(vso_pupil, receiving_school)
    set_step(case=case, step="enrolled", on=TODAY - timedelta(days=3))
    url = (
        reverse("learners:record_create", args=[vso_pupil.code, "overdracht"])
        + f"?plaatsing={case.pk}"
    )
    client.force_login(alice)
    form = client.get(url).content.decode()
    assert receiving_school.name in form
    response = client.post(
        url,
        {"date": (TODAY - timedelta(days=1)).isoformat(), "to_whom": receiving_school.name},
    )
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert Handover.objects.get(pupil=vso_pupil).placement == case
    assert "Warme overdracht vastgelegd" in client.get(response.url).content.decode()


# --- step errors: PRG, and no button that can only fail -------------------------------


def test_refused_enrolment_redirects_to_the_placement_page_with_the_message_once(
    client, alice, pupil
):
    case = PlacementFactory(pupil=pupil)
    response = enrol(client, alice, case, TODAY)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Inschrijven kan nog niet" in page
    assert "Inschrijven kan nog niet" not in client.get(response.url).content.decode()
    case.refresh_from_db()
    assert case.enrolled_on is None


def test_a_blocked_step_says_why_instead_of_offering_a_button(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Inschrijven kan pas als de TLV, het vervoer en de ontvangende school geregeld" in page
    assert "Ingeschreven: vastleggen" not in page
    assert "Eerste evaluatie gedaan: vastleggen" not in page
    assert "Opties verkend: vastleggen" in page


def test_a_step_dated_in_the_future_is_refused(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    url = reverse("learners:placement_step", args=[pupil.code, case.pk, "options_explored"])
    future = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(url, {"options_explored-on": future, "options_explored-version": 0})
    assert response.status_code == 302
    assert "in de toekomst" in client.get(response.url).content.decode()
    case.refresh_from_db()
    assert case.options_explored_on is None
    with pytest.raises(ValidationError):
        set_step(case=case, step="options_explored", on=date(1, 1, 1))


# --- impossible values ------------------------------------------------------------------


def record_post(client, user, pupil, kind, data, pk=None):
    client.force_login(user)
    if pk:
        url = reverse("learners:record_edit", args=[pupil.code, kind, pk])
        data = {**data, "version": 0}
    else:
        url = reverse("learners:record_create", args=[pupil.code, kind])
    return client.post(url, data)


def test_checkin_done_in_the_future_is_refused_but_may_be_due_then(client, alice, pupil):
    checkin = CheckIn.objects.create(pupil=pupil, months_after=3, due_date=TODAY + timedelta(90))
    data = {"done_on": (TODAY + timedelta(days=1)).isoformat(), "wellbeing": "goed"}
    response = record_post(client, alice, pupil, "vervolgcontact", data, pk=checkin.pk)
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    data["done_on"] = TODAY.isoformat()
    response = record_post(client, alice, pupil, "vervolgcontact", data, pk=checkin.pk)
    assert response.status_code == 302


AMBULANT = {
    "scope": "individueel",
    "setting": "ambulant",
    "hours_per_week": "2",
    "individual_share": "100",
    "start": "2025-08-01",
}
DECISION = {"kind": "onderwijs", "start": "2025-08-01", "end": "2027-07-31"}


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("gesprek", {"date": "2099-01-01", "participants": "ouders"}, "in de toekomst"),
        ("overdracht", {"date": "0001-01-01", "to_whom": "mentor"}, "vóór 1990"),
        ("consultatie", {"date": "1989-12-31", "asked_by": "x", "question": "?"}, "vóór 1990"),
        (
            "arrangement",
            {**AMBULANT, "hours_per_week": "41"},
            "tussen 0 en 40",
        ),
        (
            "arrangement",
            {**AMBULANT, "hours_per_week": "-1"},
            "tussen 0 en 40",
        ),
        (
            "besluit",
            {"kind": "onderwijs", "start": "2025-08-01", "end": "2125-07-31"},
            "ten hoogste 5 jaar",
        ),
        (
            "besluit",
            {"kind": "onderwijs", "start": "2099-01-01", "end": "2099-12-31"},
            "meer dan een jaar in de toekomst",
        ),
        (
            "arrangement",
            {**AMBULANT, "start": "2099-01-01", "end": "2099-01-01"},
            "meer dan een jaar in de toekomst",
        ),
        (
            "arrangement",
            {**AMBULANT, "end": "2125-07-31"},
            "ten hoogste 5 jaar",
        ),
        (
            "besluit",
            {
                "kind": "onderwijs",
                "start": "2025-08-01",
                "end": "2027-07-31",
                "evaluation_date": "2025-01-01",
            },
            "vóór de ingangsdatum",
        ),
        ("besluit", {"kind": "onderwijs", "start": "0001-01-01", "end": "0002-01-01"}, "vóór 1990"),
        (
            "besluit",
            {"kind": "onderwijs", "start": "2025-08-01", "end": "2027-07-31", "notes": "x" * 5001},
            "5000",
        ),
    ],
)
def test_impossible_values_are_refused_in_dutch(client, alice, pupil, kind, data, message):
    before = Arrangement.objects.count() + CvoBesluit.objects.count()
    response = record_post(client, alice, pupil, kind, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Arrangement.objects.count() + CvoBesluit.objects.count() == before


def test_cvo_max_years_is_a_setting(pupil, settings):
    settings.CVO_MAX_YEARS = 2
    decision = CvoBesluitFactory.build(pupil=pupil, start=date(2025, 8, 1), end=date(2028, 7, 31))
    with pytest.raises(ValidationError, match="ten hoogste 2 jaar"):
        decision.full_clean()


def test_a_megabyte_diagnosis_is_refused_by_form_and_model(client, alice, pupil, school):
    pupil.diagnosis = "x" * 1_000_000
    with pytest.raises(ValidationError, match="te lang"):
        pupil.full_clean()
    client.force_login(alice)
    response = client.post(
        reverse("learners:pupil_edit", args=[pupil.code]),
        {
            "date_of_birth": "2012-03-14",
            "target_group": "tos",
            "current_school": school.pk,
            "level": Level.objects.get(code="havo").pk,
            "diagnosis": "x" * 1_000_000,
            "version": 0,
        },
    )
    assert response.status_code == 400
    pupil.refresh_from_db()
    assert pupil.diagnosis == "Geheime diagnose"


@pytest.mark.parametrize(
    ("born", "message"),
    [("2099-01-01", "in de toekomst"), ("1989-06-01", "vóór 1990"), ("0001-01-01", "vóór 1990")],
)
def test_impossible_dates_of_birth_are_refused(client, alice, region, school, born, message):
    response = create_pupil(client, alice, region, date_of_birth=born, current_school=school.pk)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Pupil.objects.exists()


# --- a pupil has the basics -------------------------------------------------------------


def create_pupil(client, user, region, **fields):
    client.force_login(user)
    data = {"target_group": "tos", "is_active": "on", **fields}
    return client.post(reverse("learners:pupil_create", args=[region.pk]), data)


def test_a_pupil_needs_date_of_birth_school_or_location_and_level(client, alice, region, school):
    havo = Level.objects.get(code="havo").pk
    location = LocationFactory(region=region)
    cases = [
        ({"current_school": school.pk, "level": havo}, "Vul de geboortedatum in"),
        ({"date_of_birth": "2012-01-01"}, "Vul de huidige school of de (v)so-locatie"),
        (
            {
                "date_of_birth": "2012-01-01",
                "current_school": school.pk,
                "current_location": location.pk,
                "level": havo,
            },
            "niet allebei",
        ),
        ({"date_of_birth": "2012-01-01", "current_school": school.pk}, "Vul het niveau in"),
    ]
    for fields, message in cases:
        response = create_pupil(client, alice, region, **fields)
        assert response.status_code == 400, fields
        assert message in response.content.decode(), fields
    assert not Pupil.objects.exists()
    ok = create_pupil(
        client, alice, region, date_of_birth="2012-01-01", current_location=location.pk
    )
    assert ok.status_code == 302


def test_required_fields_are_marked(client, alice, region):
    client.force_login(alice)
    page = client.get(reverse("learners:pupil_create", args=[region.pk])).content.decode()
    assert 'for="id_date_of_birth">Geboortedatum <span class="required-marker">(verplicht)' in page
    assert '<input type="date" name="date_of_birth" required' in page
    assert "één van beide verplicht" in page and "verplicht bij een vo-school" in page


# --- imports obey the same rules ----------------------------------------------------------

PUPILS_HEAD = (
    "voornaam;achternaam;geboortedatum;doelgroep;ngt;hoortechnologie;logopedie;school;niveau\n"
)


def _row_errors(kind, raw, region):
    """The import preview's refusals: {line number: its messages in one string}."""
    outcome = PUPIL_IMPORT.preview(kind=kind, raw=raw, filename=f"{kind}.csv", region=region)
    return {line: " ".join(messages) for line, messages in outcome.row_errors}


def test_pupil_import_requires_date_of_birth_school_and_level(region):
    school = school_in(region)
    code = f"{school.brin}{school.vestigingsnummer}"
    raw = (
        PUPILS_HEAD
        + f"Zonder;Datum;;tos;nee;nee;ja;{code};havo\n"
        + "Zonder;School;2012-01-01;tos;nee;nee;ja;;\n"
        + f"Zonder;Niveau;2012-01-01;tos;nee;nee;ja;{code};\n"
        + f"Te;Vroeg;1980-01-01;tos;nee;nee;ja;{code};havo\n"
    ).encode()
    errors = _row_errors("leerlingen", raw, region)
    assert "Geboortedatum ontbreekt" in errors[2]
    assert "school (BRIN en vestiging) of de (v)so-locatie" in errors[3]
    assert "Vul het niveau in" in errors[4]
    assert "vóór 1990" in errors[5]
    assert not Pupil.objects.exists()


def test_decision_import_refuses_end_before_start_and_long_notes(region):
    pupil = PupilFactory(region=region)
    raw = (
        "leerlingcode;soort;ingangsdatum;einddatum;notities\n"
        f"{pupil.code};onderwijs;2026-08-01;2025-07-31;\n"
        f"{pupil.code};onderwijs;2025-08-01;2026-07-31;{'x' * 5001}\n"
        f"{pupil.code};onderwijs;2025-08-01;2126-07-31;\n"
    ).encode()
    errors = _row_errors("besluiten", raw, region)
    assert "vóór de ingangsdatum" in errors[2]
    assert "te lang" in errors[3]
    assert "ten hoogste 5 jaar" in errors[4]
    assert not CvoBesluit.objects.exists()


def test_demo_data_obeys_every_rule():
    context = regions_demo.seed()
    learners_demo.seed(context)
    from learners.models import Consultation, Conversation, DutyOfCare, PlacementCase

    for model in (Pupil, CvoBesluit, Arrangement, PlacementCase, DutyOfCare, Handover):
        for obj in model.objects.all():
            obj.full_clean(exclude=["code"])
    for model in (CheckIn, Conversation, Consultation):
        for obj in model.objects.all():
            obj.full_clean()


def test_a_missing_date_of_birth_is_said_once(region, school):
    from learners.forms import PupilForm

    form = PupilForm({"target_group": "tos", "current_school": school.pk}, region=region)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Vul de geboortedatum in."]
