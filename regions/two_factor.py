"""Two-factor login (django-otp): who must use it, the middleware that holds everyone else
at the door until they did, the admin site that asks the same, and the few writes
(confirm an app, new recovery codes, the beheerder's reset).

Required for coordinators, begeleiders and the functional admin (and any staff or
superuser), and for anyone who set it up of their own accord. In demo mode only
(OTP_DEMO_EXEMPT, settings_demo or DEBUG=1) the five demo users are exempt.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import get_scope

DEMO_USERNAMES = frozenset({"coordinator", "begeleider", "schoolleider", "manager", "beheerder"})
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"

# Pages an unverified user may still open: logging in and out, the password reset by
# e-mail, the load balancer's checks (health and readiness), the language switch and the
# 2FA pages themselves.
EXEMPT_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "health",
        "health_ready",
        "set_language",
        "two_factor_setup",
        "two_factor_verify",
        "two_factor_codes",
        "admin:login",
        "admin:logout",
    }
)
SETUP, VERIFY = "setup", "verify"


def demo_exempt(user) -> bool:
    return getattr(settings, "OTP_DEMO_EXEMPT", False) and user.get_username() in DEMO_USERNAMES


def role_requires_two_factor(user) -> bool:
    """Coordinators, begeleiders, the beheerder and every staff or superuser account."""
    if user.is_staff or user.is_superuser:
        return True
    scope = get_scope(user)
    return bool(scope.coordinator_regions or scope.begeleider_regions or scope.is_beheerder)


def may_switch_off(user) -> bool:
    """Voluntary 2FA (a school leader, a manager; a demo user in the demo) may be switched
    off again; a role that requires it may not."""
    return demo_exempt(user) or not role_requires_two_factor(user)


def has_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def two_factor_step(user):
    """What a logged-in, not yet verified user must do first: SETUP, VERIFY or None.

    Someone with a device always verifies (also a manager who chose to use it); someone
    whose role requires 2FA and has no device sets one up."""
    if not user.is_authenticated or demo_exempt(user):
        return None
    if has_device(user):
        return VERIFY
    if role_requires_two_factor(user):
        return SETUP
    return None


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def two_factor_satisfied(user) -> bool:
    return is_verified(user) or two_factor_step(user) is None


def is_exempt_path(request) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EXEMPT_URL_NAMES


class TwoFactorMiddleware:
    """After the password, a user who needs 2FA reaches no other page than set-up or
    verification, whatever URL he asks for. Below django_otp's OTPMiddleware.

    htmx requests get HX-Redirect (the browser loads the page), never a fragment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not is_verified(user) and not is_exempt_path(request):
            step = two_factor_step(user)
            if step is not None:
                return self.redirect(request, step)
        return self.get_response(request)

    @staticmethod
    def redirect(request, step):
        from django_htmx.http import HttpResponseClientRedirect

        url = reverse("two_factor_setup" if step == SETUP else "two_factor_verify")
        if request.headers.get("HX-Request") == "true":
            # Back to the page (its path only: never another host), not the fragment.
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = (current.path or "/") + (f"?{current.query}" if current.query else "")
            return HttpResponseClientRedirect(f"{url}?next={quote(back)}")
        back = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{url}?next={quote(back)}")


class VerifiedAdminSite(admin.AdminSite):
    """/beheer/ also asks a verified user (as django_otp's OTPAdminSite), with the same
    rule as the middleware, so the demo exemption holds here too."""

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_satisfied(request.user)


# --- writes --------------------------------------------------------------------------


def pending_totp_device(user):
    """The app being set up: one unconfirmed device per user, kept until confirmed so the
    QR code does not change on a reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def confirm_totp_device(request, device):
    """The first token was right: this app replaces any earlier one, and the session is
    verified by it."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh single-use codes; the old ones stop working. Returned once, to show."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_two_factor(user):
    """The beheerder's reset: every device goes; the next login starts at set-up."""
    count = 0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.delete()  # one by one: each delete is in the audit trail
            count += 1
    return count


# --- settings check ------------------------------------------------------------------


@checks.register(checks.Tags.security, deploy=False)
def demo_exemption_only_in_demo(app_configs, **kwargs):
    """OTP_DEMO_EXEMPT lets the demo users in without 2FA: never on a real server."""
    if (
        getattr(settings, "OTP_DEMO_EXEMPT", False)
        and not settings.DEBUG
        and settings.SETTINGS_MODULE != "config.settings_demo"
    ):
        return [
            checks.Error(
                "OTP_DEMO_EXEMPT staat aan buiten de demo (DEBUG uit, niet "
                "config.settings_demo): de demogebruikers zouden zonder "
                "tweestapsverificatie inloggen.",
                id="route2035.E001",
            )
        ]
    return []
