"""The net under the selectors: every request runs inside the user's pupil scope."""

from django_scopes import scope

from .selectors import pupil_regions


class PupilScopeMiddleware:
    """Activates django-scopes for the pupil models with the regions the user can reach.

    Selectors still decide who sees which pupil; this only makes sure that a query which
    forgets them returns the user's regions instead of every region's pupils, and that
    code running outside a request (commands, the shell) must say which scope it uses.
    Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope(region=list(pupil_regions(request.user))):
            return self.get_response(request)
