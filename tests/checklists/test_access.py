"""Who sees and changes which checklist (the full table is in tests/test_url_access.py)."""

import pytest
from django.urls import reverse

from checklists.models import Answer, Assignment
from checklists.selectors import assignments_for
from tests.checklists.factories import assignment_for
from tests.factories import leader_of, school_in
from tests.learners.factories import PupilFactory, assign, begeleider_of

HTMX = {"HX-Request": "true"}


@pytest.fixture
def assignment(school, region):
    return assignment_for(school, region)


def save(client, assignment):
    url = reverse("checklists:answer_save", args=[assignment.pk, "visie-1"])
    return client.post(url, {"q-visie-1-value": "ja", "q-visie-1-version": 0}, headers=HTMX)


@pytest.mark.django_db
def test_another_schools_leader_gets_404_and_changes_nothing(client, assignment, region):
    client.force_login(leader_of(school_in(region)))  # same region, other school
    assert (
        client.get(reverse("checklists:assignment_detail", args=[assignment.pk])).status_code == 404
    )
    assert save(client, assignment).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_manager_gets_no_single_checklist_only_roll_up_links(client, bob, assignment):
    """The issue gives the manager "roll-ups read-only": a school's checklist (with its
    evidence notes, links, comments and names) is 404 for him, and his list shows only
    the roll-up links, no row per school."""
    Answer.objects.create(assignment=assignment, question_key="ib-naam", value="M. de Vries")
    client.force_login(bob)
    assert assignments_for(bob).count() == 0
    detail = reverse("checklists:assignment_detail", args=[assignment.pk])
    assert client.get(detail).status_code == 404
    assert save(client, assignment).status_code == 404
    assert client.post(reverse("checklists:submit", args=[assignment.pk])).status_code == 404
    page = client.get(reverse("checklists:assignment_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Overzicht: Voorbeeldchecklist" in html
    assert detail not in html and "<table" not in html and "M. de Vries" not in html
    # The roll-up names the school but does not link to the checklist he cannot open.
    rollup = client.get(reverse("checklists:rollup", args=["voorbeeld-checklist"]))
    assert rollup.status_code == 200 and detail not in rollup.content.decode()
    assert Answer.objects.get().value == "M. de Vries"


@pytest.mark.django_db
def test_coordinator_reads_and_may_not_fill_in(client, alice, charlie, assignment):
    client.force_login(alice)
    assert (
        client.get(reverse("checklists:assignment_detail", args=[assignment.pk])).status_code == 200
    )
    assert save(client, assignment).status_code == 403
    client.force_login(charlie)
    assert (
        client.get(reverse("checklists:assignment_detail", args=[assignment.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_begeleider_reads_the_schools_of_his_pupils_only(region, school, assignment):
    """Through learners.selectors.assigned_pupil_ids: the current school of each active
    pupil he is on an arrangement of."""
    assignment.status = Assignment.Status.SUBMITTED  # he reads results, not drafts
    assignment.save()
    mine = begeleider_of(region)
    other = begeleider_of(region)
    assign(PupilFactory(region=region, current_school=school), mine)
    elsewhere = assignment_for(school_in(region), region, status=Assignment.Status.SUBMITTED)
    assert list(assignments_for(mine)) == [assignment]
    assert list(assignments_for(other)) == []
    assert elsewhere not in assignments_for(mine)


@pytest.mark.django_db
def test_leader_list_shows_only_his_school(client, leader, assignment, region):
    other = assignment_for(school_in(region), region)
    client.force_login(leader)
    page = client.get(reverse("checklists:assignment_list")).content.decode()
    assert f"/checklists/{assignment.pk}/" in page and f"/checklists/{other.pk}/" not in page
