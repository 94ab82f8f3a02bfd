"""The attacker's arithmetic: from every figures page a role can request, try to work out
each hidden count (1 to 4) exactly.

The attacker knows the rule (how a published number maps to the true counts it can
stand for) and how the figures fit together:
(a) within a table the rows add up to the total of the page;
(b) across filters a figure is the sum of the same figure for each school (plus the pupils
    without a school), and the figure for all regions the sum over the regions; the row of
    school S in the school table is the total of the page filtered on S;
(c) across tables every breakdown adds up to the same total, so one table's rows bound
    another's.
The attacker narrows the range of every number with these sums until nothing changes
(interval propagation), and with the number of schools that have exactly one pupil, where
a page states it. A hidden count is given away when its range shrinks to one value.
"""

from collections import defaultdict
from datetime import date

import pytest
from django.urls import reverse

from learners.models import Arrangement, PlacementCase, Pupil, TargetGroup
from regions.models import Level, Location, School
from regions.selectors import schools_for
from tests.factories import RegionFactory, coordinator_of, leader_of, manager_of, school_in
from tests.learners.factories import (
    ArrangementFactory,
    PlacementFactory,
    PupilFactory,
    assign,
    begeleider_of,
)

pytestmark = pytest.mark.django_db

INF = 10**6
TABLES = ("by_target_group", "by_level", "by_status")  # each adds up to the total
SUMMED = (*TABLES, "by_setting", "scalar")  # each row splits over schools and regions
OPEN = {"nieuw", "verkennen", "school", "regelen", "klaar"}


# --- the seeded region ----------------------------------------------------------


def seed():
    """A region with small cells: one deafblind pupil (at Het Baken College), a school with
    2 pupils, a school with 4 in four target groups, a setting with 3, a (v)so location
    with 4; and a second region of the same
    institution, so the manager also sees a figure over both."""
    noord = RegionFactory(name="Noord")
    zuid = RegionFactory(name="Zuid", institution=noord.institution)
    baken = school_in(noord, name="Het Baken College")
    linde = school_in(noord, name="De Linde")
    oost = school_in(noord, name="Mavo Oost")
    klein = school_in(noord, name="Het Kleine Lyceum")
    rijn = school_in(zuid, name="Rijnmond")
    kade = Location.objects.create(
        institution=noord.institution, region=noord, name="vso Kade", place="X"
    )
    havo = Level.objects.get_or_create(code="havo-t", defaults={"name": "havo-t", "order": 1})[0]
    vmbo = Level.objects.get_or_create(code="vmbo-t", defaults={"name": "vmbo-t", "order": 2})[0]
    spec = []  # (region, school, location, moved_from, group, level, status, setting)
    for i in range(13):
        group = "tos" if i < 9 else ("dsh" if i < 12 else "doofblind")
        status = "ingeschreven" if i in (0, 1) else ("regelen" if i == 2 else None)
        setting = "symbiose" if i in (3, 4) else "ambulant"
        spec.append((noord, baken, None, None, group, havo if i % 3 else vmbo, status, setting))
    spec.append((noord, linde, None, None, "tos", havo, "verkennen", "ambulant"))
    spec.append((noord, linde, None, None, "dsh", vmbo, None, "ambulant"))
    for i in range(6):
        spec.append((noord, oost, None, None, "tos", havo, None, "symbiose" if i == 0 else None))
    spec.append((noord, oost, None, kade, "tos", vmbo, "ingeschreven", "ambulant"))
    # Four pupils in four target groups: four rows "<5" under a total "<5" are each 1.
    for group in ("tos", "dsh", "cmb", "anders"):
        spec.append((noord, klein, None, None, group, havo, None, "ambulant"))
    for group in ("dsh", "dsh", "cmb"):
        spec.append((noord, None, kade, None, group, None, "verkennen", "vso"))
    for i in range(9):
        spec.append((zuid, rijn, None, None, "dsh" if i == 0 else "tos", havo, None, "ambulant"))
    pupils = []
    for region, school, location, moved_from, group, level, status, setting in spec:
        pupil = PupilFactory(
            region=region,
            current_school=school,
            current_location=location,
            target_group=group,
            level=level,
        )
        if status or moved_from:
            PlacementFactory(pupil=pupil, status=status or "nieuw", from_location=moved_from)
        if setting:
            ArrangementFactory(pupil=pupil, setting=setting, start=date(2025, 8, 1))
        pupils.append(pupil)
    return noord, zuid, baken, kade, pupils


