from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import health, ready
from regions import account_views, two_factor_views

# One's own password (regions/account_views.py), under /account/.
v = account_views
account_pages = [
    path("wachtwoord/", v.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", v.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("wachtwoord-vergeten/", v.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        v.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-vergeten/klaar/",
        v.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        v.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Two-factor login (regions/two_factor_views.py).
    path("tweestapsverificatie/", two_factor_views.two_factor_account, name="two_factor"),
    path(
        "tweestapsverificatie/instellen/",
        two_factor_views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "tweestapsverificatie/controleren/",
        two_factor_views.two_factor_verify,
        name="two_factor_verify",
    ),
    path(
        "tweestapsverificatie/herstelcodes/",
        two_factor_views.two_factor_codes,
        name="two_factor_codes",
    ),
    path(
        "tweestapsverificatie/uitzetten/",
        two_factor_views.two_factor_switch_off,
        name="two_factor_switch_off",
    ),
]


class FaviconView(RedirectView):
    """/favicon.ico -> the SVG icon; looked up per request, since the static manifest may
    not exist yet when the URLs load (tests, a deploy check before collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


admin.site.site_header = "Route 2035 beheer"
admin.site.site_title = "Route 2035"

urlpatterns = [
    path("", include("plans.urls")),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # One's own password: change it, or reset it by e-mail (Django's names and views).
    path("account/", include(account_pages)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (files, errors).
    path("favicon.ico", FaviconView.as_view()),
    # For the load balancer: no login, no redirect (SECURE_REDIRECT_EXEMPT), JSON only.
    path("health/", health, name="health"),
    # Readiness: also every migration applied (a rolling deploy, docs/deploy.md).
    path("health/ready/", ready, name="health_ready"),
    path("beheer/", admin.site.urls),
    path("", include("regions.urls")),
    path("", include("learners.urls")),
    path("", include("toolkit.urls")),
    path("", include("initiatives.urls")),
    path("", include("checklists.urls")),
]

# A database error outside a view also gets the 503 page (config/middleware.py).
handler500 = "config.middleware.server_error"
