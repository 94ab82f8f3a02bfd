"""A begeleider reads the checklists of his pupils' schools once they are handed in
(ingediend, beoordeeld), never a draft with the school leader's free text."""

import pytest
from django.urls import reverse

from checklists.models import Answer, Assignment
from checklists.selectors import assignments_for
from tests.checklists.factories import assignment_for
from tests.learners.factories import PupilFactory, assign, begeleider_of

S = Assignment.Status
READS = {S.SUBMITTED: True, S.REVIEWED: True, S.ASSIGNED: False, S.IN_PROGRESS: False}
READS[S.REOPENED] = False  # back with the school leader: a draft again


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
def test_begeleider_reads_only_handed_in_checklists(client, region, school, status):
    begeleider = begeleider_of(region)
    assign(PupilFactory(region=region, current_school=school), begeleider)
    assignment = assignment_for(school, region, status=status)
    Answer.objects.create(
        assignment=assignment, question_key="plan", value="Vertrouwelijk concept", version=1
    )
    assert (assignment in assignments_for(begeleider)) is READS[status]
    client.force_login(begeleider)
    response = client.get(reverse("checklists:assignment_detail", args=[assignment.pk]))
    assert response.status_code == (200 if READS[status] else 404)
    listing = client.get(reverse("checklists:assignment_list")).content.decode()
    assert (f"/checklists/{assignment.pk}/" in listing) is READS[status]