# --- truth, computed here from the seeded pupils -----------------------------------


def true_counts(pupils, regio, locatie, school, *, regions):
    status_labels = dict(PlacementCase.Status.choices)
    status_labels[None] = "geen plaatsing"
    counts = defaultdict(int)
    for pupil in pupils:
        latest = pupil.placements.order_by("-created_at", "-pk").first()
        moved_from = {p.from_location_id for p in pupil.placements.all()}
        if pupil.region_id != (regio or pupil.region_id) or pupil.region_id not in regions:
            continue
        if locatie and pupil.current_location_id != locatie and locatie not in moved_from:
            continue
        if school and pupil.current_school_id != school:
            continue
        counts[("scalar", "total")] += 1
        counts[("by_target_group", str(TargetGroup(pupil.target_group).label))] += 1
        counts[("by_level", pupil.level.name if pupil.level else "onbekend")] += 1
        status = latest.status if latest else None
        counts[("by_status", str(status_labels[status]))] += 1
        if status in OPEN:
            counts[("scalar", "not_enrolled")] += 1
        for setting in {a.setting for a in pupil.arrangements.all()}:
            counts[("by_setting", str(Arrangement.Setting(setting).label))] += 1
        if pupil.current_school_id:
            counts[("schools", pupil.current_school.name)] += 1
    return counts


# --- what the attacker reads --------------------------------------------------------


def interval(value, rounded_to):
    """The true counts a published value can stand for, under the page's rule."""
    if isinstance(value, str):
        text = value.strip()
        if text == "<5":
            return (1, 4)
        if "-" in text:
            low, high = text.split("-")
            return (int(low), int(high))
        if text == "x":
            return (0, INF)
        if text.endswith(" of meer"):
            return (int(text.split()[0]), INF)
        if text.startswith("ca. "):
            n = int(text[4:])
            return (max(n - 2, 5), n + 2)
        value = int(text)
    if rounded_to and value:
        half = rounded_to // 2
        return (max(value - half, rounded_to), value + half)
    return (value, value)


def read_page(figures, rounded_to):
    """{(table, label): (lo, hi)} for every number on the page."""
    shown = {}
    shown[("scalar", "total")] = interval(figures["total"], rounded_to)
    if figures.get("only_total"):  # a filtered page of a rounded role: nothing else
        return shown
    shown[("scalar", "not_enrolled")] = interval(figures["not_enrolled"], rounded_to)
    for table in (*TABLES, "by_setting"):
        for row in figures[table]:
            shown[(table, str(row["label"]))] = interval(row["count"], rounded_to)
    for row in figures["schools"]:
        shown[("schools", row["name"])] = interval(row["count"], rounded_to)
    for table in ("by_region", "by_location"):  # each row links to its own page
        for row in figures.get(table, ()):
            shown[(table, row["query"])] = interval(row["count"], rounded_to)
    return shown


def shows(figures, table):
    """Whether the page shows `table`, so that a row missing from it is 0."""
    if figures.get("too_few") or figures.get("only_total") or table in figures["withheld"]:
        return False
    flag = {"schools": "school_table", "by_region": "region_table", "by_location": "location_table"}
    return figures.get(flag.get(table), table not in ("by_region", "by_location"))


def page_of(query):
    """The page a row of the table per region or per location is the total of."""
    name, value = query.split("=")
    return (int(value), None, None) if name == "regio" else (None, int(value), None)


