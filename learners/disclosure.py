"""The publication audit for a page of group figures (docs/architecture.md, "Kleine
aantallen").

A rounded page shows every number as a band of 5 ("<5", "5-9", ...). Bands alone still let
a calculator pin a count when all numbers in one sum sit at the edges of their bands: five
rows "<5" under a total "20-24" are each 4 if the total is 20, four rows "<5" beside a row
"10-14" under a total "10-14" are each 1. So before a page is shown, `protect_page` does the
attacker's arithmetic on everything the page publishes (interval propagation over the sums
that really hold) and, while it pins a hidden count (1-4), first publishes the page total in
a wider band and, where no band for the total helps, withholds the offending breakdown.

Every decision depends only on numbers the page publishes, never on the hidden counts
themselves, so the attacker learns nothing from the fact that a total was widened: whether
to narrow the total from a band to one of its two halves is decided by looking at BOTH
halves. The same data always gives the same page.
"""

from math import inf

BAND = 5
TOP = BAND * 2**20  # the widest band a total starts from: wider than any region
# Each table's rows add up to the page total (every pupil has exactly one of each).
PARTITIONS = ("by_target_group", "by_level", "by_status", "by_region")
# Each row is part of the total, nothing more: a pupil has several arrangement settings or
# none, and "not enrolled" is a subset. They only bound the total from below.
PARTS = ("by_setting", "not_enrolled")
SCHOOLS = "schools"  # the school rows plus the pupils without a school make the total
# A pupil belongs to a (v)so location by being there now or by a placement from it, so one
# pupil can be in several rows: the rows add up to the pupils in some location plus the
# extra memberships. The audit takes that number of extra memberships as known to the
# attacker (he can tell it is 0 when the page shows no placements at all), which is never
# less than he knows.
LOCATIONS = "by_location"
# {0: extra memberships, 1: pupils without a school at none of the locations}: never
# published, only used by the audit.
EXTRA_MEMBERSHIPS = "location_overlap"
# Rows nest across tables too: a region row is the sum of its (region, school) rows plus its
# pupils without a school; a location row is part of its region row. `protect_page` takes
# these as `nesting`: [(parent cell, [child cells])], parent = sum(children) + slack >= 0,
# a cell being (table, key of the row in `rows`). The slacks of the school relations of all
# regions add up to the page's pupils without a school.


