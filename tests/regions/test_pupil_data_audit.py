"""Audit entries of pupil data, in whichever app the model lives (learners, the cohort of
a transition plan), stay out of the functional admin's feed on the home page and out of
the audit log in Django admin, also for a superuser."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from initiatives.models import CohortEntry
from initiatives.services import create_transition_plan
from learners.models import Pupil
from regions.models import Location, Role
from regions.pupil_data import pupil_data_models
from regions.selectors import recent_changes
from tests.factories import UserFactory, user_with_role
from tests.learners.factories import LocationFactory, PupilFactory

pytestmark = pytest.mark.django_db


def models_pointing_at_pupils():
    return {
        model
        for model in apps.get_models()
        if any(f.many_to_one and f.related_model is Pupil for f in model._meta.concrete_fields)
    }


def test_every_model_that_points_at_a_pupil_is_pupil_data():
    found = pupil_data_models()
    assert Pupil in found and CohortEntry in found
    assert models_pointing_at_pupils() <= found
    assert all(m._meta.app_label in {"learners", "initiatives"} for m in found)


@pytest.fixture
def pupil_entries(region):
    location = LocationFactory(
        region=region, status=Location.Status.PHASING_OUT, closing_date=date(2030, 8, 1)
    )
    plan = create_transition_plan(location=location)
    pupil = PupilFactory(region=region, current_location=location)
    CohortEntry.objects.create(plan=plan, pupil=pupil, outflow="natuurlijke-uitstroom")
    kinds = ContentType.objects.get_for_models(*pupil_data_models()).values()
    entries = list(LogEntry.objects.filter(content_type__in=kinds))
    # The world really has entries of pupil data in two apps.
    assert {e.content_type.app_label for e in entries} >= {"learners", "initiatives"}
    return pupil, entries


def test_admin_feed_leaves_out_every_model_with_pupil_data(client, region, pupil_entries):
    pupil, entries = pupil_entries
    admin = user_with_role(Role.BEHEERDER)
    shown = recent_changes(admin, limit=1000)
    assert shown  # the transition plan and its parts are region work
    pupil_models = pupil_data_models()
    assert not [e for e in shown if e.content_type.model_class() in pupil_models]
    client.force_login(admin)
    assert pupil.code not in client.get(reverse("plans:home")).content.decode()


def test_admin_audit_log_leaves_out_every_model_with_pupil_data(client, pupil_entries):
    pupil, entries = pupil_entries
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert pupil.code not in listing.content.decode()
    for entry in entries:
        detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
        assert detail.status_code == 302, entry.content_type  # "does not exist"
