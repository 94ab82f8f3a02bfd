"""Every date of an initiative, agreement or transition plan has a floor: a typed year
like 1899 gets a Dutch message and saves nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from initiatives.models import Agreement, Initiative, Milestone
from initiatives.services import create_transition_plan
from tests.initiatives.test_initiatives import _form_data
from tests.initiatives.test_transition import closing_location, post_row

pytestmark = pytest.mark.django_db

TOO_EARLY = "Een datum vóór 1990 kan niet kloppen."


def test_every_date_field_of_the_app_has_the_floor():
    from django.apps import apps

    from regions.validators import plausible_date

    for model in apps.get_app_config("initiatives").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                assert plausible_date in field.validators, f"{model.__name__}.{field.name}"


def test_an_initiative_starting_in_1899_is_refused(client, alice, region):
    client.force_login(alice)
    url = reverse("initiatives:initiative_create", args=[region.pk])
    response = client.post(url, _form_data(region, start_date="1899-03-01"))
    assert response.status_code == 400
    assert TOO_EARLY in response.content.decode()
    assert not Initiative.objects.exists()


def test_a_plan_row_in_1899_is_refused(client, alice, region):
    plan = create_transition_plan(location=closing_location(region))
    milestone = plan.milestones.first()
    response = post_row(
        client,
        alice,
        plan,
        "mijlpalen",
        {"kind": milestone.kind, "planned": "1899-03-01", "version": 0},
        pk=milestone.pk,
    )
    assert response.status_code == 400
    assert TOO_EARLY in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).planned is None


def test_an_agreement_ending_in_1899_is_refused(region):
    agreement = Agreement(region=region, title="Oud", subject=Agreement.Subject.TLV)
    agreement.end = date(1899, 3, 1)
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert TOO_EARLY in refused.value.message_dict["end"]