class Attacker:
    def __init__(self):
        self.bounds = defaultdict(lambda: (0, INF))
        self.sums = []  # (parts, whole): sum of parts equals whole

    def learn(self, var, lo_hi):
        lo, hi = self.bounds[var]
        lo, hi = max(lo, lo_hi[0]), min(hi, lo_hi[1])
        assert lo <= hi, f"the attacker's model contradicts the pages at {var}"
        self.bounds[var] = (lo, hi)

    def add_sum(self, parts, whole):
        self.sums.append((list(parts), whole))

    def solve(self):
        for _round in range(500):
            changed = False
            for parts, whole in self.sums:
                lows = [self.bounds[p][0] for p in parts]
                highs = [self.bounds[p][1] for p in parts]
                before = self.bounds[whole]
                self.learn(whole, (sum(lows), min(INF, sum(highs))))
                changed |= self.bounds[whole] != before
                w_lo, w_hi = self.bounds[whole]
                for i, part in enumerate(parts):
                    before = self.bounds[part]
                    others_lo = sum(lows) - lows[i]
                    others_hi = sum(highs) - highs[i]
                    # An unbounded number stays unbounded (no creeping down from INF).
                    hi = INF if w_hi >= INF else w_hi - others_lo
                    lo = 0 if others_hi >= INF else max(0, w_lo - others_hi)
                    self.learn(part, (lo, hi))
                    changed |= self.bounds[part] != before
            if not changed:
                return
        raise AssertionError("the attacker's arithmetic did not settle")

    def pinned(self, var):
        lo, hi = self.bounds[var]
        return lo == hi


def fetch_everything(client, user, regions, locations, schools):
    """Every figures URL the role can ask for: each filter alone and every combination."""
    pages = {}
    for regio in [None, *regions]:
        for locatie in [None, *locations]:
            for school in [None, *schools]:
                query = "&".join(
                    f"{name}={value}"
                    for name, value in (("regio", regio), ("locatie", locatie), ("school", school))
                    if value
                )
                response = client.get(reverse("learners:figures") + "?" + query)
                if response.status_code != 200 or response.context["figures"] is None:
                    continue  # refused, or not published
                rounded_to = response.context.get("rounded_to")
                pages[(regio, locatie, school)] = (response.context["figures"], rounded_to)
    return pages


