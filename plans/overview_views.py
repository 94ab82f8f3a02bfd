"""The institution overview for the manager (plans.overview gathers it)."""

from django.http import Http404
from django.shortcuts import render

from regions.pages import read_page

from .overview import institution_overview, may_see_overview


@read_page
def institution_overview_page(request):
    if not may_see_overview(request.user):
        raise Http404  # only a manager has an institution to look at
    return render(request, "plans/overview.html", institution_overview(request.user))
