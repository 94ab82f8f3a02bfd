"""The demo's transition plan: De Kade, with late items and pupils without a place."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from initiatives import selectors
from initiatives.models import CohortEntry, TransitionPlan


@pytest.mark.django_db
def test_seed_demo_builds_the_transition_plan_of_de_kade_twice_the_same():
    call_command("seed_demo", force=True, stdout=None)
    call_command("seed_demo", force=True, stdout=None)  # idempotent
    plan = TransitionPlan.objects.get(location__name="vso De Kade (fictief)")
    coordinator = User.objects.get(username="coordinator")
    items = selectors.late_transition_items(plan.region, user=coordinator)
    kinds = {item.kind for item in items}
    assert {"mijlpaal", "communicatie", "inspectie", "leerling"} <= kinds
    assert plan.milestones.filter(actual__isnull=False).exists()
    assert plan.questions.filter(status="beantwoord").exists()
    assert plan.questions.filter(status="open").exists()
    assert plan.staff.exists() and plan.enrolments.exists()
    assert CohortEntry.objects.filter(plan=plan).count() == 19
    cohort = selectors.cohort_for(coordinator, plan)
    assert 0 < cohort.counts["no_place"] < cohort.counts["total"]
