"""Checklist template content is data the functional admin types: it is printed as text,
never as markup, on the fill-in page and the roll-up (an htmx attribute in a help text
would otherwise submit the school leader's checklist)."""

import copy

import pytest
from django.urls import reverse

from checklists.models import Answer, Assignment, TemplateVersion
from tests.checklists.factories import EXAMPLE_SLUG, assignment_for, example_version
from tests.factories import school_in

ATTACK = '<b hx-get="indienen/" hx-trigger="load">x</b>'


def poisoned_version():
    version = example_version()
    content = copy.deepcopy(version.content)
    content["title"] += ATTACK
    content["purpose"] = ATTACK
    content["source"] = ATTACK
    section = content["sections"][0]
    section["title"] += ATTACK
    section["intro"] = ATTACK
    for question in section["questions"]:
        question["text"] += ATTACK
        question["help"] = ATTACK
        question["source"] = ATTACK
        if question["type"] == "scale":
            question["scale"] = [step + ATTACK for step in question["scale"]]
    return TemplateVersion.objects.create(
        template=version.template, number=version.number + 1, content=content
    )


def assert_escaped(page):
    assert "<b hx-get" not in page
    assert "&lt;b hx-get=" in page


@pytest.mark.django_db
def test_template_content_is_escaped_on_the_fill_in_page(client, leader, school, region):
    assignment = assignment_for(school, region, version=poisoned_version())
    client.force_login(leader)
    page = client.get(reverse("checklists:assignment_detail", args=[assignment.pk]))
    assert page.status_code == 200
    assert_escaped(page.content.decode())


@pytest.mark.django_db
def test_template_content_is_escaped_on_the_submitted_page_and_the_roll_up(
    client, alice, school, region
):
    version = poisoned_version()
    for name in "AB":
        assignment = assignment_for(
            school_in(region, name=f"School {name}"),
            region,
            version=version,
            status=Assignment.Status.SUBMITTED,
        )
        Answer.objects.create(assignment=assignment, question_key="team-1", value="1", version=1)
        Answer.objects.create(assignment=assignment, question_key="visie-1", value="nee", version=1)
    client.force_login(alice)
    page = client.get(reverse("checklists:assignment_detail", args=[assignment.pk]))
    assert_escaped(page.content.decode())
    page = client.get(reverse("checklists:rollup", args=[EXAMPLE_SLUG]))
    assert page.status_code == 200
    assert_escaped(page.content.decode())
