import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from regions.sessions import IDLE_CLOCK

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the user picked another language with the switch in the footer.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which gives
    English to every Dutch user with an English browser.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class FriendlyRedirectsMiddleware:
    """Two things a person runs into after their session expired.

    - An htmx request sent to the login page would swap the whole login page into the
      row being edited; tell htmx to load the login page as a page instead, coming back
      to the page the person was on (not the POST-only URL of the fragment).
    - A GET on a POST-only URL (the `next` of such a login) gives Django's empty 405;
      show a page that says what happened.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import quote

        from django.shortcuts import render, resolve_url
        from django_htmx.http import HttpResponseClientRedirect

        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(login_url)
        ):
            back = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(f"{login_url}?next={quote(back)}")
        if response.status_code == 405 and request.method == "GET" and not response.content:
            friendly = render(request, "405.html", status=405)
            friendly["Allow"] = response["Allow"]
            return friendly
        return response


class NoStoreMiddleware:
    """Pupil pages and exports are never kept by the browser or a proxy.

    Every URL of the apps in NO_STORE_APPS answers with Cache-Control: no-store, so a
    new pupil view cannot forget it. Listed early in MIDDLEWARE, so it also covers the
    pages other middleware put in place of the view's response.
    """

    NO_STORE_APPS = {"learners"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name in self.NO_STORE_APPS:
            add_never_cache_headers(response)
        return response


class RefuseNulBytesMiddleware:
    """A NUL character in the address or in a form value answers 400 with a friendly page.

    PostgreSQL cannot store or compare text with NUL (psycopg raises ValueError), so a
    search for "a%00b" would end in a 500; no real input contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", ""):
            return True
        for query in (request.GET, request.POST if request.method == "POST" else None):
            if query is None:
                continue
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False


class AdminCspMiddleware:
    """Django admin (/beheer/) writes inline style attributes (collapsed fieldsets,
    widgets, the related-object popups); our policy forbids them everywhere else.

    Sits below csp.middleware.CSPMiddleware, so it marks the admin's responses the way
    the library's csp_update decorator does before the policy is built. Only style-src
    is relaxed: no inline scripts, also not in the admin."""

    STYLE_UPDATE = {"style-src": ["'unsafe-inline'"]}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import reverse

        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_update = {
                **(getattr(response, "_csp_update", None) or {}),
                **self.STYLE_UPDATE,
            }
        return response


class DatabaseUnavailableMiddleware:
    """The database going away mid-request answers a Dutch 503 page, not a stack trace
    or the 500 page: nothing is wrong with what the person did, it is worth trying again.

    Listed low in MIDDLEWARE (just above Axes), so its process_exception runs early.
    The page renders without the request: base.html would read the user and the menu
    from the database that is gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db.utils import InterfaceError, OperationalError

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.exception("Database unavailable during %s %s", request.method, request.path)
        return database_unavailable_response()


def server_error(request):
    """handler500: a database error raised outside a view (a middleware reading the
    session or the user's regions) is the same 503 as one raised inside a view."""
    import sys

    from django.db.utils import InterfaceError, OperationalError
    from django.views.defaults import server_error as django_server_error

    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable_response()
    return django_server_error(request)


def database_unavailable_response():
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


class SlidingSessionMiddleware:
    """The 30-minute idle timeout, without writing the session on every page view.

    A database session expires SESSION_COOKIE_AGE after its last save. Instead of saving
    on every request (SESSION_SAVE_EVERY_REQUEST), a signed-in person's session is saved
    again only when its last refresh is more than SESSION_REFRESH_INTERVAL seconds ago:
    reading pages mostly reads the session row. Listed just below SessionMiddleware, so
    the session is saved by it on the way out."""

    KEY = IDLE_CLOCK  # set at login too (regions.sessions)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No session key: anonymous, or just logged out (flushed); nothing to keep alive.
        if session is None or session.session_key is None:
            return response
        refreshed_at = session.get(self.KEY, 0)
        # An expired or unknown cookie loads as no session: do not start a new one here.
        if session.session_key is None:
            return response
        now = int(time.time())
        if now - refreshed_at >= settings.SESSION_REFRESH_INTERVAL:
            changed_by_the_request = session.modified
            session[self.KEY] = now
            if not changed_by_the_request:
                self._refresh(session)
        return response

    @staticmethod
    def _refresh(session):
        """Only the idle clock moves: saved here, so a failure costs the refresh, not the
        page. While a long write holds the database (SQLite during a large import) the
        save fails, and Django's SessionMiddleware would answer 400 "session interrupted"
        to a person who only read a page. The clock moves on a later page instead."""
        from django.contrib.sessions.backends.base import UpdateError

        try:
            session.save()
        except UpdateError:
            pass
        session.modified = False  # saved (or given up): nothing left for SessionMiddleware
