"""The institution overview: all regions of the manager's institution side by side.

Pupil numbers follow the one rule of the figures page (docs/architecture.md, "Kleine
aantallen"): the manager gets every number in bands of 5. The overview shows what the
figures page does not (region x placement status, the pupils of a closing location without
a place), so its cells join that page's own audit: the attacker's sums of the figures page
(learners.disclosure.attack_system) plus "a region is the sum of its status cells", "a
status row is the sum of its region cells" and "the pupils without a place of a closing
location are part of their region's pupils without a place". While that joint arithmetic
pins a hidden count (1-4), the status breakdown of the offending region (or the count of a
closing location) is left out. Every decision rests on published bands only. Totals and
the status rows of all regions together are the figures page's own published numbers, so
the two pages never disagree.

Everything is gathered for all regions at once: the query count does not grow with the
number of regions or pupils.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from math import inf

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from initiatives.models import Initiative
from learners import disclosure
from learners import selectors as pupils
from learners.models import PlacementCase
from plans.models import DocumentStatus, PlanDocument
from regions.models import Location
from regions.selectors import get_scope, regions_for
from toolkit import charts
from toolkit.selectors import line_progress_by_region, overdue_counts, tip_status_counts_by_region

# A pupil has a place once enrolled (and still after the first evaluation).
PLACED = (PlacementCase.Status.ENROLLED, "geevalueerd")
ENDED_INITIATIVES = ("gestopt", "geevalueerd")
# The audit's own tables, next to the figures page's.
CELLS, CLOSING, OTHER = "overview", "closing", "other regions"
HIDDEN = (*disclosure.PARTITIONS, disclosure.SCHOOLS, disclosure.LOCATIONS, *disclosure.PARTS)


def may_see_overview(user) -> bool:
    """The manager's page: the regions of the institution(s) he manages."""
    return bool(get_scope(user).manager_regions)


@dataclass
class RegionOverview:
    region: object
    total: object = 0  # published; None: not published
    by_status: list = field(default_factory=list)  # [(label, published)]
    breakdown_withheld: bool = False
    line_chart: str = ""
    tip_chart: str = ""
    below_minimum: list = field(default_factory=list)  # initiatives under their minimum
    closing: list = field(default_factory=list)  # [(location, published; None: withheld)]
    overdue_tips: int = 0
    overdue_actions: int = 0
    overdue_deadlines: object = 0  # published
    latest_plan: object = None  # the latest ready frozen PlanDocument


def institution_overview(user, day=None):
    scope = get_scope(user)
    regions = list(
        regions_for(user).filter(pk__in=scope.manager_regions).order_by("institution__name", "name")
    )
    cards = {region.pk: RegionOverview(region) for region in regions}
    figures = _add_pupils(user, cards, day)
    _add_work(cards, day)
    return {
        "regions": list(cards.values()),
        "institutions": sorted({region.institution.name for region in regions}),
        **figures,
    }


def _status_label(key):
    return dict(PlacementCase.Status.choices).get(key) or _("geen plaatsing")


