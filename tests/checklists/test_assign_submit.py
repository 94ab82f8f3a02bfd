from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checklists.models import Answer, Assignment, AssignmentEvent
from checklists.selectors import open_assignments_for
from tests.checklists.factories import assignment_for, example_version
from tests.factories import school_in

HTMX = {"HX-Request": "true"}


def assign_data(version, schools, **extra):
    return {
        "template": version.template.pk,
        "schools": [s.pk for s in schools],
        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "message": "Graag voor de studiedag.",
        **extra,
    }


@pytest.mark.django_db
def test_coordinator_assigns_to_partner_schools_and_leaders_get_mail(
    client, alice, region, school, leader, django_capture_on_commit_callbacks
):
    leader.email = "leider@school.example"
    leader.save()
    second = school_in(region)
    version = example_version()
    client.force_login(alice)
    url = reverse("checklists:assign", args=[region.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, assign_data(version, [school, second]))
    assert response.status_code == 302
    made = Assignment.objects.order_by("school__name")
    assert [a.school for a in made] == sorted([school, second], key=lambda s: s.name)
    assert all(a.region == region and a.template_version == version for a in made)
    assert len(mail.outbox) == 1  # the second school has no leader
    sent = mail.outbox[0]
    assert sent.to == ["leider@school.example"]
    assert version.title in sent.subject
    assert "Graag voor de studiedag." in sent.body
    assert f"/checklists/{made.get(school=school).pk}/" in sent.body
    assert [a.pk for a in open_assignments_for(leader)] == [made.get(school=school).pk]
    # The message counts the schools and the e-mails, and names the school without one.
    page = client.get(response["Location"]).content.decode()
    assert "De checklist is toegewezen aan 2 scholen." in page
    assert "De schoolleider van 1 school krijgt een e-mail." in page
    assert f"Geen e-mail voor {second.name}: daar is geen schoolleider" in page


@pytest.mark.django_db
def test_school_outside_the_region_is_refused(client, alice, region, other_region):
    outside = school_in(other_region)
    client.force_login(alice)
    url = reverse("checklists:assign", args=[region.pk])
    response = client.post(url, assign_data(example_version(), [outside]))
    assert response.status_code == 200
    assert (
        "Deze school hoort niet bij de partnerscholen van deze regio" in response.content.decode()
    )
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_home_partial_lists_open_assignments(client, leader, school, region):
    from django.template.loader import render_to_string

    open_one = assignment_for(school, region, due_date=timezone.localdate() - timedelta(days=1))
    assignment_for(school, region, status=Assignment.Status.SUBMITTED)
    html = render_to_string(
        "checklists/_assignments_home.html",
        {"checklist_assignments": open_assignments_for(leader)},
    )
    assert html.count("<li>") == 1
    assert f"/checklists/{open_one.pk}/" in html and "te laat" in html


@pytest.mark.django_db
def test_submit_lists_unanswered_then_locks(client, leader, school, region):
    assignment = assignment_for(school, region)
    client.force_login(leader)
    url = reverse("checklists:submit", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "Er zijn nog 8 vragen niet beantwoord" in page
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED and assignment.submitted_at
    # Read-only now: a save (htmx or the section form) changes nothing.
    save = reverse("checklists:answer_save", args=[assignment.pk, "visie-1"])
    client.post(save, {"q-visie-1-value": "ja", "q-visie-1-version": 0}, headers=HTMX)
    section = reverse("checklists:section_save", args=[assignment.pk, "visie"])
    client.post(section, {"q-visie-1-value": "ja", "q-visie-1-version": 0})
    assert not Answer.objects.exists()
    detail = client.get(
        reverse("checklists:assignment_detail", args=[assignment.pk])
    ).content.decode()
    assert "De antwoorden zijn niet meer te wijzigen" in detail
    assert "hx-post" not in detail.split("<main")[1]


@pytest.mark.django_db
def test_coordinator_reopens_with_a_reason(client, alice, leader, school, region):
    assignment = assignment_for(school, region, status=Assignment.Status.SUBMITTED)
    client.force_login(alice)
    url = reverse("checklists:reopen", args=[assignment.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Dit veld is verplicht" in response.content.decode()
    assert client.post(url, {"reason": "Vraag 3 ontbreekt."}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REOPENED
    event = assignment.events.get(kind=AssignmentEvent.Kind.REOPENED)
    assert (event.reason, event.by) == ("Vraag 3 ontbreekt.", alice)
    # The school leader sees why, and can answer again.
    client.force_login(leader)
    page = client.get(
        reverse("checklists:assignment_detail", args=[assignment.pk])
    ).content.decode()
    assert "Vraag 3 ontbreekt." in page
    save = reverse("checklists:answer_save", args=[assignment.pk, "visie-1"])
    client.post(save, {"q-visie-1-value": "ja", "q-visie-1-version": 0}, headers=HTMX)
    assert Answer.objects.get().value == "ja"


@pytest.mark.django_db
def test_an_open_checklist_cannot_be_reopened(client, alice, school, region):
    assignment = assignment_for(school, region)
    client.force_login(alice)
    response = client.post(reverse("checklists:reopen", args=[assignment.pk]), {"reason": "x"})
    assert "Alleen een ingediende checklist kan worden heropend." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


@pytest.mark.django_db
def test_the_school_leaders_home_page_lists_his_open_checklists(client, leader, school, region):
    open_one = assignment_for(school, region)
    client.force_login(leader)
    page = client.get(reverse("plans:home")).content.decode()
    assert "Checklists om in te vullen" in page
    assert f"/checklists/{open_one.pk}/" in page
    assert 'href="/checklists/"' in page  # the menu entry
