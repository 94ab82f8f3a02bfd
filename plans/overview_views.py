"""The institution overview for the manager (plans.overview gathers it)."""

from django.http import Http404
from django.shortcuts import render

from regions.data_version import cached
from regions.pages import read_page
from regions.selectors import get_scope, regions_for

from .overview import institution_overview, may_see_overview


@read_page
def institution_overview_page(request):
    if not may_see_overview(request.user):
        raise Http404  # only a manager has an institution to look at
    # Gathered once per change of the institution's regions (or shared data), per manager,
    # language and day: it runs the figures and their publication rules over every pupil.
    user = request.user
    context = cached(
        "institution-overview",
        list(regions_for(user).values_list("pk", flat=True)),
        (user.pk,),
        lambda: institution_overview(user),
        anywhere=bool(get_scope(user).leader_schools),
    )
    return render(request, "plans/overview.html", context)
