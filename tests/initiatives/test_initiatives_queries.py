"""The initiative list and detail answer in a fixed number of queries at 10 and 300."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative, InitiativePartner, StatusChange
from tests.factories import school_in
from tests.initiatives.initiative_factories import InitiativeFactory
from tests.learners.factories import PlacementFactory, PupilFactory
from toolkit.models import RegionAction, WerkagendaLine

pytestmark = pytest.mark.django_db

# Session and user (with the savepoints of a session save), scope; the list: regions, types,
# the page and its count; the detail: the initiative, partners, status history, lines,
# actions, partner choices of the region, the pupil counts and outlook (pupils, placements,
# arrangements, decisions) and the audit history.
MAX_QUERIES = {"list": 10, "detail": 22}


def fill(region, user, n):
    school = school_in(region)
    line = WerkagendaLine.objects.get(number=2)
    initiatives = [InitiativeFactory(region=region, name=f"Initiatief {i:03d}") for i in range(n)]
    InitiativePartner.objects.bulk_create(
        [InitiativePartner(initiative=i, school=school, role="partnerschool") for i in initiatives]
        + [
            InitiativePartner(initiative=i, other_name="Zorg", role="zorgpartner")
            for i in initiatives
        ]
    )
    busy = initiatives[0]
    InitiativePartner.objects.bulk_create(
        InitiativePartner(initiative=busy, other_name=f"Partner {k}", role="anders")
        for k in range(n)
    )
    StatusChange.objects.bulk_create(
        StatusChange(initiative=busy, from_status="idee", to_status="verkenning", reason=f"r{k}")
        for k in range(n)
    )
    actions = [
        RegionAction.objects.create(region=region, line=line, title=f"A{k}")
        for k in range(n // 10 + 1)
    ]
    busy.actions.set(actions)
    busy.lines.set(WerkagendaLine.objects.all())
    for _k in range(n // 10 + 1):
        PlacementFactory(
            pupil=PupilFactory(region=region, current_school=school), to_school=school_in(region)
        )
    for k in range(3):
        busy.name = f"Initiatief 000 ({k})"
        busy.save()  # audit entries for the history
    return busy


@pytest.mark.parametrize("n", [10, 300])
@pytest.mark.parametrize("page", ["list", "detail"])
def test_constant_queries(client, region, alice, django_assert_max_num_queries, n, page):
    busy = fill(region, alice, n)
    client.force_login(alice)
    url = reverse("initiatives:initiative_list") if page == "list" else busy.get_absolute_url()
    client.get(url)  # warm the content-type cache, as a running server has
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200
    assert Initiative.objects.count() == n
