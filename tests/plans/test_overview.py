"""The institution overview (/instelling/): the manager's regions side by side, every pupil
count in bands of 5 that no sum can undo, each region's latest frozen plan one click away."""

from datetime import date
from itertools import product
from math import inf

import pytest
from django.urls import reverse

from learners.models import PlacementCase
from plans.models import DocumentStatus, PlanDocument
from plans.overview import institution_overview
from regions.models import Location
from tests.factories import RegionFactory, manager_of, school_in
from tests.learners.factories import PupilFactory

URL = reverse("plans:institution_overview")


def pupils_with_status(region, school, status, n):
    for _i in range(n):
        pupil = PupilFactory(region=region, current_school=school)
        if status is not None:
            case = PlacementCase.objects.create(pupil=pupil, reason="ouders")
            # The status follows the steps' dates; set it straight for the figures.
            PlacementCase.objects.filter(pk=case.pk).update(status=status)


def fill(region, counts):
    school = school_in(region)
    for status, n in counts.items():
        pupils_with_status(region, school, status, n)


def card_of(page, region):
    return next(card for card in page["regions"] if card.region == region)


def test_manager_sees_every_region_of_the_institution(client, region):
    second = RegionFactory(institution=region.institution, name="Regio Oost")
    elsewhere = RegionFactory(name="Regio Elders")
    client.force_login(manager_of(region.institution))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert region.name in html and second.name in html
    assert elsewhere.name not in html


def test_main_menu_and_home_lead_the_manager_there(client, bob, alice):
    client.force_login(bob)
    home = client.get(reverse("plans:home")).content.decode()
    assert home.count(f'href="{URL}"') == 2  # the menu entry and the link block
    client.force_login(alice)
    assert URL not in client.get(reverse("plans:home")).content.decode()


