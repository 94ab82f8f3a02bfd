"""Background work of learners: the weekly deadline e-mail, run by a task worker
(`manage.py db_worker`); `send_deadline_digest` enqueues it (cron or a systemd timer)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope
from django_tasks import task

from learners.selectors import deadlines_for, pupil_regions
from regions.models import Role
from regions.tasks import RetryWith, retrying

logger = logging.getLogger(__name__)


@task()
@retrying(max_attempts=3)
def send_deadline_digest(dry_run: bool = False, only_user_ids: list[int] | None = None) -> int:
    """E-mail every coordinator and begeleider their deadlines (pupil codes only: names
    never leave the app by e-mail). Returns how many e-mails were (or would be) sent.

    An e-mail that cannot be sent does not stop the others; the next attempt mails only
    those people (only_user_ids), so nobody gets the digest twice."""
    today = timezone.localdate()
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.COORDINATOR, Role.BEGELEIDER],
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    if only_user_ids is not None:
        users = users.filter(pk__in=only_user_ids)
    sent = 0
    unsent = []
    with override(settings.LANGUAGE_CODE):
        for user in users:
            # Each e-mail is built inside its reader's scope, as a request of theirs
            # would be: a selector that forgot a filter cannot mail another region.
            with scope(region=list(pupil_regions(user))):
                items = deadlines_for(user, today)
            if not items:
                continue
            context = {
                "user": user,
                "overdue": [d for d in items if d.overdue],
                "upcoming": [d for d in items if not d.overdue],
                "today": today,
            }
            body = render_to_string("learners/email/deadline_digest.txt", context)
            subject = _("Route 2035: %(n)s deadlines voor de komende 8 weken") % {"n": len(items)}
            if not dry_run:
                try:
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                except Exception:
                    logger.exception("Deadline digest to user %s not sent", user.pk)
                    unsent.append(user.pk)
                    continue
            sent += 1
    if unsent:
        raise RetryWith(f"{len(unsent)} e-mails not sent", only_user_ids=unsent)
    return sent
