"""One's own password: change it (logged in) or reset it by e-mail (Django's views)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .auth import client_ip

RESET_WINDOW = 60 * 60  # seconds the reset limit counts over


def over_reset_limit(request, email):
    """Counts this reset request per client address and per e-mail address; True once
    either has asked more than PASSWORD_RESET_LIMIT times within the hour. The cache is
    shared by every app server when CACHES points at a shared one (docs/deploy.md)."""
    over = False
    for key in (f"password-reset:ip:{client_ip(request)}", f"password-reset:mail:{email.lower()}"):
        cache.add(key, 0, RESET_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESET_WINDOW)
            count = 1
        over = over or count > settings.PASSWORD_RESET_LIMIT
    return over


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/account_password_change.html"
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
