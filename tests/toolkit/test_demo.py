import pytest
from django.utils import timezone

from regions.demo import seed as seed_regions
from toolkit.demo import seed
from toolkit.models import RegionAction, RegionItemProgress, RegionMeasure, ToolkitItem

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent():
    context = seed_regions()
    seed(context)
    region = context["region"]
    counts = (
        RegionItemProgress.objects.count(),
        RegionMeasure.objects.count(),
        RegionAction.objects.count(),
    )
    seed(context)
    assert counts == (
        RegionItemProgress.objects.count(),
        RegionMeasure.objects.count(),
        RegionAction.objects.count(),
    )
    total = ToolkitItem.objects.count()
    busy = RegionItemProgress.objects.filter(
        region=region, status__in=["in_progress", "done"]
    ).count()
    assert total * 0.4 <= busy <= total * 0.6
    today = timezone.localdate()
    assert RegionItemProgress.objects.filter(
        region=region, due_date__lt=today, status="in_progress"
    ).exists()
    owners = set(
        RegionItemProgress.objects.filter(region=region)
        .exclude(owner=None)
        .values_list("owner__username", flat=True)
    )
    assert owners == {"coordinator", "begeleider"}
    lines_with_actions = {
        n
        for n in RegionAction.objects.filter(region=region).values_list("line__number", flat=True)
        if RegionAction.objects.filter(region=region, line__number=n).count() >= 3
    }
    assert len(lines_with_actions) >= 2
    actions = RegionAction.objects.filter(region=region)
    assert actions.filter(status="done").exists()
    assert actions.filter(deadline__lt=today).exclude(status="done").exists()
    assert not RegionItemProgress.objects.filter(region=context["other_region"]).exists()


def test_demo_restores_content_on_a_flushed_database_but_never_overwrites_it():
    from toolkit.models import Measure

    m = Measure.objects.get(code="6.S.2")
    m.title = "Door de beheerder aangepast"
    m.save()
    context = seed_regions()
    seed(context)
    assert Measure.objects.get(code="6.S.2").title == "Door de beheerder aangepast"
    ToolkitItem.objects.all().delete()
    RegionAction.objects.all().delete()
    RegionMeasure.objects.all().delete()
    Measure.objects.all().delete()
    seed(context)
    assert ToolkitItem.objects.count() == 38
    assert Measure.objects.count() == 33
