"""Figures that could seem to disagree say which number they are: the typed number on
the list and in "needs attention", the counted one on the detail page, and the late
items of the transition list without pupils."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Milestone
from initiatives.services import create_transition_plan
from tests.initiatives.initiative_factories import InitiativeFactory, partner_school
from tests.initiatives.test_transition import closing_location
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_attention_says_the_number_is_the_typed_one(client, alice, region):
    InitiativeFactory(region=region, name="Klein", pupils_typed=2, viability_minimum=6)
    client.force_login(alice)
    url = reverse("initiatives:region_attention", args=[region.pk])
    page = client.get(url).content.decode()
    assert "2 leerlingen (ingevuld), minimum 6" in page


def test_the_counted_warning_says_it_counts_from_the_registry(client, alice, region, school):
    initiative = InitiativeFactory(region=region, pupils_typed=9, viability_minimum=6)
    partner_school(initiative, school)
    PupilFactory(region=region, current_school=school)
    client.force_login(alice)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Ingevuld aantal" in page and "Geteld uit de leerlingregistratie" in page
    assert "Onder het minimum: 1 leerlingen geteld uit de leerlingregistratie" in page


def test_the_transition_list_says_its_late_count_leaves_pupils_out(client, bob, region):
    plan = create_transition_plan(location=closing_location(region))
    yesterday = timezone.localdate() - timedelta(days=1)
    Milestone.objects.filter(plan=plan, kind="plan").update(planned=yesterday)
    client.force_login(bob)
    page = client.get(reverse("initiatives:transition_list")).content.decode()
    assert "Te laat (zonder leerlingen)" in page