def _add_pupils(user, cards, day):
    """Pupils per region and placement status, the closing locations' pupils without a
    place and the overdue deadlines; returns the totals of all regions together."""
    ids = list(cards)
    page = pupils.figures_page(user, regions_for(user))  # the figures page without a filter
    figures, exact = page["figures"], not page["hide_small"]
    several = bool(figures.get("region_table"))
    ours = pupils.figure_pupils(user).filter(region_id__in=ids)
    cells = defaultdict(int)
    for region_id, status, n in (
        ours.annotate(st=pupils.latest_placement_status())
        .values_list("region_id", "st")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[region_id, status] = n
    closing = _closing_locations(ours, ids)
    overdue = _overdue_deadlines(ours, ids, day)
    for card in cards.values():
        card.overdue_deadlines = pupils.publish(overdue[card.region.pk], exact=exact)

    statuses, shown_status = [], []
    audit = figures.get("audit")
    if exact:
        statuses = sorted({status for _r, status in cells}, key=lambda s: (s is not None, s))
        shown_status = [(_status_label(s), sum(cells[r, s] for r in ids)) for s in statuses]
    elif audit and "by_status" not in audit["withheld"]:
        statuses = list(audit["rows"]["by_status"])
        shown_status = [
            (_status_label(s), row["count"])
            for s, row in zip(statuses, figures["by_status"], strict=True)
        ]
    published_region = {row["query"]: row["count"] for row in figures.get("by_region", [])}

    def region_total(pk):
        if exact:
            return sum(n for (r, _s), n in cells.items() if r == pk)
        if not several:
            return figures["total"]
        if audit and "by_region" in audit["withheld"] or figures.get("too_few"):
            return None
        return published_region.get(f"regio={pk}", 0)

    breakable = exact or (
        bool(audit)
        and "by_status" not in audit["withheld"]
        and not (several and "by_region" in audit["withheld"])
    )
    withheld_regions, withheld_closing = set(), set()
    if not exact:
        if breakable:
            withheld_regions, withheld_closing = _protect(
                audit, several, ids, statuses, cells, closing
            )
        else:  # the figures page itself shows no breakdown: nor does the overview
            withheld_regions = set(ids)
            withheld_closing = set(closing)
            if not audit and not figures.get("too_few"):  # no pupils at all
                withheld_regions = withheld_closing = set()
    for pk, card in cards.items():
        card.total = region_total(pk)
        if pk in withheld_regions:
            card.breakdown_withheld = card.total not in (0, None) or not breakable
        else:
            card.by_status = [
                (_status_label(s), pupils.publish(cells[pk, s], exact=exact)) for s in statuses
            ]
        card.closing = [
            (location, None if location.pk in withheld_closing else pupils.publish(n, exact=exact))
            for location, n in closing.values()
            if location.region_id == pk
        ]
    return {
        "total": figures["total"],
        "by_status": shown_status,
        "exact": exact,
        "rounded_to": None if exact else pupils.ROUNDING,
    }


def _closing_locations(ours, ids):
    """{location pk: (location, pupils of its region at it without a place)}: a pupil is
    at a location when there now or moving out of it (learners.selectors.of_location)."""
    locations = {
        location.pk: location
        for location in Location.objects.filter(region_id__in=ids, closing_date__isnull=False)
        .select_related("region")
        .order_by("closing_date", "name")
    }
    unplaced = ours.annotate(st=pupils.latest_placement_status()).filter(
        Q(st__isnull=True) | ~Q(st__in=PLACED)
    )
    moving_out = defaultdict(set)
    for location_id, pupil_id in PlacementCase.objects.filter(
        from_location_id__in=locations, pupil__in=unplaced.values("pk")
    ).values_list("from_location_id", "pupil_id"):
        moving_out[location_id].add(pupil_id)
    region_of, at = {}, defaultdict(set)
    moving = set().union(*moving_out.values())
    for pk, region_id, location_id in unplaced.filter(
        Q(current_location_id__in=locations) | Q(pk__in=moving)
    ).values_list("pk", "region_id", "current_location_id"):
        region_of[pk] = region_id
        if location_id in locations:
            at[location_id].add(pk)
    counts = {}
    for pk, location in locations.items():
        found = (at[pk] | moving_out[pk]) & set(region_of)
        counts[pk] = (location, sum(1 for p in found if region_of[p] == location.region_id))
    return counts


def _overdue_deadlines(ours, ids, day):
    region_of = dict(ours.values_list("pk", "region_id"))
    overdue = dict.fromkeys(ids, 0)
    for deadline in pupils.compute_deadlines(ours, day):
        if deadline.overdue:
            overdue[region_of[deadline.pupil_id]] += 1
    return overdue


def _protect(audit, several, ids, statuses, cells, closing):
    """The regions whose status breakdown, and the closing locations whose count, the
    overview leaves out so that no hidden count (1-4) can be worked out from it together
    with the figures page. Decided on published bands only."""
    withheld_regions, withheld_closing = set(), set()
    while True:
        bounds, sums = _joint_system(
            audit, several, ids, statuses, cells, closing, withheld_regions, withheld_closing
        )
        pinned = set()
        if disclosure.narrow(bounds, sums):
            pinned = {
                var
                for var, (lo, hi) in bounds.items()
                if isinstance(var, tuple)
                and var[0] in (*HIDDEN, CELLS, CLOSING, OTHER)
                and lo == hi
                and 1 <= lo < disclosure.BAND
            }
        else:  # cannot happen with true counts; publish no breakdown rather than guess
            pinned = {(CELLS, (pk, None)) for pk in ids}
        if not pinned:
            return withheld_regions, withheld_closing
        regions = {var[1][0] for var in pinned if var[0] == CELLS} - withheld_regions
        locations = {var[1] for var in pinned if var[0] == CLOSING} - withheld_closing
        if regions or locations:
            withheld_regions |= regions
            withheld_closing |= locations
        elif set(ids) - withheld_regions or set(closing) - withheld_closing:
            withheld_regions, withheld_closing = set(ids), set(closing)
        else:
            return withheld_regions, withheld_closing


def _joint_system(audit, several, ids, statuses, cells, closing, withheld, withheld_closing):
    bounds, sums = disclosure.attack_system(
        audit["rows"], audit["withheld"], audit["total"], audit["nesting"]
    )

    def region_var(pk):
        var = ("by_region", pk) if several else "total"
        bounds.setdefault(var, (0, 0))  # a region without a row has no pupils
        return var

    unknown = (0, inf)
    for pk in ids:
        mine = [(CELLS, (pk, s)) for s in statuses]
        for var in mine:
            bounds[var] = unknown if pk in withheld else disclosure.band(cells[var[1]])
        sums.append((mine, region_var(pk)))
        unplaced = [(CELLS, (pk, s)) for s in statuses if s not in PLACED]
        bounds["unplaced", pk] = unknown
        sums.append((unplaced, ("unplaced", pk)))
    # Each status row of the figures page: the overview's cells plus the pupils of that
    # status in the reader's other regions (not on the overview).
    others = [
        var
        for var in bounds
        if isinstance(var, tuple) and var[0] == "by_region" and var[1] not in ids
    ]
    other_cells = []
    for s in statuses:
        other = (OTHER, s)
        bounds[other] = unknown if others else (0, 0)
        other_cells.append(other)
        sums.append(([*[(CELLS, (pk, s)) for pk in ids], other], ("by_status", s)))
    if others:
        bounds["other regions"] = unknown
        sums.append((others, "other regions"))
        sums.append((other_cells, "other regions"))
    for pk, (location, n) in closing.items():
        var = (CLOSING, pk)
        bounds[var] = unknown if pk in withheld_closing else disclosure.band(n)
        bounds["rest", var] = unknown
        sums.append(([var, ("rest", var)], ("unplaced", location.region_id)))
    return bounds, sums


def _add_work(cards, day):
    ids = list(cards)
    progress = line_progress_by_region(ids)
    tips = tip_status_counts_by_region(ids)
    overdue = overdue_counts(ids, today=day)
    below = defaultdict(list)
    for initiative in (
        Initiative.objects.filter(region_id__in=ids, pupils_typed__lt=F("viability_minimum"))
        .exclude(status__in=ENDED_INITIATIVES)
        .order_by("name")
    ):
        below[initiative.region_id].append(initiative)
    latest = {}
    for document in (
        PlanDocument.objects.filter(
            region_id__in=ids, number__isnull=False, status=DocumentStatus.READY
        )
        .only("pk", "region_id", "number", "rendered_at", "created_at")
        .order_by("region_id", "-number")
    ):
        latest.setdefault(document.region_id, document)
    for pk, card in cards.items():
        card.line_chart = charts.line_progress_chart(progress[pk], chart_id=f"lijnen-{pk}")
        card.tip_chart = charts.status_chart(tips[pk], chart_id=f"tips-{pk}")
        card.overdue_tips, card.overdue_actions = overdue[pk]
        card.below_minimum = below[pk]
        card.latest_plan = latest.get(pk)
