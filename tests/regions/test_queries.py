"""Pages issue a constant number of queries whatever the data size."""

import pytest
from django.urls import reverse

from regions.models import Level, SchoolContact
from tests.factories import RegionFactory, school_in

pytestmark = pytest.mark.django_db


def _grow(region, n):
    levels = list(Level.objects.all()[:3])
    for _ in range(n):
        school = school_in(region)
        school.levels.set(levels)
        SchoolContact.objects.create(school=school, name="C", role="ib")
    for _ in range(n // 5):
        region.swvs.add(RegionFactory().swvs.first())


@pytest.mark.parametrize("size", [5, 60])
@pytest.mark.parametrize(
    "name",
    [
        "plans:home",
        "regions:region_list",
        "regions:school_list",
        "regions:swv_list",
        "regions:gemeente_list",
    ],
)
def test_list_pages_have_constant_queries(
    client, alice, region, size, name, django_assert_max_num_queries
):
    _grow(region, size)
    client.force_login(alice)
    # The home page also sums deadlines (a COUNT per source), duty of care and overdue work.
    with django_assert_max_num_queries(22 if name == "plans:home" else 14):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_region_and_school_pages_have_constant_queries(
    client, alice, region, size, django_assert_max_num_queries
):
    _grow(region, size)
    school = school_in(region)
    client.force_login(alice)
    # The coordinator also sees who has access now (one query for every role in force)
    # and the school roles waiting because their school moved into the region (one more);
    # the partner schools come in pages (one COUNT).
    with django_assert_max_num_queries(17):
        client.get(reverse("regions:region_detail", args=[region.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("regions:school_detail", args=[school.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("regions:swv_detail", args=[school.swv_id]))
