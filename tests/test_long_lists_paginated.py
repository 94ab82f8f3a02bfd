"""Long lists come in pages: the deadlines (100 a page), the per-school figures (100 a
page) and the partner schools on the region page (50 a page)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from learners.models import AccessLog, CheckIn
from learners.selectors import today
from regions.models import School
from tests.factories import school_in
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_deadlines_in_pages_with_every_item_counted(client, alice, region):
    pupil = PupilFactory(region=region)
    day = today()
    CheckIn.objects.bulk_create(
        [
            CheckIn(pupil=pupil, months_after=n, due_date=day - timedelta(days=1 + n % 60))
            for n in range(130)
        ]
        + [
            CheckIn(pupil=pupil, months_after=n, due_date=day + timedelta(days=n % 50))
            for n in range(20)
        ]
    )
    client.force_login(alice)
    first = client.get(reverse("learners:deadlines"))
    assert first.context["page"].paginator.count == 150
    assert len(first.context["overdue"]) + len(first.context["upcoming"]) == 100
    assert (first.context["n_overdue"], first.context["n_upcoming"]) == (130, 20)
    assert "(130)" in first.text
    assert "page=2" in first.text
    second = client.get(reverse("learners:deadlines") + "?page=2")
    assert len(second.context["upcoming"]) == 20  # the overdue ones came first
    assert len(second.context["overdue"]) == 30


def test_deadlines_page_logs_only_the_pupils_it_shows(client, alice, region):
    day = today()
    for n in range(3):
        pupil = PupilFactory(region=region)
        CheckIn.objects.bulk_create(
            [
                CheckIn(pupil=pupil, months_after=k, due_date=day - timedelta(days=n))
                for k in range(60)
            ]
        )
    client.force_login(alice)
    client.get(reverse("learners:deadlines"))
    # 180 rows sorted by date: the first page (100 rows) shows the two most overdue pupils.
    assert AccessLog.objects.filter(detail="deadlines").count() == 2


def test_per_school_figures_in_pages(client, alice, region):
    schools = [school_in(region) for _ in range(105)]
    for school in schools:
        PupilFactory(region=region, current_school=school)
    client.force_login(alice)
    url = reverse("learners:figures") + f"?regio={region.pk}"
    first = client.get(url)
    assert len(first.context["school_rows"]) == 100
    assert f"regio={region.pk}&amp;page=2" in first.text
    second = client.get(url + "&page=2")
    assert len(second.context["school_rows"]) == 5
    assert second.context["figures"]["total"] == 105  # counted over every school


def test_partner_schools_on_the_region_page_in_pages(client, alice, region):
    for _ in range(55):
        school_in(region)
    School.objects.update(is_partner=True)
    client.force_login(alice)
    url = reverse("regions:region_detail", args=[region.pk])
    assert len(client.get(url).context["partner_schools"]) == 50
    assert len(client.get(url + "?page=2").context["partner_schools"]) == 5
