"""Initiatives for tests (helper A of issue 9)."""

import factory

from initiatives.models import Initiative, InitiativePartner
from tests.factories import school_in
from toolkit.models import CooperationType


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiatief {n}")
    type = factory.LazyFunction(lambda: CooperationType.objects.get(slug="school-in-school"))
    pupils_typed = 8
    viability_minimum = 6


def partner_school(initiative, school, role="partnerschool"):
    return InitiativePartner.objects.create(initiative=initiative, school=school, role=role)


def add_outside_partner(client, url, other_region, **data):
    """Post a school of another region as partner: refused with the Dutch message."""
    outside = school_in(other_region)
    response = client.post(url, {"party": f"school:{outside.pk}", **data})
    assert response.status_code == 400
    assert "Deze partij hoort niet bij de regio." in response.content.decode()