def attack(pages, regions, schools, school_names, locations=(), nesting=()):
    attacker = Attacker()
    labels = defaultdict(set)
    read = {}
    for key, (figures, rounded_to) in pages.items():
        read[key] = read_page(figures, rounded_to)
        for table, label in read[key]:
            labels[table].add(label)
    for key, shown in read.items():
        for (table, label), lo_hi in shown.items():
            attacker.learn((key, table, label), lo_hi)
        figures, rounded_to = pages[key]
        for table in (*TABLES, "by_setting", "schools", "by_region", "by_location"):
            if not shows(figures, table):
                continue  # not broken down or withheld: a missing row says nothing
            for label in labels[table]:  # a row that is not there is 0
                if (table, label) not in shown:
                    attacker.learn((key, table, label), (0, 0))
        # (d) "schools with exactly one pupil": if as many school rows can be 1 as there
        # are such schools, each of them is 1.
        single = figures.get("single_schools")
        if isinstance(single, int) and not rounded_to:
            could_be_one = [
                ("schools", s["name"])
                for s in figures["schools"]
                if interval(s["count"], rounded_to)[0] <= 1
            ]
            if len(could_be_one) == single:
                for table, label in could_be_one:
                    attacker.learn((key, table, label), (1, 1))
    for regio, locatie, school in pages:
        key = (regio, locatie, school)
        total = (key, "scalar", "total")
        figures = pages[key][0]
        # Rows the page withholds are unknown, and so are their labels.
        shown = [t for t in TABLES if shows(figures, t)]
        # (a), (c): every breakdown adds up to the page total.
        for table in shown:
            attacker.add_sum([(key, table, label) for label in labels[table]], total)
        # School rows plus the pupils without a school make the total.
        if shows(figures, "schools"):
            attacker.add_sum(
                [(key, "schools", name) for name in labels["schools"]] + [(key, "no school")],
                total,
            )
        # The regions partition the pupils; each row is the total of that region's page.
        if shows(figures, "by_region"):
            rows = [(key, "by_region", query) for query in labels["by_region"]]
            attacker.add_sum(rows, total)
            for query in labels["by_region"]:
                attacker.add_sum([(key, "by_region", query)], (page_of(query), "scalar", "total"))
        # A pupil is in the location he is at and in every one he has a placement from: the
        # rows add up to the pupils in some location plus the extra memberships, which are 0
        # when the page shows no placements at all. A pupil without a school is at a
        # location.
        if locatie is None and locations:  # the role's locations, all of them
            inside, extra = (key, "in a location"), (key, "extra memberships")
            attacker.add_sum([inside, (key, "not in a location")], total)
            attacker.add_sum([inside, extra], (key, "memberships"))
            # The pages filtered on each location add up to the memberships too.
            attacker.add_sum(
                [((regio, loc, school), "scalar", "total") for loc in locations],
                (key, "memberships"),
            )
            if school is None:
                attacker.add_sum([(key, "no school"), (key, "at a school and a location")], inside)
            for loc in locations:
                attacker.add_sum(
                    [((regio, loc, school), "scalar", "total"), (key, loc, "rest")], inside
                )
        if shows(figures, "by_location"):
            rows = [(key, "by_location", query) for query in labels["by_location"]]
            for row in rows:
                attacker.add_sum([row], (page_of(row[2]), "scalar", "total"))
        if locatie is None and locations:
            statuses = read[key]
            if shows(figures, "by_status") and all(
                statuses.get(("by_status", label), (0, 0)) == (0, 0)
                for label in labels["by_status"]
                if label != "geen plaatsing"
            ):
                attacker.learn(extra, (0, 0))
        # Rows inside a region row (`nesting`): the region is the sum of its school rows
        # plus its pupils without a school; each of its location rows is part of it.
        if shows(figures, "by_region"):
            rests = []
            for parent, children, table in nesting:
                if shows(figures, table):
                    rest = (key, "rest of", parent, table)
                    attacker.add_sum([*((key, *c) for c in children), rest], (key, *parent))
                    rests += [rest] if table == "schools" else []
            if rests and len(rests) == len(labels["by_region"]):
                # The pupils without a school of every region are the page's.
                attacker.add_sum(rests, (key, "no school"))
        if not locations and school is None:
            # Every pupil without a school is at a (v)so location, and there are none.
            attacker.learn((key, "no school"), (0, 0))
        # The row of school S is the total of the page filtered on S.
        for school_pk, name in school_names.items():
            if school in (None, school_pk):
                filtered = ((regio, locatie, school_pk), "scalar", "total")
                attacker.add_sum([(key, "schools", name)], filtered)
        # (b) over schools: every figure is the sum over the schools plus those without one.
        if school is None:
            for table in SUMMED:
                for label in labels[table]:
                    parts = [((regio, locatie, s), table, label) for s in schools]
                    parts.append(((key, "without school"), table, label))
                    attacker.add_sum(parts, (key, table, label))
            for table in shown:
                rest = (key, "without school")
                attacker.add_sum(
                    [(rest, table, label) for label in labels[table]], (rest, "scalar", "total")
                )
        # (b) over regions: the figure over all regions is the sum of the regions.
        if regio is None:
            for table in SUMMED:
                for label in labels[table]:
                    parts = [((r, locatie, school), table, label) for r in regions]
                    attacker.add_sum(parts, (key, table, label))
    attacker.solve()
    return attacker


