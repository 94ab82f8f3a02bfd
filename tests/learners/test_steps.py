"""The placement steps are declared once (learners.models.PLACEMENT_STEPS): the page,
the step forms, the order check, the guards and the status all follow that table."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learners.forms import PlacementStepForm
from learners.models import PLACEMENT_STEP, PLACEMENT_STEPS, PlacementCase
from learners.services import set_step
from tests.learners.factories import PlacementFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_steps_come_in_the_order_of_a_placement():
    assert [s.key for s in PLACEMENT_STEPS] == [
        "options_explored",
        "school_identified",
        "tlv",
        "transport",
        "receiving_ready",
        "enrolled",
        "first_evaluation",
    ]
    keys = [s.key for s in PLACEMENT_STEPS]
    for step in PLACEMENT_STEPS:
        # A step builds on an earlier one, and writes real fields of the placement.
        assert not step.after or keys.index(step.after) < keys.index(step.key)
        for name in (step.date_field, *step.fields):
            PlacementCase._meta.get_field(name)


def test_what_blocks_enrolment_comes_from_the_table():
    assert [str(s.for_enrolment) for s in PLACEMENT_STEPS if s.for_enrolment] == [
        "de TLV",
        "het vervoer",
        "de ontvangende school",
    ]


def test_a_step_form_asks_only_what_its_step_declares(region):
    for step in PLACEMENT_STEPS:
        form = PlacementStepForm(step=step.key, region=region)
        assert set(form.fields) == {"on", "version", *step.fields}


def test_guards_say_why_a_step_cannot_be_recorded_yet(pupil, receiving_school):
    case = PlacementFactory(pupil=pupil)
    assert "Kies eerst" in PLACEMENT_STEP["receiving_ready"].blocker(case)
    assert "Inschrijven kan pas" in PLACEMENT_STEP["enrolled"].blocker(case)
    assert "na de inschrijving" in PLACEMENT_STEP["first_evaluation"].blocker(case)
    assert PLACEMENT_STEP["options_explored"].blocker(case) == ""
    case.to_school = receiving_school
    assert PLACEMENT_STEP["receiving_ready"].blocker(case) == ""


def test_set_step_enforces_the_guard(pupil):
    case = PlacementFactory(pupil=pupil)
    with pytest.raises(ValidationError, match="na de inschrijving"):
        set_step(case=case, step="first_evaluation", on=TODAY)
    with pytest.raises(ValidationError, match="Kies eerst"):
        set_step(case=case, step="receiving_ready", on=TODAY)
    case.refresh_from_db()
    assert case.first_evaluation_on is None and case.receiving_ready_on is None


def test_order_check_follows_the_table(pupil, receiving_school):
    case = PlacementFactory(pupil=pupil)
    set_step(case=case, step="options_explored", on=TODAY)
    with pytest.raises(ValidationError, match="vóór de stap 'opties verkend'"):
        set_step(
            case=case,
            step="school_identified",
            on=TODAY - timedelta(days=1),
            to_school=receiving_school,
        )


def test_status_is_the_furthest_step_reached(pupil, receiving_school):
    case = PlacementFactory(pupil=pupil)
    assert case.status == "nieuw"
    set_step(case=case, step="options_explored", on=TODAY)
    assert case.status == "verkennen"
    set_step(case=case, step="school_identified", on=TODAY, to_school=receiving_school)
    assert case.status == "school"
    set_step(case=case, step="tlv", on=TODAY, tlv_needed=False)
    assert case.status == "regelen"
    set_step(case=case, step="transport", on=TODAY, transport_needed=False)
    set_step(case=case, step="receiving_ready", on=TODAY)
    assert case.status == "klaar" and case.enrolment_blockers() == []


def test_unknown_step_is_404(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    url = reverse("learners:placement_step", args=[pupil.code, case.pk, "teleport"])
    assert client.post(url, {"teleport-on": date(2026, 1, 1)}).status_code == 404


def test_page_lists_every_step_with_its_label(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    steps = client.get(case.get_absolute_url()).context["steps"]
    assert [s["key"] for s in steps] == [s.key for s in PLACEMENT_STEPS]
    assert [s["label"] for s in steps] == [s.label for s in PLACEMENT_STEPS]


def test_what_is_unsettled_is_joined_the_dutch_way(pupil):
    case = PlacementFactory(pupil=pupil)
    assert "Nog niet geregeld: de TLV, het vervoer en de ontvangende school." in (
        PLACEMENT_STEP["enrolled"].blocker(case)
    )
    case.tlv_needed = False
    assert "Inschrijven kan nog niet: het vervoer en de ontvangende school zijn" in (
        PLACEMENT_STEP["enrolled"].refused(case)
    )
