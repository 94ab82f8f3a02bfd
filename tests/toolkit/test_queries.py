"""The region pages answer in a fixed number of queries, whatever the amount of work."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import school_in
from tests.toolkit.factories import RegionActionFactory, RegionItemProgressFactory
from toolkit.models import Measure, RegionMeasure, ToolkitItem, WerkagendaLine

pytestmark = pytest.mark.django_db

# Session (read, user, save: 5), scope, region, users, content, work and its history;
# the werkagenda also the initiatives linked to its actions (one prefetch).
# The dashboard's recent changes: region work from the indexed AuditRegion, partner
# changes by object, then the entries themselves (one query more than the JSON walk).
MAX_QUERIES = {"toolkit": 15, "werkagenda": 19, "dashboard": 17}


def fill(region, owner, n_actions):
    today = timezone.localdate()
    schools = [school_in(region) for _ in range(3)]
    swv = region.swvs.first()
    items = list(ToolkitItem.objects.all())
    measures = list(Measure.objects.exclude(level="landelijk"))
    for i, item in enumerate(items[: min(n_actions, len(items))]):
        RegionItemProgressFactory(
            region=region,
            item=item,
            status=["in_progress", "done"][i % 2],
            owner=owner,
            due_date=today - datetime.timedelta(days=i - 5),
        )
    for m in measures[: min(n_actions, len(measures))]:
        RegionMeasure.objects.create(region=region, measure=m, decision="adopted")
    for i in range(n_actions):
        m = measures[i % len(measures)]
        action = RegionActionFactory(
            region=region,
            measure=m,
            line=m.line,
            owner=owner,
            status=["planned", "in_progress", "done"][i % 3],
            deadline=today + datetime.timedelta(days=i - n_actions // 2),
        )
        action.schools.set(schools[: 1 + i % 3])
        action.swvs.set([swv])
        action.status = "done"
        action.save()  # a second audit entry for the history


@pytest.mark.parametrize("n_actions", [10, 200])
@pytest.mark.parametrize("page_name", ["toolkit", "werkagenda", "dashboard"])
def test_constant_queries(
    client, region, alice, django_assert_max_num_queries, n_actions, page_name
):
    fill(region, alice, n_actions)
    client.force_login(alice)
    url = reverse(f"toolkit:{page_name}", args=[region.pk])
    if page_name == "werkagenda":
        # Every line opened: the most the page renders (folded, it shows counts only).
        url += "?" + "&".join(f"lijn={line.number}" for line in WerkagendaLine.objects.all())
    client.get(url)  # warm the content-type cache, as a running server has
    with django_assert_max_num_queries(MAX_QUERIES[page_name]):
        response = client.get(url)
    assert response.status_code == 200
    if page_name == "werkagenda":
        assert response.content.decode().count('id="actie-') == n_actions


def test_toolkit_page_gathers_no_history(client, region, alice, monkeypatch):
    """The page's rows are closed and show no history; only an opened row gathers it."""
    from toolkit import selectors

    fill(region, alice, 3)
    gathered = []
    real = selectors.histories
    monkeypatch.setattr(
        selectors, "histories", lambda *a, **kw: gathered.append(a[0]) or real(*a, **kw)
    )
    client.force_login(alice)
    assert client.get(reverse("toolkit:toolkit", args=[region.pk])).status_code == 200
    assert gathered == []
    slug = ToolkitItem.objects.first().slug
    opened = client.get(
        reverse("toolkit:item_progress", args=[region.pk, slug]), headers={"HX-Request": "true"}
    )
    assert opened.status_code == 200 and len(gathered) == 1