def given_away(attacker, pages, pupils, regions):
    """Every hidden count (true value 1 to 4) the attacker pins, as readable strings."""
    found = []
    for key in pages:
        truth = true_counts(pupils, *key, regions=regions)
        for (table, label), n in truth.items():
            var = (key, table, label)
            lo, hi = attacker.bounds[var]
            assert lo <= n <= hi, f"the attacker's model is wrong for {var}: {n} not in {lo}-{hi}"
            if 1 <= n <= 4 and attacker.pinned(var):
                found.append(f"{key} {table} {label} = {n}")
    return found


@pytest.mark.parametrize("who", ["manager", "begeleider"])
def test_no_hidden_count_can_be_worked_out_from_every_page_the_role_can_fetch(client, who):
    noord, zuid, baken, kade, pupils = seed()
    user = {
        "manager": lambda: manager_of(noord.institution),
        "begeleider": lambda: begeleider_of(noord),
    }[who]()
    if who == "begeleider":
        assign(pupils[0], user)  # a begeleider sees his own pupil, not the others
    client.force_login(user)
    regions = [noord.pk, zuid.pk] if who == "manager" else [noord.pk]
    schools = list(schools_for(user).values_list("pk", flat=True))
    school_names = dict(schools_for(user).values_list("pk", "name"))
    pages = fetch_everything(client, user, regions, [kade.pk], schools)
    assert len(pages) >= 6, "the attacker should see many pages"
    attacker = attack(pages, regions, schools, school_names, [kade.pk])
    hidden = [
        (key, var)
        for key in pages
        for var, n in true_counts(pupils, *key, regions=regions).items()
        if 1 <= n <= 4
    ]
    assert len(hidden) >= 20, "the seeded data should hide many cells"
    found = given_away(attacker, pages, pupils, regions)
    assert found == [], "the attacker worked out:\n" + "\n".join(found)


def test_the_attacker_finds_counts_when_they_are_exact(client):
    """The attack itself works: against a coordinator's exact figures it pins them all."""
    noord, zuid, baken, kade, pupils = seed()
    user = coordinator_of(noord)
    client.force_login(user)
    schools = list(schools_for(user).values_list("pk", flat=True))
    school_names = dict(schools_for(user).values_list("pk", "name"))
    pages = fetch_everything(client, user, [noord.pk], [kade.pk], schools)
    attacker = attack(pages, [noord.pk], schools, school_names, [kade.pk])
    exact_pages = {k: v for k, v in pages.items() if k[0] == noord.pk}
    assert "Het Baken College" in school_names.values()
    found = given_away(attacker, exact_pages, pupils, [noord.pk])
    assert any("doofblind = 1" in line for line in found)


def test_school_leader_sees_exact_figures_of_his_own_school_only(client):
    noord, zuid, baken, kade, pupils = seed()
    leader = leader_of(baken)
    client.force_login(leader)
    response = client.get(reverse("learners:figures"))
    figures = response.context["figures"]
    mine = Pupil.objects.filter(current_school=baken).count()
    # He can count his own pupils in the pupil list, so his figures are exact ...
    assert figures["total"] == mine == 13
    assert [(s["name"], s["count"]) for s in figures["schools"]] == [("Het Baken College", 13)]
    assert {str(r["label"]): r["count"] for r in figures["by_target_group"]}["doofblind"] == 1
    # ... and nothing on the page is rounded while another number is exact.
    assert response.context.get("rounded_to") is None
    assert "ca. " not in response.text
    # Nothing beyond his school: the other schools and regions are not there to ask for.
    for query in (f"?regio={noord.pk}", f"?locatie={kade.pk}"):
        assert client.get(reverse("learners:figures") + query).status_code == 404
    other = School.objects.filter(pupils__isnull=False).exclude(pk=baken.pk).first()
    assert client.get(reverse("learners:figures") + f"?school={other.pk}").status_code == 404


# --- numbers at the edges of their bands ---------------------------------------------
# Bands of 5 alone give a count away when every number in one sum sits at the edge of its
# band. Each dataset below is one region; every pupil is havo unless said otherwise.

