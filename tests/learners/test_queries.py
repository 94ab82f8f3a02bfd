"""The pupil list runs a fixed number of queries, whatever the number of pupils."""

from datetime import date

import pytest
from django.urls import reverse

from learners.models import Arrangement, PlacementCase, Pupil
from tests.factories import school_in
from tests.learners.factories import begeleider_of

pytestmark = pytest.mark.django_db
MAX_QUERIES = 14  # 13 to read (one of them the (v)so-location choices), one INSERT for the log


def make_pupils(region, schools, n, begeleider):
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                code=f"LL-Q{i:04d}",
                region=region,
                target_group="tos" if i % 3 else "dsh",
                first_name=f"Kind{i}",
                current_school=schools[i % len(schools)],
            )
            for i in range(n)
        ]
    )
    PlacementCase.objects.bulk_create(
        [PlacementCase(pupil=p, reason="sluiting", status="verkennen") for p in pupils[::2]]
    )
    arrangements = Arrangement.objects.bulk_create(
        [Arrangement(region=region, pupil=p, start=date(2026, 1, 1)) for p in pupils[::3]]
    )
    Arrangement.begeleiders.through.objects.bulk_create(
        [Arrangement.begeleiders.through(arrangement=a, user=begeleider) for a in arrangements]
    )


@pytest.mark.parametrize("n", [10, 1000])
@pytest.mark.parametrize("who", ["coordinator", "begeleider", "leader"])
def test_pupil_list_query_count_is_constant(
    client, region, alice, leader, school, n, who, django_assert_max_num_queries
):
    begeleider = begeleider_of(region)
    make_pupils(region, [school, school_in(region)], n, begeleider)
    user = {"coordinator": alice, "begeleider": begeleider, "leader": leader}[who]
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("learners:pupil_list") + "?status=verkennen")
    assert response.status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("learners:pupil_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "LL-Q0000" in response.text


@pytest.mark.parametrize("n", [10, 1000])
def test_figures_query_count_is_constant(
    client, region, bob, school, n, django_assert_max_num_queries
):
    make_pupils(region, [school], n, begeleider_of(region))
    client.force_login(bob)
    # The filter form looks its choice up (one query); the count stays the same at any size.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("learners:figures") + f"?regio={region.pk}")
    assert response.status_code == 200
