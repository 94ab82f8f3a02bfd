"""The demo's agreements: what the issue asks for, and idempotent."""

import pytest
from django.core.management import call_command

from initiatives.models import Agreement
from initiatives.selectors import agreements_for, agreements_needing_attention
from regions.models import Region


@pytest.mark.django_db
def test_demo_has_three_agreements_as_the_issue_asks():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    region = Region.objects.get(name="Regio Havenstad (demo)")
    agreements = Agreement.objects.filter(region=region)
    assert agreements.count() == 3
    disputed = agreements.get(status=Agreement.Status.DISPUTED)
    assert list(disputed.versions.values_list("number", flat=True)) == [1, 2]
    assert agreements.filter(status=Agreement.Status.SIGNED).count() == 2
    reasons = {item.agreement.title: item.reasons for item in agreements_needing_attention(region)}
    assert "loopt binnen 3 maanden af" in sum(reasons.values(), [])
    assert "betwist" in reasons[disputed.title]
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="schoolleider")
    assert list(agreements_for(leader)) == [disputed]