GROUPS = ("tos", "dsh", "cmb", "doofblind", "anders")
STATUSES = (None, "verkennen", "regelen", "ingeschreven", "school")


def edge_rows_under_their_total():
    """(1) Five rows "<5" that are each 4 under a total "20-24" that is 20, and nothing else
    on the page that says the total is 20 or more: spread over five schools, five levels and
    five statuses of 4 pupils each."""
    levels = [None, *(f"lvl-{i}" for i in range(4))]
    return [
        (f"School {i}", GROUPS[(i + j) % 5], levels[(i + 2 * j) % 5], STATUSES[(i + 3 * j) % 5])
        for i in range(5)
        for j in range(4)
    ]


def edge_small_rows_beside_a_big_one():
    """(2) Four rows "<5" of 1 beside a row "10-14" that is 10, under a total "10-14" that
    is 14."""
    return [("A", "tos")] * 10 + [("A", group) for group in GROUPS[1:]]


def edge_one_table_bounds_another():
    """(3) Table A (target group) five rows "<5" of 4; table B (level) one row "20-24" of
    20: B says the total is 20 or more, so each row of A is 4."""
    return [("A", group) for group in GROUPS for _ in range(4)]


def edge_across_filters():
    """Two schools: the one deafblind pupil at De Linde, none at Het Baken. De Linde is (2)
    on its own page (total "10-14" that is also its row on the region page), and the region
    page is (2) again (TOS "20-24" that is 20 under a total "20-24" that is 24)."""
    linde = [("De Linde", "tos")] * 10 + [("De Linde", group) for group in GROUPS[1:]]
    return linde + [("Het Baken", "tos")] * 10


def build(rows):
    region = RegionFactory(name="Noord")
    schools, levels, pupils = {}, {}, []
    for row in rows:
        school, group, level, status = (*row, "havo", None)[:4] if len(row) == 2 else row
        if school not in schools:
            schools[school] = school_in(region, name=school)
        if level and level not in levels:
            levels[level] = Level.objects.get_or_create(
                code=level, defaults={"name": level, "order": len(levels) + 1}
            )[0]
        pupil = PupilFactory(
            region=region,
            current_school=schools[school],
            target_group=group,
            level=levels.get(level),
        )
        if status:
            PlacementFactory(pupil=pupil, status=status)
        pupils.append(pupil)
    return region, pupils


@pytest.mark.parametrize(
    "dataset",
    [
        edge_rows_under_their_total,
        edge_small_rows_beside_a_big_one,
        edge_one_table_bounds_another,
        edge_across_filters,
    ],
)
def test_no_count_can_be_pinned_at_the_edges_of_the_bands(client, dataset):
    region, pupils = build(dataset())
    user = manager_of(region.institution)
    client.force_login(user)
    schools = list(schools_for(user).values_list("pk", flat=True))
    school_names = dict(schools_for(user).values_list("pk", "name"))
    pages = fetch_everything(client, user, [region.pk], [], schools)
    attacker = attack(pages, [region.pk], schools, school_names)
    found = given_away(attacker, pages, pupils, [region.pk])
    assert found == [], "the attacker worked out:\n" + "\n".join(found)


# --- relations across pages ------------------------------------------------------------
# Each page passes its own audit; these datasets pinned counts by combining pages (the
# page of a region with the pages of its locations, a location with its schools) before
# every filtered page became one row of the page without a filter.


def nine_pupils_in_five_locations():
    """Region Noord: 9 pupils and no placements, at five locations with 5, 1, 1, 1 and 1
    pupils. The region's status row "geen plaatsing" says nobody is in two locations, so
    the location pages ("5-9" and four "<5") add up to at least 9 = the region: each small
    location is 1. Zuid (12 pupils at one school) makes Noord a filtered page."""
    spec = [("Noord", None, "Kade", None, "tos", None)] * 5
    spec += [("Noord", None, f"Loc {i}", None, GROUPS[i], None) for i in range(1, 5)]
    spec += [("Zuid", "Rijnmond", None, None, "tos", None)] * 12
    return spec


