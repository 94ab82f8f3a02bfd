"""Pages that gather from several apps: the role home page (later the regional plan)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from checklists.selectors import open_assignments_for
from initiatives.selectors import region_attention
from initiatives.services import log_attention_shown
from learners import selectors as pupils
from learners.audit import log_list
from regions import selectors
from regions.data_version import cached
from regions.pages import list_page
from toolkit.selectors import overdue_counts

from .overview import may_see_overview
from .search import MAX_QUERY, search_for


@login_required
@require_safe
def home(request):
    """What this user should look at today: deadlines, unclear duty of care, overdue work."""
    scope = selectors.get_scope(request.user)
    regions = list(selectors.regions_for(request.user).annotate(n_swvs=Count("swvs")))
    overdue = overdue_counts([region.pk for region in regions])
    for region in regions:
        region.overdue_tips, region.overdue_actions = overdue[region.pk]
    # Only the numbers show here: counted in the database, not built row by row, and
    # kept until the data of the user's regions changes (a large region's counts took
    # most of the page).
    n_overdue, n_upcoming, n_unclear = cached(
        "home-pupil-counts",
        scope.coordinator_regions | scope.begeleider_regions,
        (request.user.pk,),
        lambda: _pupil_counts(request.user, scope),
    )
    # What is late in the coordinator's regions: transition plans, agreements, initiatives.
    attention = [
        found
        for region in regions
        if region.pk in scope.coordinator_regions
        and (found := region_attention(region, request.user))
    ]
    log_attention_shown(user=request.user, attentions=attention)
    leader_schools = list(selectors.schools_for(request.user).filter(pk__in=scope.leader_schools))
    return render(
        request,
        "plans/home.html",
        {
            "regions": regions,
            "leader_schools": leader_schools,
            "has_deadlines": scope.may_see_deadlines,
            "n_overdue": n_overdue,
            "n_upcoming": n_upcoming,
            "n_unclear": n_unclear,
            "changes": selectors.recent_changes(request.user, limit=10),
            "checklist_assignments": open_assignments_for(request.user),
            "attention": attention,
            "sees_overview": may_see_overview(request.user),
        },
    )


def _pupil_counts(user, scope):
    """(overdue deadlines, upcoming deadlines, pupils with an unclear duty of care)."""
    n_overdue, n_upcoming = pupils.deadline_counts(pupils.deadline_pupils(user))
    unclear = []
    if scope.coordinator_regions:
        unclear = pupils.unclear_duty_of_care(
            pupils.pupils_for(user).filter(region_id__in=scope.coordinator_regions)
        )
    return n_overdue, n_upcoming, len(unclear)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def search(request):
    """The header search box: htmx answers the results partial as the user types; without
    JavaScript the form submits here and gets the whole page."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = search_for(request.user, q)
    # Names in the results are a look at those pupils, as in the pupil list.
    log_list(
        user=request.user,
        pupils=[p for p in results.pupils_with_names],
        detail=_("zoeken"),
    )
    return list_page(request, "plans/search.html", {"q": q, "results": results})
