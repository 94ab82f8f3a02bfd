"""A stale save is refused with the current values shown (optimistic locking), for the
pupil, every pupil record and the placement steps."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learners import models
from tests.learners.factories import ArrangementFactory, CvoBesluitFactory, PlacementFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


def checkin_post(results, version=0):
    return {
        "done_on": "2026-02-03",
        "results": results,
        "wellbeing": "goed",
        "as_planned": "true",
        "support_needed": "true",
        "version": version,
    }


@pytest.fixture
def checkin(pupil):
    return pupil.checkins.create(months_after=3, due_date=date(2026, 2, 1))


def checkin_url(checkin):
    return reverse("learners:record_edit", args=[checkin.pupil.code, "vervolgcontact", checkin.pk])


def test_second_of_two_forms_loaded_at_the_same_version_is_refused(client, alice, checkin):
    client.force_login(alice)
    first = client.post(checkin_url(checkin), checkin_post("Eerste versie"))
    assert first.status_code == 302
    second = client.post(checkin_url(checkin), checkin_post("Tweede versie"))
    assert second.status_code == 409
    checkin.refresh_from_db()
    assert checkin.results == "Eerste versie" and checkin.version == 1
    page = second.content.decode()
    assert CONFLICT in page
    assert "Eerste versie" in page  # the current value is shown
    assert "Tweede versie" in page  # and what the second person typed is kept
    # The kept form now carries the current version: saving again is deliberate.
    assert 'name="version" value="1"' in page


def test_version_is_checked_against_the_database_row(client, alice, checkin):
    client.force_login(alice)
    page = client.get(checkin_url(checkin)).content.decode()
    assert 'name="version" value="0"' in page
    # Someone else saves between loading and posting.
    models.CheckIn.objects.filter(pk=checkin.pk).update(results="Van een ander", version=1)
    response = client.post(checkin_url(checkin), checkin_post("Van mij"))
    assert response.status_code == 409
    checkin.refresh_from_db()
    assert checkin.results == "Van een ander"


def test_a_save_without_a_version_is_refused(client, alice, checkin):
    client.force_login(alice)
    data = checkin_post("Zonder versie")
    del data["version"]
    assert client.post(checkin_url(checkin), data).status_code == 409
    checkin.refresh_from_db()
    assert checkin.results == ""


def test_stale_pupil_edit_is_refused(client, alice, pupil, school):
    url = reverse("learners:pupil_edit", args=[pupil.code])
    client.force_login(alice)
    data = {
        "first_name": "Mijn",
        "date_of_birth": "2012-03-14",
        "target_group": "tos",
        "current_school": school.pk,
        "level": pupil.level_id,
        "is_active": "on",
        "version": 0,
    }
    models.Pupil.objects.filter(pk=pupil.pk).update(first_name="Andermans", version=1)
    response = client.post(url, data)
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    pupil.refresh_from_db()
    assert pupil.first_name == "Andermans"
    data["version"] = 1
    assert client.post(url, data).status_code == 302
    pupil.refresh_from_db()
    assert pupil.first_name == "Mijn" and pupil.version == 2


def _records(pupil):
    today = timezone.localdate().isoformat()
    institution = pupil.region.institution
    duty = models.DutyOfCare.objects.create(
        pupil=pupil, holder_kind="instelling", institution=institution, start=date(2024, 8, 1)
    )
    arrangement = {
        "scope": "individueel",
        "setting": "ambulant",
        "hours_per_week": "2",
        "individual_share": "100",
        "start": "2025-08-01",
    }
    return [
        (
            "besluit",
            CvoBesluitFactory(pupil=pupil),
            {"kind": "ondersteuning", "start": "2025-08-01", "end": "2027-07-31"},
        ),
        ("arrangement", ArrangementFactory(pupil=pupil), arrangement),
        ("plaatsing", PlacementFactory(pupil=pupil), {"reason": "sluiting"}),
        (
            "zorgplicht",
            duty,
            {"holder_kind": "instelling", "institution": institution.pk, "start": "2024-08-01"},
        ),
        (
            "overdracht",
            models.Handover.objects.create(pupil=pupil, date=today, to_whom="mentor"),
            {"date": today, "to_whom": "mentor"},
        ),
        (
            "gesprek",
            models.Conversation.objects.create(pupil=pupil, date=today, participants="ouders"),
            {"date": today, "participants": "ouders"},
        ),
        (
            "consultatie",
            models.Consultation.objects.create(pupil=pupil, date=today, asked_by="x", question="?"),
            {"date": today, "asked_by": "x", "question": "?"},
        ),
    ]


def test_every_editable_pupil_record_refuses_a_stale_save(client, alice, pupil):
    client.force_login(alice)
    for kind, record, data in _records(pupil):
        url = reverse("learners:record_edit", args=[pupil.code, kind, record.pk])
        type(record).objects.filter(pk=record.pk).update(version=5)
        response = client.post(url, {**data, "version": 0})
        assert response.status_code == 409, kind
        assert CONFLICT in response.content.decode(), kind
        fresh = client.post(url, {**data, "version": 5})
        assert fresh.status_code == 302, (kind, fresh.content.decode()[:3000])
        record.refresh_from_db()
        assert record.version == 6, kind
    assert {models.Arrangement, models.CvoBesluit, models.PlacementCase} <= {
        type(r) for _k, r, _d in _records(pupil)
    }


def test_stale_placement_step_is_refused_and_shown_on_the_placement_page(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    url = reverse("learners:placement_step", args=[pupil.code, case.pk, "options_explored"])
    client.force_login(alice)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="options_explored-version" value="0"' in page
    models.PlacementCase.objects.filter(pk=case.pk).update(version=1)
    response = client.post(url, {"options_explored-on": yesterday, "options_explored-version": 0})
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.options_explored_on is None
    page = client.get(case.get_absolute_url()).content.decode()
    assert CONFLICT in page
    assert CONFLICT not in client.get(case.get_absolute_url()).content.decode()  # shown once
    ok = client.post(url, {"options_explored-on": yesterday, "options_explored-version": 1})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.options_explored_on is not None and case.version == 2


def test_a_conflict_marks_what_the_colleague_changed_first(client, alice, pupil, school):
    """Saving again must not undo a colleague's change unseen: fields whose current value
    differs from the form are listed first and marked."""
    url = reverse("learners:pupil_edit", args=[pupil.code])
    client.force_login(alice)
    models.Pupil.objects.filter(pk=pupil.pk).update(is_active=False, version=1)
    response = client.post(
        url,
        {
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "target_group": pupil.target_group,
            "current_school": school.pk,
            "level": pupil.level_id,
            "is_active": "on",
            "notes": "Nieuwe notitie",
            "version": 0,
        },
    )
    assert response.status_code == 409
    rows = response.context["conflict"]["current"]
    marked = [(str(label), value) for label, value, differs in rows if differs]
    assert ("Actief", "nee") in marked
    assert rows[0][2], "differences come first"
    assert "anders dan in uw formulier" in response.content.decode()


def test_two_colleagues_load_the_same_checkin_and_the_second_save_is_refused(
    client, alice, region, checkin
):
    """Issue 12: edits of a check-in were silently overwritten under load."""
    from django.test import Client

    from tests.factories import coordinator_of

    colleague = Client()
    colleague.force_login(coordinator_of(region))
    client.force_login(alice)
    url = checkin_url(checkin)
    for browser in (client, colleague):
        assert 'name="version" value="0"' in browser.get(url).content.decode()
    assert client.post(url, checkin_post("Van Alice", version=0)).status_code == 302
    refused = colleague.post(url, checkin_post("Van de collega", version=0))
    assert refused.status_code == 409
    assert CONFLICT in refused.content.decode()
    assert "Van Alice" in refused.content.decode()
    checkin.refresh_from_db()
    assert checkin.results == "Van Alice" and checkin.version == 1
