"""One's own password: change it (logged in) or reset it by e-mail (Django's views)."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .auth import client_ip

RESET_WINDOW = 60 * 60  # seconds the reset limit counts over
# Wrong passwords on the forms that ask for it again (change password, switch 2FA off):
# someone at a session left open may not guess on.
PASSWORD_CHECK_WINDOW = 15 * 60
PASSWORD_CHECK_LIMIT = 5

logger = logging.getLogger(__name__)


def _count(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def check_own_password(user, password, wrong=None):
    """For a form that asks a signed-in user's password again: a Dutch ValidationError for
    a wrong one, and after PASSWORD_CHECK_LIMIT wrong ones in a quarter of an hour for any
    (the right one too) until the quarter has passed. Counted per user in the cache (shared
    by every app server when CACHES points at a shared one) and logged without the
    password."""
    key = f"password-check:wrong:{user.pk}"
    if (cache.get(key) or 0) >= PASSWORD_CHECK_LIMIT:
        raise forms.ValidationError(
            _(
                "U heeft te vaak een verkeerd wachtwoord ingevuld. Probeer het over een "
                "kwartier opnieuw; er is niets gewijzigd."
            ),
            code="password_checks_blocked",
        )
    if not user.check_password(password):
        times = _count(key, PASSWORD_CHECK_WINDOW)
        logger.warning("wrong password on a confirmation form (user %s, %s times)", user.pk, times)
        raise forms.ValidationError(
            wrong or _("Dit wachtwoord klopt niet. Er is niets gewijzigd."),
            code="password_incorrect",
        )


def over_reset_limit(request, email):
    """Counts this reset request per client address and per e-mail address; True once
    either has asked more than PASSWORD_RESET_LIMIT times within the hour. The cache is
    shared by every app server when CACHES points at a shared one (docs/deploy.md)."""
    over = False
    for key in (f"password-reset:ip:{client_ip(request)}", f"password-reset:mail:{email.lower()}"):
        over = _count(key, RESET_WINDOW) > settings.PASSWORD_RESET_LIMIT or over
    return over


class OwnPasswordChangeForm(PasswordChangeForm):
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        check_own_password(self.user, old_password, self.error_messages["password_incorrect"])
        return old_password


def blocked(form) -> bool:
    """Refused for too many wrong passwords (check_own_password), not for this one."""
    return any(
        error.code == "password_checks_blocked"
        for errors in form.errors.as_data().values()
        for error in errors
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/account_password_change.html"
    form_class = OwnPasswordChangeForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if blocked(form):
            response.status_code = 429
        return response

    extra_context = {
        "title": gettext_lazy("Wachtwoord wijzigen"),
        "cancel_url": reverse_lazy("plans:home"),
    }


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/account_password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address belongs to an account (Django's view
    sends only to active accounts with a password); too many requests get a message and
    no e-mail."""

    template_name = "registration/account_password_reset.html"
    email_template_name = "registration/account_password_reset_email.txt"
    subject_template_name = "registration/account_password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {
        "title": gettext_lazy("Wachtwoord vergeten"),
        "cancel_url": reverse_lazy("login"),
    }

    def form_valid(self, form):
        if over_reset_limit(self.request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _(
                    "Er is het afgelopen uur te vaak een nieuw wachtwoord aangevraagd. "
                    "Probeer het over een uur opnieuw, of vraag de functioneel beheerder om hulp."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/account_password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/account_password_reset_confirm.html"
    extra_context = {
        "title": gettext_lazy("Nieuw wachtwoord instellen"),
        "cancel_url": reverse_lazy("login"),
    }


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/account_password_reset_complete.html"
