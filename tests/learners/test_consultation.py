"""Consultatie en advies is recorded per pupil without a CvO decision."""

import pytest
from django.urls import reverse

from learners.models import Consultation

pytestmark = pytest.mark.django_db

DATA = {
    "date": "2026-10-01",
    "asked_by": "Mentor klas 2b",
    "question": "Hoe instructie geven?",
    "advice": "Korte zinnen, visuele steun en controlevragen.",
}


def url(pupil):
    return reverse("learners:record_create", args=[pupil.code, "consultatie"])


def test_coordinator_records_advice_without_a_decision(client, alice, pupil):
    assert not pupil.decisions.exists()
    client.force_login(alice)
    response = client.post(url(pupil), DATA)
    assert response.status_code == 302
    advice = Consultation.objects.get(pupil=pupil)
    assert advice.recorded_by == alice
    body = client.get(reverse("learners:pupil_detail", args=[pupil.code])).content.decode()
    assert "Mentor klas 2b" in body


def test_assigned_begeleider_may_record(client, begeleider, pupil):
    client.force_login(begeleider)
    assert client.post(url(pupil), DATA).status_code == 302


def test_school_leader_neither_records_nor_reads_advice(client, leader, alice, pupil):
    client.force_login(alice)
    client.post(url(pupil), DATA)
    client.force_login(leader)
    assert client.post(url(pupil), DATA).status_code == 403
    body = client.get(reverse("learners:pupil_detail", args=[pupil.code])).content.decode()
    assert "Hoe instructie geven?" not in body


def test_missing_question_rerenders_with_a_dutch_error(client, alice, pupil):
    client.force_login(alice)
    response = client.post(url(pupil), {**DATA, "question": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Consultation.objects.exists()


def test_outsider_gets_404(client, charlie, pupil):
    client.force_login(charlie)
    assert client.post(url(pupil), DATA).status_code == 404


def test_coordinator_creates_an_individual_arrangement(client, alice, pupil):
    from learners.models import Arrangement

    client.force_login(alice)
    response = client.post(
        reverse("learners:record_create", args=[pupil.code, "arrangement"]),
        {
            "scope": "individueel",
            "setting": "ambulant",
            "hours_per_week": "2",
            "individual_share": "60",
            "start": "2026-11-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    arrangement = Arrangement.objects.get(pupil=pupil)
    assert arrangement.region == pupil.region
