import pytest
from django.utils import timezone

from learners import demo
from learners.models import CheckIn, Conversation, PlacementCase, Pupil
from learners.selectors import deadlines_for, pupils_for, unclear_duty_of_care
from regions import demo as regions_demo

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Pupil, PlacementCase, CheckIn, Conversation)] + [
        sorted(Pupil.objects.values_list("code", flat=True))
    ]


def test_demo_is_idempotent_and_meaningful():
    context = regions_demo.seed()
    demo.seed(context)
    first = counts()
    demo.seed(regions_demo.seed())
    assert counts() == first
    assert 35 <= first[0] <= 45
    users = context["users"]
    # One placement blocked on transport only.
    blocked = [c for c in PlacementCase.objects.all() if c.enrolment_blockers() == ["het vervoer"]]
    assert len(blocked) == 1 and blocked[0].from_location.name == "vso De Kade (fictief)"
    assert pupils_for(users["schoolleider"]).exists()
    assert pupils_for(users["manager"]).count() == 0
    mine = pupils_for(users["begeleider"])
    assert 0 < mine.count() < Pupil.objects.count()
    today = timezone.localdate()
    items = deadlines_for(users["begeleider"])
    assert any(d.kind == "vervolgcontact" and d.overdue for d in items)
    assert CheckIn.objects.filter(done_on__isnull=True, due_date__gt=today).exists()
    assert unclear_duty_of_care(Pupil.objects.all())
    assert not Pupil.objects.filter(region=context["other_region"]).exists()


def test_demo_shows_access_that_ended_and_a_pupil_who_left():
    context = regions_demo.seed()
    demo.seed(context)
    users = context["users"]
    left = Pupil.objects.get(code=demo.demo_code(39))
    assert not left.is_active
    assert pupils_for(users["coordinator"]).filter(pk=left.pk).exists()
    ended = Pupil.objects.get(code=demo.demo_code(37))
    assert ended.arrangements.filter(begeleiders=users["begeleider"]).exists()
    assert not pupils_for(users["begeleider"]).filter(pk__in=[ended.pk, left.pk]).exists()
