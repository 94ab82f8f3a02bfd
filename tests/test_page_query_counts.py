"""Every main page issues a number of queries that does not grow with the data: each page
at 3 and at 30 pupils, schools, actions and initiatives, under the same limit. Pages
already held to this elsewhere are not repeated here: the pupil list and the figures
(tests/learners/test_queries.py), the toolkit and werkagenda (tests/toolkit/test_queries.py),
the region page and the lists of partners (tests/regions/test_queries.py), the
initiatives list (tests/initiatives/test_initiatives_queries.py), the checklists list
(tests/checklists/test_queries.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from learners.models import CheckIn, DutyOfCare
from tests.factories import school_in
from tests.learners.factories import PlacementFactory
from tests.plans.test_plan import TODAY, fill_region

pytestmark = pytest.mark.django_db


def grow(region, n):
    """n pupils with a decision, a duty of care, a placement and a check-in due, n
    actions, n initiatives and n partner schools."""
    pupils = fill_region(region, pupils=n, actions=n, initiatives=n)
    for pupil in pupils:
        DutyOfCare.objects.create(
            pupil=pupil, holder_kind="instelling", institution=region.institution, start=TODAY
        )
        placement = PlacementFactory(pupil=pupil, enrolled_on=TODAY - timedelta(days=30))
        CheckIn.objects.create(pupil=pupil, placement=placement, due_date=TODAY)
    for _ in range(n):
        school_in(region)


PAGES = {
    # name: (user fixture, url, at most this many queries)
    "home (coordinator)": ("alice", lambda r: reverse("plans:home"), 28),
    "home (manager)": ("bob", lambda r: reverse("plans:home"), 16),
    "deadlines": ("alice", lambda r: reverse("learners:deadlines"), 16),
    "plan page": ("alice", lambda r: reverse("plans:plan", args=[r.pk]), 70),
    "institution overview": ("bob", lambda r: reverse("plans:institution_overview"), 40),
    "figures (manager)": ("bob", lambda r: reverse("learners:figures"), 20),
    "region page": ("alice", lambda r: reverse("regions:region_detail", args=[r.pk]), 17),
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_data(
    client, request, region, size, page, django_assert_max_num_queries
):
    who, url, limit = PAGES[page]
    grow(region, size)
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(limit):
        response = client.get(url(region))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_checklist_roll_up_queries_do_not_grow(
    client, alice, region, size, django_assert_max_num_queries
):
    from checklists.models import Assignment

    grow(region, size)
    slug = Assignment.objects.filter(region=region).first().template_version.template.slug
    client.force_login(alice)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("checklists:rollup", args=[slug]))
    assert response.status_code == 200
