"""The coordinator's review: remarks per question, reviewed, building answers into the school."""

import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from checklists.models import Assignment, AssignmentEvent, Remark
from regions.models import School
from tests.checklists.factories import assignment_for
from tests.checklists.rollup_data import closed
from tests.factories import coordinator_of, leader_of, school_in


@pytest.fixture
def submitted(region, school):
    return closed(school, region, {"visie-1": "nee", "team-1": "1", "akoestiek": "3"})


def url(name, assignment, *args):
    return reverse(f"checklists:{name}", args=[assignment.pk, *args])


@pytest.mark.django_db
def test_coordinator_adds_a_remark_that_the_school_leader_reads(client, alice, submitted):
    client.force_login(alice)
    response = client.post(
        url("remark_save", submitted, "visie-1"), {"text": "Bespreek dit.", "version": 0}
    )
    assert response.status_code == 302
    remark = Remark.objects.get(assignment=submitted, question_key="visie-1")
    assert remark.text == "Bespreek dit." and remark.by == alice
    # Again: replaced, not a second one; htmx gets the answer back with the remark.
    response = client.post(
        url("remark_save", submitted, "visie-1"),
        {"text": "Bespreek dit in het overleg.", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Bespreek dit in het overleg." in response.content.decode()
    assert Remark.objects.filter(assignment=submitted).count() == 1

    leader = leader_of(submitted.school)
    client.force_login(leader)
    page = client.get(url("assignment_detail", submitted)).content.decode()
    assert "Opmerking van de coördinator:" in page and "Bespreek dit in het overleg." in page
    assert "Opmerking opslaan" not in page  # read-only for the school
    assert client.post(url("remark_save", submitted, "visie-1"), {"text": "x"}).status_code == 403
    assert Remark.objects.get(assignment=submitted).text == "Bespreek dit in het overleg."


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_two_coordinators_remark_at_once_the_second_is_refused(client, alice, submitted, htmx):
    colleague = coordinator_of(submitted.region)
    client.force_login(alice)
    page = client.get(url("assignment_detail", submitted)).content.decode()
    assert re.search(r'name="version"\s+value="0"', page)  # what both forms carry
    headers = {"HX-Request": "true"} if htmx else {}
    client.post(url("remark_save", submitted, "visie-1"), {"text": "Van Alice", "version": 0})
    client.force_login(colleague)
    refused = client.post(
        url("remark_save", submitted, "visie-1"),
        {"text": "Van de collega", "version": 0},
        headers=headers,
        follow=not htmx,
    )
    text = refused.content.decode()
    assert "Iemand anders heeft deze opmerking intussen gewijzigd" in text
    assert "Van Alice" in text  # the current remark is shown
    if htmx:
        assert refused.status_code == 409
        assert "Van de collega" in text  # and what the colleague typed is kept
    remark = Remark.objects.get(assignment=submitted, question_key="visie-1")
    assert remark.text == "Van Alice" and remark.by == alice and remark.version == 1


@pytest.mark.django_db
def test_empty_remark_removes_it(client, alice, submitted):
    Remark.objects.create(assignment=submitted, question_key="visie-1", text="oud", by=alice)
    client.force_login(alice)
    client.post(url("remark_save", submitted, "visie-1"), {"text": "  ", "version": 0})
    assert not Remark.objects.exists()


@pytest.mark.django_db
def test_no_remark_on_an_open_checklist_or_an_unknown_question(client, alice, region, school):
    open_one = assignment_for(school, region)
    client.force_login(alice)
    response = client.post(
        url("remark_save", open_one, "visie-1"), {"text": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "pas als de school de checklist heeft ingediend" in response.content.decode()
    submitted = closed(school, region, {})
    unknown = client.post(url("remark_save", submitted, "bestaat-niet"), {"text": "x"})
    assert unknown.status_code == 404
    too_long = client.post(
        url("remark_save", submitted, "visie-1"), {"text": "x" * 5001}, follow=True
    )
    assert "te lang" in too_long.content.decode()
    assert not Remark.objects.exists()


@pytest.mark.django_db
def test_other_region_and_readers_cannot_review(client, charlie, bob, submitted):
    client.force_login(charlie)
    assert client.post(url("remark_save", submitted, "visie-1"), {"text": "x"}).status_code == 404
    assert client.post(url("mark_reviewed", submitted)).status_code == 404
    client.force_login(bob)  # manager: roll-ups only, no single checklist
    assert client.post(url("mark_reviewed", submitted)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Assignment.Status.SUBMITTED and not Remark.objects.exists()


@pytest.mark.django_db
def test_mark_reviewed_then_reopen_is_still_possible(client, alice, submitted):
    client.force_login(alice)
    page = client.get(url("assignment_detail", submitted)).content.decode()
    assert "Markeren als beoordeeld" in page
    assert client.post(url("mark_reviewed", submitted)).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Assignment.Status.REVIEWED
    assert submitted.events.filter(kind=AssignmentEvent.Kind.REVIEWED, by=alice).count() == 1
    # Twice: refused with a message, nothing new.
    response = client.post(url("mark_reviewed", submitted), follow=True)
    assert "Alleen een ingediende checklist" in response.content.decode()
    assert submitted.events.filter(kind=AssignmentEvent.Kind.REVIEWED).count() == 1
    client.post(url("reopen", submitted), {"reason": "Graag de gebouwvragen aanvullen."})
    submitted.refresh_from_db()
    assert submitted.status == Assignment.Status.REOPENED


@pytest.mark.django_db
def test_building_answers_go_into_the_school_with_before_and_after(client, alice, submitted):
    school = submitted.school
    assert school.acoustics == School.Suitability.UNKNOWN
    client.force_login(alice)
    preview = client.get(url("building", submitted)).content.decode()
    assert "akoestiek" in preview and "onbekend" in preview and "goed" in preview
    school.refresh_from_db()
    assert school.acoustics == School.Suitability.UNKNOWN  # GET changes nothing

    response = client.post(url("building", submitted), follow=True)
    assert "akoestiek: onbekend → goed" in response.content.decode()
    school.refresh_from_db()
    assert school.acoustics == School.Suitability.GOOD  # step 3 of 3
    entry = LogEntry.objects.get_for_object(school).latest("timestamp")
    assert entry.changes_dict["acoustics"] == ["onbekend", "goed"] and entry.actor == alice
    event = submitted.events.get(kind=AssignmentEvent.Kind.BUILDING)
    assert event.reason == "akoestiek: onbekend → goed"
    # Nothing left to change: no second event.
    client.post(url("building", submitted))
    assert submitted.events.filter(kind=AssignmentEvent.Kind.BUILDING).count() == 1


@pytest.mark.django_db
def test_building_step_mapping(alice, region):
    from checklists.services import accept_building_answers

    for step, expected in (("1", "onvoldoende"), ("2", "redelijk"), ("3", "goed")):
        school = school_in(region)
        assignment = closed(school, region, {"akoestiek": step})
        accept_building_answers(assignment=assignment, by=alice)
        school.refresh_from_db()
        assert school.acoustics == expected


@pytest.mark.django_db
def test_building_answers_refused_for_another_region_readers_and_open_checklists(
    client, charlie, bob, alice, submitted, region, school
):
    client.force_login(charlie)
    assert client.post(url("building", submitted)).status_code == 404
    client.force_login(bob)  # the manager does not see single checklists
    assert client.post(url("building", submitted)).status_code == 404
    client.force_login(leader_of(school))
    assert client.post(url("building", submitted)).status_code == 403
    client.force_login(alice)
    open_one = closed(school, region, {"akoestiek": "1"}, status=Assignment.Status.IN_PROGRESS)
    response = client.post(url("building", open_one), follow=True)
    assert "pas als de school de checklist heeft ingediend" in response.content.decode()
    school.refresh_from_db()
    assert school.acoustics == School.Suitability.UNKNOWN