def five_schools_out_of_one_location():
    """Location Kade: 5 pupils moving out, in five target groups, each now at another
    school (one of them the region's only deafblind pupil); and one big school with 12."""
    spec = [("Noord", f"School {i}", None, "Kade", GROUPS[i], "verkennen") for i in range(5)]
    spec += [("Noord", "Het Baken", None, None, "tos", None)] * 12
    return spec


def build_places(spec):
    """Pupils from (region, school, location now, placement from location, group, status)."""
    institution = RegionFactory(name="Noord").institution
    regions = {"Noord": institution.regions.get()}
    schools, locations, pupils = {}, {}, []
    for region_name, school, location, moved_from, group, status in spec:
        if region_name not in regions:
            regions[region_name] = RegionFactory(name=region_name, institution=institution)
        region = regions[region_name]
        for name in (location, moved_from):
            if name and name not in locations:
                locations[name] = Location.objects.create(
                    institution=institution, region=region, name=name, place="X"
                )
        if school and school not in schools:
            schools[school] = school_in(region, name=school)
        pupil = PupilFactory(
            region=region,
            current_school=schools.get(school),
            current_location=locations.get(location),
            target_group=group,
        )
        if moved_from:
            PlacementFactory(pupil=pupil, status=status, from_location=locations[moved_from])
        pupils.append(pupil)
    return institution, list(regions.values()), list(locations.values()), pupils


@pytest.mark.parametrize(
    "dataset", [nine_pupils_in_five_locations, five_schools_out_of_one_location]
)
def test_no_count_can_be_pinned_by_combining_pages(client, dataset):
    institution, regions, locations, pupils = build_places(dataset())
    user = manager_of(institution)
    client.force_login(user)
    region_pks = [r.pk for r in regions]
    location_pks = [loc.pk for loc in locations]
    schools = list(schools_for(user).values_list("pk", flat=True))
    school_names = dict(schools_for(user).values_list("pk", "name"))
    pages = fetch_everything(client, user, region_pks, location_pks, schools)
    attacker = attack(pages, region_pks, schools, school_names, location_pks)
    found = given_away(attacker, pages, pupils, region_pks)
    assert found == [], "the attacker worked out:\n" + "\n".join(found)


def test_a_rounded_role_chooses_one_filter_at_a_time(client):
    institution, regions, locations, pupils = build_places(five_schools_out_of_one_location())
    client.force_login(manager_of(institution))
    school = School.objects.get(name="School 3")
    url = reverse("learners:figures")
    for query in (
        f"?locatie={locations[0].pk}&school={school.pk}",
        f"?regio={regions[0].pk}&locatie={locations[0].pk}",
        f"?regio={regions[0].pk}&school={school.pk}",
    ):
        response = client.get(url + query)
        assert response.status_code == 400
        assert response.context["figures"] is None
        assert "Kies één filter tegelijk" in response.text
    # A coordinator who sees every pupil keeps his combinations, exact.
    client.force_login(coordinator_of(regions[0]))
    response = client.get(url + f"?locatie={locations[0].pk}&school={school.pk}")
    assert response.status_code == 200 and response.context["figures"]["total"] == 1


# --- rows inside rows, pages beside pages ------------------------------------------------
# Three attacks that combined what one page's audit did not know: filtered pages that each
# broke down a few pupils, school rows inside a region row, and school pages that published
# what their region page withheld. A rounded role now gets every breakdown on the page
# without a filter, whose audit knows schools and locations lie inside regions.


def one_deafblind_pupil_at_each_of_four_schools():
    """(a) The page without a filter says deafblind "<5"; each of four school pages said
    deafblind "<5" too: four pages of at least 1 under at most 4, so each school exactly 1."""
    spec = []
    for i in range(4):
        spec += [("Noord", f"School {i}", None, None, "tos", None)] * 6
        spec.append(("Noord", f"School {i}", None, None, "doofblind", None))
    return spec


