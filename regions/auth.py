"""Logging in: usernames match whatever their case, for the login, the admin and the
lock-out; the client address that the lock-out and the reset limit count by."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext as _


def duplicate_username_message(existing):
    return _(
        "Er bestaat al een gebruiker met de naam '%(name)s'. Gebruikersnamen verschillen "
        "niet alleen in hoofdletters en kleine letters."
    ) % {"name": existing}


def username_taken(username, exclude_pk=None):
    """The existing username that equals `username` when case is ignored, or None."""
    users = get_user_model()._default_manager.filter(username__iexact=username)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.values_list("username", flat=True).first()


class CaseInsensitiveBackend(ModelBackend):
    """ "Begeleider" logs in as "begeleider". Two accounts that differ only in case (made
    before this rule) log in by their exact name only."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if len(username) > User._meta.get_field(User.USERNAME_FIELD).max_length:
            # No account has so long a name; SQLite refuses such a LIKE pattern (a 503).
            return None
        matches = list(User._default_manager.filter(username__iexact=username)[:2])
        if len(matches) == 1:
            username = matches[0].get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials):
    """The name django-axes counts failures by: lower-cased, so that five wrong passwords
    for "begeleider" also lock "Begeleider" (AXES_USERNAME_CALLABLE)."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    if not isinstance(username, str):
        return username
    # No account has a longer name; axes stores it in a column of 255 (PostgreSQL refuses
    # more: a 500 where SQLite stored it).
    longest = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
    return username.strip().lower()[:longest]


def client_ip(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE, and the reset limit).

    X-Forwarded-For is trusted only with TRUSTED_PROXY_COUNT > 0: behind N proxies of our
    own the N-th address from the right is the one the outermost proxy saw; anything more
    to the left the client may have made up. Without proxies it is REMOTE_ADDR."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
