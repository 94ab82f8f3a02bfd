from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from learners.services import log_list

from .selectors import MAX_QUERY, search_for


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
    template = "search/results.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"q": q, "results": results})