def five_small_schools_fill_their_region():
    """(b) Region Noord "20-24" holds five school rows "<5" on the same page: the region is
    at least 20 and the schools at most 4 each, so each school is exactly 4."""
    spec = []
    for i in range(5):
        spec += [("Noord", f"School {i}", None, None, "tos", None)] * 4
    spec += [("Zuid", "Rijnmond", None, None, "tos", None)] * 12
    return spec


def schools_publish_what_their_region_withholds():
    """(c) Noord's target groups (tos 10 and four groups of 1 under 14) are withheld on its
    region page, but its two school pages (8 and 6 pupils) broke theirs down: together they
    fill the region row "10-14", which pins each small group at 1."""
    spec = [("Noord", "A", None, None, "tos", None)] * 5
    spec += [("Noord", "A", None, None, group, None) for group in ("dsh", "cmb", "doofblind")]
    spec += [("Noord", "B", None, None, "tos", None)] * 5
    spec += [("Noord", "B", None, None, "anders", None)]
    spec += [("Zuid", "Rijnmond", None, None, "tos", None)] * 12
    return spec


def nesting_of(regions, locations):
    """What the attacker knows about rows inside region rows, from the schools' and
    locations' own pages: (region row, [school rows], table) and (region row, [location
    row], table)."""
    nesting = []
    for region in regions:
        parent = ("by_region", f"regio={region.pk}")
        names = [("schools", s.name) for s in School.objects.filter(pupils__region=region)]
        nesting.append((parent, sorted(set(names)), "schools"))
        for location in locations:
            if location.region_id == region.pk:
                nesting.append((parent, [("by_location", f"locatie={location.pk}")], "by_location"))
    return nesting


@pytest.mark.parametrize(
    ("dataset", "who"),
    [
        (one_deafblind_pupil_at_each_of_four_schools, "manager"),
        (one_deafblind_pupil_at_each_of_four_schools, "begeleider"),
        (five_small_schools_fill_their_region, "manager"),
        (schools_publish_what_their_region_withholds, "manager"),
    ],
)
def test_no_count_can_be_pinned_from_rows_inside_rows(client, dataset, who):
    institution, regions, locations, pupils = build_places(dataset())
    user = manager_of(institution) if who == "manager" else begeleider_of(regions[0])
    if who == "begeleider":
        assign(pupils[0], user)
    client.force_login(user)
    region_pks = [r.pk for r in regions] if who == "manager" else [regions[0].pk]
    location_pks = [loc.pk for loc in locations]
    schools = list(schools_for(user).values_list("pk", flat=True))
    school_names = dict(schools_for(user).values_list("pk", "name"))
    pages = fetch_everything(client, user, region_pks, location_pks, schools)
    nesting = nesting_of(regions, locations)
    attacker = attack(pages, region_pks, schools, school_names, location_pks, nesting)
    found = given_away(attacker, pages, pupils, region_pks)
    assert found == [], "the attacker worked out:\n" + "\n".join(found)


def test_a_filtered_page_of_a_rounded_role_shows_only_its_row(client):
    institution, regions, locations, pupils = build_places(five_small_schools_fill_their_region())
    client.force_login(manager_of(institution))
    url = reverse("learners:figures")
    above = client.get(url).context["figures"]
    rows = {r["query"]: r["count"] for r in above["by_region"]}
    response = client.get(url + f"?regio={regions[1].pk}")
    assert response.context["figures"]["total"] == rows[f"regio={regions[1].pk}"] == "10-14"
    assert response.context["figures"]["only_total"]
    assert "Naar doelgroep" not in response.text and "cijfers zonder filter" in response.text
    # Five rows "<5" inside a region "20-24" would each be 4: the school table is withheld.
    assert "schools" in above["withheld"]
    school = School.objects.get(name="School 0")
    response = client.get(url + f"?school={school.pk}")
    assert response.context["unpublished"]
