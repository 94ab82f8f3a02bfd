import pytest
from django.core.exceptions import ValidationError

from tests.factories import coordinator_of
from tests.toolkit.factories import RegionItemProgressFactory, item, measure
from toolkit import services
from toolkit.models import RegionItemProgress, RegionMeasure

pytestmark = pytest.mark.django_db


def test_a_row_created_meanwhile_is_a_conflict_not_an_overwrite(region):
    new = services._locked_or_new(RegionItemProgress, 0, region=region, item=item())
    assert new.pk is None
    RegionItemProgressFactory(region=region, item=item(), status="done", note="eerst")
    new.status = "in_progress"
    with pytest.raises(services.ConflictError) as info:
        services._save_new_or_existing(new, RegionItemProgress, region=region, item=item())
    assert info.value.current.note == "eerst"
    assert RegionItemProgress.objects.get().status == "done"


def test_stale_version_is_refused(region, alice):
    services.update_item_progress(region=region, item=item(), version=0, status="in_progress")
    with pytest.raises(services.ConflictError) as info:
        services.update_item_progress(region=region, item=item(), version=0, status="done")
    assert info.value.current.status == "in_progress"
    progress = services.update_item_progress(
        region=region, item=item(), version=1, status="done", owner=alice
    )
    assert (progress.status, progress.version, progress.owner) == ("done", 2, alice)


def test_owner_from_another_region_is_refused(region, other_region):
    with pytest.raises(ValidationError):
        services.update_item_progress(
            region=region,
            item=item(),
            version=0,
            status="done",
            owner=coordinator_of(other_region),
        )


def test_not_relevant_requires_a_reason_and_national_measures_are_refused(region):
    with pytest.raises(ValidationError):
        services.decide_measure(
            region=region, measure=measure("2.R.1"), version=0, decision="not_relevant"
        )
    with pytest.raises(ValidationError):
        services.decide_measure(
            region=region, measure=measure("2.L.1"), version=0, decision="adopted"
        )
    assert not RegionMeasure.objects.exists()
    record = services.decide_measure(
        region=region, measure=measure("2.R.1"), version=0, decision="not_relevant", reason=" x "
    )
    assert record.reason == "x"
    record = services.decide_measure(
        region=region, measure=measure("2.R.1"), version=1, decision="adopted", reason="Toelichting"
    )
    assert record.reason == "Toelichting"  # kept as a note, never silently dropped


def test_reopen_puts_a_started_action_back_in_progress(region):
    from tests.toolkit.factories import RegionActionFactory

    action = RegionActionFactory(region=region, status="done")
    action = services.set_action_status(region=region, action_id=action.pk, version=0, done=False)
    assert action.status == "in_progress"
    assert action.version == 1
