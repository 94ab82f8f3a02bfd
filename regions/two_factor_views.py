"""The 2FA pages under /account/tweestapsverificatie/: the overview, set-up of an
authenticator app (QR code and the secret as text, confirmed with a first code), the
check after the password (a code from the app or a recovery code) and new recovery
codes. The rules live in regions/two_factor.py."""

import math
from base64 import b32encode
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor
from .account_views import blocked, check_own_password

NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def safe_next(request, default=None):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def code_input(**attrs):
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6, **attrs}
    )


def wait_message(locked_until):
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "Te veel onjuiste codes. Wacht %(seconds)d seconde en probeer het dan opnieuw.",
        "Te veel onjuiste codes. Wacht %(seconds)d seconden en probeer het dan opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def check_code(device, code):
    """(ok, error message). Wrong codes count on the device (django-otp's throttling:
    after each failure the next try waits 1, 2, 4, 8 ... seconds). The count is written
    even though the form is refused: no exception inside the transaction."""
    with transaction.atomic():
        device = Device.from_persistent_id(device.persistent_id, for_verify=True)
        allowed, extra = device.verify_is_allowed()
        if not allowed:
            locked_until = (extra or {}).get("locked_until")
            if locked_until:
                return None, wait_message(locked_until)
            return None, _("Controleren met een code kan nu even niet. Probeer het later opnieuw.")
        if device.verify_token(code):
            return device, None
    return None, _("Deze code klopt niet. Controleer de code en probeer het opnieuw.")


class SetupForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code uit de app"),
        help_text=gettext_lazy("De 6 cijfers die de app nu toont."),
        max_length=6,
        widget=code_input(),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Vul de 6 cijfers uit de app in."))
        device, error = check_code(self.device, token)
        if error:
            raise forms.ValidationError(error)
        return token


class VerifyForm(forms.Form):
    """A code from the app, or else one of the recovery codes (each works once)."""

    token = forms.CharField(
        label=gettext_lazy("Code uit de app"),
        help_text=gettext_lazy("De 6 cijfers die de authenticator-app nu toont."),
        required=False,
        max_length=6,
        widget=code_input(),
    )
    recovery_code = forms.CharField(
        label=gettext_lazy("Of: een herstelcode"),
        help_text=gettext_lazy(
            "Telefoon kwijt? Vul een van uw herstelcodes in (8 tekens). Elke code werkt één keer."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean(self):
        data = super().clean()
        token = (data.get("token") or "").strip()
        recovery = "".join((data.get("recovery_code") or "").split()).replace("-", "").lower()
        # A recovery code typed in means the phone is gone: it goes first, whatever code
        # was left in the other box.
        if recovery:
            field, model, code = "recovery_code", StaticDevice, recovery
        elif token:
            field, model, code = "token", TOTPDevice, token
        else:
            raise forms.ValidationError(_("Vul de code uit de app in, of een herstelcode."))
        device = model.objects.filter(user=self.user, confirmed=True).first()
        if device is None:
            self.add_error(field, _("U heeft geen codes van deze soort."))
            return data
        self.device, error = check_code(device, code)
        if error:
            self.add_error(field, error)
            # A refused code is not shown again: the boxes are empty for the next try.
            self.data = self.data.copy()
            self.data["token"] = self.data["recovery_code"] = ""
        return data


def verified_or_free(user):
    return two_factor.is_verified(user) or not two_factor.has_device(user)


@login_required
@require_GET
def two_factor_account(request):
    user = request.user
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "registration/account_two_factor.html",
        {
            "title": _("Tweestapsverificatie"),
            "totp": totp,
            "codes_left": recovery.token_set.count() if recovery else 0,
            "required": two_factor.role_requires_two_factor(user),
            "demo_exempt": two_factor.demo_exempt(user),
            "may_switch_off": two_factor.may_switch_off(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up (or replace) the authenticator app. Someone who has a device and is not
    verified verifies first: a password alone never replaces the app."""
    user = request.user
    if not verified_or_free(user):
        return redirect(f"{reverse('two_factor_verify')}?next={quote(safe_next(request))}")
    device = two_factor.pending_totp_device(user)
    form = SetupForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.refresh_from_db()
        request.session.cycle_key()  # a new session key once the login is complete
        two_factor.confirm_totp_device(request, device)
        request.session[NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(user)
        return redirect(f"{reverse('two_factor_codes')}?next={quote(safe_next(request))}")
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/account_two_factor_setup.html",
        {
            "title": _("Tweestapsverificatie instellen"),
            "form": form,
            "qr_svg": mark_safe(qr.svg_inline(scale=5, border=4, light="#fff")),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": safe_next(request),
            "cancel_url": reverse("two_factor"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    if two_factor.is_verified(user):
        return redirect(safe_next(request))
    if not two_factor.has_device(user):
        step = two_factor.two_factor_step(user)
        return redirect("two_factor_setup" if step == two_factor.SETUP else safe_next(request))
    form = VerifyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid() and form.device is not None:
        # A new session key now the login is complete (as Django does at login).
        request.session.cycle_key()
        otp_login(request, form.device)
        return redirect(safe_next(request))
    return render(
        request,
        "registration/account_two_factor_verify.html",
        {"title": _("Inloggen: tweede stap"), "form": form, "next": safe_next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_codes(request):
    """Right after set-up: the new recovery codes, shown once. POST makes ten new ones
    (the old ones stop working); only for a verified user."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if request.method == "POST":
        if not two_factor.is_verified(request.user):
            return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor')}")
        codes = two_factor.new_recovery_codes(request.user)
    return render(
        request,
        "registration/account_two_factor_codes.html",
        {
            "title": _("Herstelcodes"),
            "codes": codes,
            "next": safe_next(request),
            "verified": two_factor.is_verified(request.user),
            # Not verified: no app yet, or a demo user let in without a code (exempt).
            "has_device": two_factor.has_device(request.user),
            "verify_url": f"{reverse('two_factor_verify')}?next={reverse('two_factor_codes')}",
        },
    )


class SwitchOffForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Uw wachtwoord"),
        help_text=gettext_lazy("Ter bevestiging: zonder app is uw wachtwoord weer genoeg."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        check_own_password(self.user, password)
        return password


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_switch_off(request):
    """Switch voluntary 2FA off again (app and recovery codes go), with the password as
    confirmation. A role that requires 2FA gets the reason and no form (a POST: 403)."""
    user = request.user
    allowed = two_factor.may_switch_off(user)
    form = SwitchOffForm(request.POST or None, user=user) if allowed else None
    if request.method == "POST" and form is not None and form.is_valid():
        two_factor.reset_two_factor(user)
        messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("two_factor")
    return render(
        request,
        "registration/account_two_factor_switch_off.html",
        {
            "title": _("Tweestapsverificatie uitzetten"),
            "form": form,
            "has_device": two_factor.has_device(user),
        },
        status=403
        if request.method == "POST" and not allowed
        else 429
        if form is not None and form.is_bound and blocked(form)
        else 200,
    )