def band(count, width=BAND):
    """(lo, hi) of the band of `width` that holds `count`; 0 stays 0, "<5" is 1-4."""
    if count == 0:
        return (0, 0)
    lo = width * (count // width)
    return (max(lo, 1), lo + width - 1)


def narrow(bounds, sums):
    """Interval propagation: shrink every (lo, hi) in `bounds` with every `sum(parts) ==
    whole` until nothing changes. False when the bounds cannot all hold at once."""
    for _round in range(10_000):
        changed = False
        for parts, whole in sums:
            los = sum(bounds[p][0] for p in parts)
            unbounded = sum(1 for p in parts if bounds[p][1] == inf)
            finite_his = sum(bounds[p][1] for p in parts if bounds[p][1] != inf)
            w_lo, w_hi = bounds[whole]
            new = (max(w_lo, los), min(w_hi, inf if unbounded else finite_his))
            changed |= new != bounds[whole]
            bounds[whole] = w_lo, w_hi = new
            for p in parts:
                lo, hi = bounds[p]
                others_lo = los - lo
                if hi == inf:
                    others_hi = inf if unbounded > 1 else finite_his
                else:
                    others_hi = inf if unbounded else finite_his - hi
                new = (max(lo, w_lo - others_hi), min(hi, w_hi - others_lo))
                changed |= new != (lo, hi)
                bounds[p] = new
        if any(lo > hi for lo, hi in bounds.values()):
            return False
        if not changed:
            return True
    raise RuntimeError("interval propagation did not settle")


def _gives_away(rows, withheld, total, nesting=()):
    """The tables in which the attacker pins a hidden count (1-4) when the page total is
    published as the range `total`; None when no true count fits in that range."""
    bounds, sums = attack_system(rows, withheld, total, nesting)
    if bounds["total"][0] > bounds["total"][1] or not narrow(bounds, sums):
        return None
    return pinned_tables(bounds)


def pinned_tables(bounds, tables=()):
    """The tables (of the page, plus `tables`) with a cell the attacker has pinned to 1-4."""
    return {
        var[0]
        for var, (lo, hi) in bounds.items()
        if isinstance(var, tuple)
        and var[0] in (*PARTITIONS, SCHOOLS, LOCATIONS, *PARTS, *tables)
        and lo == hi
        and 1 <= lo < BAND
    }


def attack_system(rows, withheld, total, nesting=()):
    """What the attacker knows from a page: (bounds, sums) for `narrow`. Another page that
    shows more about the same pupils (plans' institution overview) adds its own cells and
    sums to these, so that one audit sees both pages."""
    lo, hi = total
    bounds = {"total": (max(lo, BAND), hi)}  # a page under 5 is not broken down
    sums = []
    for table, counts in rows.items():
        if table in withheld:
            continue
        cells = [(table, label) for label in counts]
        for cell, n in zip(cells, counts.values(), strict=True):
            bounds[cell] = band(n)
        if table == EXTRA_MEMBERSHIPS:
            continue
        if table in PARTITIONS:
            sums.append((cells, "total"))
        elif table == LOCATIONS:
            extra = rows.get(EXTRA_MEMBERSHIPS, {0: None})[0]
            outside = rows.get(EXTRA_MEMBERSHIPS, {}).get(1)
            if SCHOOLS in rows and SCHOOLS not in withheld and outside is not None:
                # A pupil without a school is at a (v)so location; how many are at none of
                # the page's locations is taken as known, like the extra memberships.
                bounds["no school, in"] = bounds["at a school, in"] = (0, inf)
                bounds["no school, out"] = (outside, outside)
                bounds.setdefault((SCHOOLS, None), (0, inf))
                sums.append((["no school, in", "no school, out"], (SCHOOLS, None)))
                sums.append((["no school, in", "at a school, in"], "in a location"))
            bounds["in a location"] = bounds["elsewhere"] = (0, inf)
            bounds["memberships"] = (0, inf)
            bounds["extra"] = (0, inf) if extra is None else (extra, extra)
            sums.append((["in a location", "elsewhere"], "total"))
            sums.append((cells, "memberships"))
            sums.append((["in a location", "extra"], "memberships"))
            for cell in cells:
                bounds[("rest", cell)] = (0, inf)
                sums.append(([cell, ("rest", cell)], "in a location"))
        elif table == SCHOOLS:
            bounds[(SCHOOLS, None)] = (0, inf)  # pupils at a (v)so location, not published
            sums.append(([*cells, (SCHOOLS, None)], "total"))
        else:
            for cell in cells:
                bounds[("rest", cell)] = (0, inf)
                sums.append(([cell, ("rest", cell)], "total"))
    slacks = {}
    for parent, children in nesting:
        if parent[0] in withheld or any(child[0] in withheld for child in children):
            continue  # a withheld row is unknown: the relation tells nothing
        # A region without school rows has only a school relation (every pupil in the slack).
        slack = ("slack", parent, children[0][0] if children else SCHOOLS)
        bounds[slack] = (0, inf)
        sums.append(([*children, slack], parent))
        slacks.setdefault(slack[2], []).append(slack)
    # A pupil without a school is at a (v)so location of its own region: a region's school
    # slack is at most its location rows, and 0 for a region without locations.
    locations_of = {}
    for parent, children in nesting:
        locations_of.setdefault(parent, [])
        locations_of[parent] += [child for child in children if child[0] == LOCATIONS]
    for slack in slacks.get(SCHOOLS, []):
        parent = slack[1]
        locations = locations_of.get(parent, [])
        if not locations:
            bounds[slack] = (0, 0)
        elif LOCATIONS not in withheld and all(cell in bounds for cell in locations):
            in_locations, rest = ("in locations", parent), ("not without school", parent)
            bounds[in_locations] = bounds[rest] = (0, inf)
            sums.append((locations, in_locations))
            sums.append(([slack, rest], in_locations))
    if slacks.get(SCHOOLS) and SCHOOLS not in withheld and (SCHOOLS, None) in bounds:
        # Every region's pupils without a school together are the page's.
        sums.append((slacks[SCHOOLS], (SCHOOLS, None)))
    return bounds, sums


def protect_page(rows, total, *, total_is_public=False, nesting=()):
    """Decide how a rounded page is published so that no hidden count (1-4) can be worked
    out from it: returns the range to publish the page total in and the tables to withhold.

    `rows` maps each table to {label: true count}, `total` is the true page total (5 or
    more). `total_is_public`: the total is already published as a band of 5 elsewhere (the
    school's row on the page without the school filter), so widening it here would hide
    nothing and only the breakdowns can be withheld. `nesting`: rows that are part of
    rows of another table (see the comment on `nesting` above).
    """
    widest = band(total) if total_is_public else (BAND, inf)
    withheld = set()
    # Tables that give counts away whatever the total is: no band for the total helps.
    while offending := _gives_away(rows, withheld, widest, nesting):
        withheld |= offending
    if total_is_public:
        return band(total), withheld
    width, shown = TOP, (BAND, inf)
    while width > BAND:
        # Narrow to the half that holds the total only if neither half gives anything
        # away (or cannot be the total): a choice the attacker can make himself.
        half = width // 2
        start = width * (total // width)
        halves = [(start, start + half - 1), (start + half, start + width - 1)]
        if any(_gives_away(rows, withheld, h, nesting) for h in halves):
            break
        width = half
        shown = halves[total >= start + half]
    return shown, withheld
