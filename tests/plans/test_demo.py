import json

import pytest
from django.core.management import call_command

from learners.models import Pupil
from plans.models import Goal, Outcome, PlanText, RegionalPlan
from plans.snapshot import build_snapshot
from regions.models import Region
from toolkit.models import RegionAction

pytestmark = pytest.mark.django_db


def seed_demo():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_plan_is_filled_idempotently_and_its_snapshot_names_no_pupil():
    seed_demo()
    counts = (Goal.objects.count(), Outcome.objects.count(), PlanText.objects.count())
    seed_demo()
    assert counts == (Goal.objects.count(), Outcome.objects.count(), PlanText.objects.count())
    region = Region.objects.get(name="Regio Havenstad (demo)")
    assert RegionalPlan.objects.get(region=region).pressures
    assert 3 <= Goal.objects.filter(region=region).count() <= 5
    statuses = set(Outcome.objects.filter(goal__region=region).values_list("status", flat=True))
    assert statuses == {"achieved", "in_development", "to_start"}
    assert Goal.objects.filter(region=region, actions__isnull=False).exists()
    assert Goal.objects.filter(region=region, initiatives__isnull=False).exists()
    assert RegionAction.objects.filter(region=region).exclude(measurable_result="").count() >= 2
    text = json.dumps(build_snapshot(region), ensure_ascii=False)
    pupils = Pupil.objects.filter(region=region)
    assert pupils.exists()
    for pupil in pupils:
        assert pupil.code not in text
        assert f"{pupil.first_name} {pupil.last_name}" not in text
        assert pupil.date_of_birth.isoformat() not in text
