"""Constant query counts: the fill-in page and the coordinator's list at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.models import Answer, Assignment, AssignmentEvent
from tests.checklists.factories import assignment_for, example_version
from tests.factories import leader_of, school_in


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_fill_in_page_queries_do_not_grow_with_answers_or_history(client, region):
    version = example_version()
    counts = []
    for n in (1, 8):
        school = school_in(region)
        assignment = assignment_for(school, region, version=version)
        leader = leader_of(school)
        keys = list(version.questions)[:n]
        for key in keys:
            Answer.objects.create(
                assignment=assignment,
                question_key=key,
                value="",
                answered_by=leader,
                evidence_note="x",
            )
        for _ in range(n):
            AssignmentEvent.objects.create(
                assignment=assignment, kind="heropend", reason="r", by=leader
            )
        client.force_login(leader)
        counts.append(
            queries(client, reverse("checklists:assignment_detail", args=[assignment.pk]))
        )
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_coordinator_list_queries_do_not_grow_with_assignments(client, alice, region):
    version = example_version()
    client.force_login(alice)
    counts = []
    for n in (5, 40):
        while Assignment.objects.count() < n:
            assignment = assignment_for(
                school_in(region), region, version=version, assigned_by=alice
            )
            Answer.objects.create(assignment=assignment, question_key="visie-1", value="ja")
        counts.append(queries(client, reverse("checklists:assignment_list")))
    assert counts[0] == counts[1], counts
