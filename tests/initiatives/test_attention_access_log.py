"""Every page that names a cohort pupil by code writes the access log: "Vraagt aandacht"
(region fragment, as htmx and as a page, and the coordinator's home page) and the plain
form pages of the cohort (the pupil select of a new row, the edit page of a row). A pupil
without a place is not "late" before the closing date: the item gives the closing date."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import CohortEntry
from initiatives.services import create_transition_plan
from learners.models import AccessLog
from regions.models import Location
from tests.learners.factories import LocationFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(region):
    """A location closing in about four months, with two pupils without a place."""
    closing = timezone.localdate() + timedelta(days=120)
    location = LocationFactory(
        region=region, status=Location.Status.PHASING_OUT, closing_date=closing
    )
    plan = create_transition_plan(location=location)
    pupils = [PupilFactory(region=region, current_location=location) for _ in range(2)]
    entry = CohortEntry.objects.create(plan=plan, pupil=pupils[0], outflow="plaatsing-nodig")
    return plan, pupils, entry


def pages(region, plan, entry):
    attention = reverse("initiatives:region_attention", args=[region.pk])
    return {
        "attention fragment": (attention, {"HX-Request": "true"}),
        "attention page": (attention, {}),
        "home page": (reverse("plans:home"), {}),
        "cohort pupil select": (
            reverse("initiatives:transition_row_create", args=[plan.pk, "leerlingen"]),
            {},
        ),
        "cohort row edit page": (
            reverse("initiatives:transition_row_edit", args=[plan.pk, "leerlingen", entry.pk]),
            {},
        ),
    }


@pytest.mark.parametrize(
    "which",
    [
        "attention fragment",
        "attention page",
        "home page",
        "cohort pupil select",
        "cohort row edit page",
    ],
)
def test_a_page_naming_cohort_pupils_writes_the_access_log(client, alice, region, cohort, which):
    plan, pupils, entry = cohort
    url, headers = pages(region, plan, entry)[which]
    client.force_login(alice)
    before = AccessLog.objects.filter(user=alice).count()
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    shown = [p for p in pupils if p.code in body]
    assert shown, "the page names the pupils"
    logged = set(
        AccessLog.objects.filter(user=alice)
        .order_by("pk")[before:]
        .values_list("pupil_id", flat=True)
    )
    assert {p.pk for p in shown} <= logged


def test_a_pupil_without_a_place_is_dated_by_the_closing_not_late_since(client, alice, cohort):
    plan, pupils, _entry = cohort
    client.force_login(alice)
    body = client.get(reverse("plans:home")).content.decode()
    closing = plan.location.closing_date
    (item,) = [li for li in re.findall(r"<li>(.*?)</li>", body, re.S) if pupils[0].code in li]
    assert "te laat" not in item and "sinds" not in item
    assert "nog geen plaats" in item and "sluiting" in item
    assert str(closing.year) in item
