"""Assigning when the mail server is down: the assignments are saved once, each school
gets exactly one, the coordinator is told which leaders got no e-mail, and no 500."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from checklists.models import Assignment
from tests.checklists.factories import example_version
from tests.checklists.test_assign_submit import assign_data
from tests.factories import school_in


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is not there."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.django_db
def test_a_mail_failure_keeps_one_assignment_per_school_and_says_so(
    client, alice, region, school, leader, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.checklists.test_assign_mail.RefusingBackend"
    leader.email = "leider@school.example"
    leader.save()
    second = school_in(region)
    client.force_login(alice)
    url = reverse("checklists:assign", args=[region.pk])
    response = client.post(url, assign_data(example_version(), [school, second]), follow=True)
    assert response.status_code == 200
    assert sorted(Assignment.objects.values_list("school_id", flat=True)) == sorted(
        [school.pk, second.pk]
    )
    page = response.content.decode()
    assert "kon niet worden verstuurd" in page and school.name in page
    assert "not sent" in caplog.text