@pytest.mark.parametrize("who", ["alice", "charlie", "leader"])
def test_other_roles_do_not_find_the_page(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_three_pupils_of_a_status_show_as_less_than_five(client, region):
    fill(region, {None: 12, "nieuw": 3, "verkennen": 7})
    client.force_login(manager_of(region.institution))
    response = client.get(URL)
    card = card_of(response.context, region)
    shown = dict(card.by_status)
    assert shown["nog niet gestart"] == "<5"
    assert shown["opties verkend"] == "5-9"
    html = response.content.decode()
    assert "&lt;5" in html
    assert ">3<" not in html and ">7<" not in html and ">22<" not in html


def attacker_pins(page):
    """An independent calculator: every published number as the range it can mean, then
    every sum the page shows (a region is its status cells; a status row of all regions is
    its region cells; all regions are the total) until nothing changes. Returns the cells
    pinned to one value from 1 to 4."""

    def rng(shown):
        if shown in (0, "0"):
            return (0, 0)
        if shown == "<5":
            return (1, 4)
        low, _sep, high = str(shown).partition("-")
        if "of meer" in str(shown):
            return (int(str(shown).split()[0]), inf)
        return (int(low), int(high or low))

    known, sums = {}, []
    known["total"] = rng(page["total"])
    statuses = [label for label, _n in page["by_status"]]
    for label, n in page["by_status"]:
        known["status", label] = rng(n)
    for card in page["regions"]:
        r = card.region.pk
        known["region", r] = rng(card.total) if card.total is not None else (0, inf)
        for label in statuses:
            known[r, label] = (0, inf)
        for label, n in card.by_status:
            known[r, label] = rng(n)
        sums.append(([(r, label) for label in statuses], ("region", r)))
    regions = [card.region.pk for card in page["regions"]]
    for label in statuses:
        sums.append(([(r, label) for r in regions], ("status", label)))
    sums.append(([("region", r) for r in regions], "total"))
    for _round in range(1000):
        before = dict(known)
        for parts, whole in sums:
            lo = sum(known[p][0] for p in parts)
            hi = sum(known[p][1] for p in parts)
            w_lo, w_hi = known[whole]
            known[whole] = w_lo, w_hi = max(w_lo, lo), min(w_hi, hi)
            for p in parts:
                p_lo, p_hi = known[p]
                known[p] = (max(p_lo, w_lo - (hi - p_hi)), min(p_hi, w_hi - (lo - p_lo)))
        if known == before:
            break
    return {cell for cell, (lo, hi) in known.items() if lo == hi and 1 <= lo <= 4}


def test_sums_across_regions_do_not_give_a_hidden_count_away(region):
    """Four of each of five statuses in one region under its band "20-24" are each 4 (the
    region cannot be more than 5 x 4): the overview leaves that region's breakdown out,
    and as long as the other region's cells and the status rows of all regions would give
    them back (10-14 beside 10-14: at most 4), that region's breakdown too."""
    second = RegionFactory(institution=region.institution)
    statuses = [None, "nieuw", "verkennen", "school", "regelen"]
    fill(region, dict.fromkeys(statuses, 4))
    fill(second, dict.fromkeys(statuses, 12))
    manager = manager_of(region.institution)
    page = institution_overview(manager)
    assert card_of(page, region).breakdown_withheld
    assert card_of(page, region).by_status == []
    assert card_of(page, second).by_status  # 15-19 minus 10-14: up to 9, nothing pinned
    assert attacker_pins(page) == set()


def test_a_breakdown_that_gives_another_region_away_is_left_out_too(region):
    second = RegionFactory(institution=region.institution)
    statuses = [None, "nieuw", "verkennen", "school", "regelen"]
    fill(region, dict.fromkeys(statuses, 4))
    fill(second, dict.fromkeys(statuses, 10))
    page = institution_overview(manager_of(region.institution))
    assert card_of(page, region).by_status == card_of(page, second).by_status == []
    assert attacker_pins(page) == set()


@pytest.mark.parametrize("small", range(1, 5))
def test_no_cell_is_pinned_on_edge_datasets(region, small):
    """Regions on the edges of their bands, with small cells: whatever is shown, the
    calculator pins nothing."""
    second = RegionFactory(institution=region.institution)
    third = RegionFactory(institution=region.institution)
    fill(region, {None: 5 - small, "nieuw": small})
    fill(second, {None: 10, "nieuw": 5 - small, "verkennen": small + 5})
    fill(third, {"nieuw": small, "verkennen": 10 - small})
    page = institution_overview(manager_of(region.institution))
    assert attacker_pins(page) == set()


def test_closing_location_counts_its_pupils_without_a_place(region):
    school = school_in(region)
    closing = Location.objects.create(
        institution=region.institution,
        region=region,
        name="vso Sluit",
        place="X",
        status=Location.Status.PHASING_OUT,
        closing_date=date(2027, 8, 1),
    )
    for _i in range(6):  # still there, no placement yet
        PupilFactory(region=region, current_location=closing)
    placed = PupilFactory(region=region, current_school=school)
    case = PlacementCase.objects.create(pupil=placed, reason="sluiting", from_location=closing)
    PlacementCase.objects.filter(pk=case.pk).update(status="ingeschreven")
    fill(region, {None: 10})
    page = institution_overview(manager_of(region.institution))
    assert card_of(page, region).closing == [(closing, "5-9")]


def frozen(region, number, status=DocumentStatus.READY):
    return PlanDocument.objects.create(region=region, number=number, snapshot={}, status=status)


def test_latest_ready_frozen_plan_is_one_click_away(client, region, other_region):
    frozen(region, 1)
    latest = frozen(region, 2)
    frozen(region, 3, status=DocumentStatus.RENDERING)  # not ready yet
    PlanDocument.objects.create(region=region, snapshot={}, status=DocumentStatus.READY)  # export
    abroad = frozen(other_region, 7)  # another institution's region
    client.force_login(manager_of(region.institution))
    html = client.get(URL).content.decode()
    assert reverse("plans:plan_download", args=[region.pk, latest.pk]) in html
    links = [
        reverse("plans:plan_download", args=[doc.region_id, doc.pk])
        for doc in PlanDocument.objects.exclude(pk=latest.pk)
    ]
    assert not any(f'href="{link}"' in html for link in links)
    assert abroad.region.name not in html


def test_region_without_a_frozen_plan_says_so(client, region):
    frozen(region, 1, status=DocumentStatus.FAILED)
    client.force_login(manager_of(region.institution))
    html = client.get(URL).content.decode()
    assert "Nog geen vastgestelde versie" in html
    assert "/download/" not in html


def build(institution, n_regions, n_pupils):
    for i, _j in product(range(n_regions), [0]):
        region = RegionFactory(institution=institution, name=f"Regio {i}")
        fill(region, {None: n_pupils, "nieuw": n_pupils, "ingeschreven": n_pupils})
        frozen(region, 1)
        Location.objects.create(
            institution=institution,
            region=region,
            name=f"Locatie {i}",
            place="X",
            status=Location.Status.PHASING_OUT,
            closing_date=date(2027, 8, 1),
        )


@pytest.mark.parametrize("n_regions, n_pupils", [(1, 2), (4, 6)])
def test_query_count_does_not_grow_with_regions_or_pupils(
    client, django_assert_max_num_queries, region, n_regions, n_pupils
):
    build(region.institution, n_regions, n_pupils)
    client.force_login(manager_of(region.institution))
    # One more than the overview itself: the regions whose data versions key the cache.
    with django_assert_max_num_queries(37):
        assert client.get(URL).status_code == 200
