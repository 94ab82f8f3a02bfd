"""What the header search finds: only what the user may see, through each app's selectors.

Each kind is one query of at most LIMIT + 1 rows (the extra row says "there is more"),
so the number of queries does not grow with the data.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.selectors import agreements_for, initiatives_for, may_list_initiatives
from learners.selectors import pupils_for
from regions.models import Region
from regions.selectors import get_scope, schools_for, swvs_for
from toolkit.models import RegionAction, ToolkitItem

LIMIT = 10
MIN_QUERY = 2
MAX_QUERY = 100


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""
    # A toolkit item is the same in every region: one link per readable region.
    places: list = field(default_factory=list)


@dataclass
class Group:
    key: str
    label: str
    hits: list
    more_url: str = ""


@dataclass
class Results:
    groups: list = field(default_factory=list)
    pupils_with_names: list = field(default_factory=list)
    too_short: bool = False

    @property
    def count(self) -> int:
        return sum(len(g.hits) for g in self.groups)

    @property
    def has_more(self) -> bool:
        return any(g.more_url for g in self.groups)


def _with_query(url, q):
    return f"{url}?{urlencode({'q': q})}"


def _cut(rows):
    """At most LIMIT rows, and whether there were more."""
    rows = list(rows[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def _name_matches(q):
    """Every word in the first or last name ("jan jans" finds Jan Jansen)."""
    words = q.split()
    return reduce(
        and_, (Q(first_name__icontains=w) | Q(last_name__icontains=w) for w in words), Q()
    )


def search_pupils(user, q, results):
    """By code for everyone who sees pupils; by name only where the user sees the name
    (coordinator of the pupil's region, the assigned begeleider)."""
    pupils, more = _cut(
        pupils_for(user)
        .filter(Q(code__icontains=q) | (Q(show_identity=True) & _name_matches(q)))
        .order_by("code")
    )
    hits = []
    for pupil in pupils:
        name = f"{pupil.first_name} {pupil.last_name}".strip() if pupil.show_identity else ""
        hits.append(Hit(title=pupil.code, detail=name, url=pupil.get_absolute_url()))
        if pupil.show_identity:
            results.pupils_with_names.append(pupil)
    more_url = _with_query(reverse("learners:pupil_list"), q) if more else ""
    return Group("leerlingen", _("Leerlingen"), hits, more_url)


def search_schools(user, q):
    schools, more = _cut(
        schools_for(user)
        .filter(Q(name__icontains=q) | Q(place__icontains=q) | Q(brin__iexact=q[:4]))
        .order_by("name", "pk")
    )
    hits = [
        Hit(
            title=s.name,
            detail=" · ".join(filter(None, [s.place, s.brin])),
            url=s.get_absolute_url(),
        )
        for s in schools
    ]
    more_url = _with_query(reverse("regions:school_list"), q) if more else ""
    return Group("scholen", _("Scholen"), hits, more_url)


def search_swvs(user, q):
    swvs, more = _cut(
        swvs_for(user).filter(Q(code__icontains=q) | Q(name__icontains=q)).order_by("code")
    )
    hits = [
        Hit(title=swv.name, detail=swv.code, url=reverse("regions:swv_detail", args=[swv.pk]))
        for swv in swvs
    ]
    more_url = _with_query(reverse("regions:swv_list"), q) if more else ""
    return Group("swvs", _("Samenwerkingsverbanden"), hits, more_url)


def search_toolkit(regions, q):
    items, more = _cut(ToolkitItem.objects.filter(title__icontains=q))
    hits = []
    for item in items:
        places = [
            (region.name, reverse("toolkit:toolkit", args=[region.pk]) + f"#item-{item.slug}")
            for region in regions
        ]
        hits.append(Hit(title=item.title, url=places[0][1], places=places))
    more_url = reverse("toolkit:toolkit", args=[regions[0].pk]) if more else ""
    return Group("toolkit", _("Toolkit"), hits, more_url)


def search_actions(regions, q):
    actions, more = _cut(
        RegionAction.objects.filter(region__in=regions)
        .filter(Q(title__icontains=q) | Q(goal__icontains=q))
        .select_related("region")
        .order_by("title", "pk")
    )
    hits = [
        Hit(
            title=action.title,
            detail=action.region.name,
            url=reverse("toolkit:werkagenda", args=[action.region_id]) + f"#actie-{action.pk}",
        )
        for action in actions
    ]
    more_url = reverse("toolkit:werkagenda", args=[regions[0].pk]) if more else ""
    return Group("acties", _("Werkagenda-acties"), hits, more_url)


def search_initiatives(user, q):
    """Initiatives and agreements the user may see (a school leader: his school's)."""
    initiatives, more = _cut(initiatives_for(user).filter(name__icontains=q).order_by("name", "pk"))
    hits = [Hit(title=i.name, detail=i.region.name, url=i.get_absolute_url()) for i in initiatives]
    agreements, more_agreements = _cut(
        agreements_for(user)
        .filter(title__icontains=q)
        .select_related("region")
        .order_by("title", "pk")
    )
    hits += [Hit(title=a.title, detail=a.region.name, url=a.get_absolute_url()) for a in agreements]
    more_url = ""
    if more or more_agreements:
        more_url = _with_query(reverse("initiatives:initiative_list"), q)
    return Group("initiatieven", _("Initiatieven en afspraken"), hits, more_url)


def search_for(user, q) -> Results:
    results = Results()
    if len(q) < MIN_QUERY:
        results.too_short = bool(q)
        return results
    scope = get_scope(user)
    if scope.may_list_pupils:
        results.groups.append(search_pupils(user, q, results))
    if scope.may_list_schools:
        results.groups.append(search_schools(user, q))
    if scope.may_list_partners:
        results.groups.append(search_swvs(user, q))
    # Toolkit and werkagenda are read per region: the regions the user reads (the
    # beheerder keeps the content in /beheer/, not a region's progress).
    regions = list(Region.objects.filter(pk__in=scope.readable_regions).order_by("name"))
    if regions:
        results.groups.append(search_toolkit(regions, q))
        results.groups.append(search_actions(regions, q))
    if may_list_initiatives(user):
        results.groups.append(search_initiatives(user, q))
    results.groups = [g for g in results.groups if g.hits]
    return results
