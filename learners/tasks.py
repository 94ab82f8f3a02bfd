"""Background work of learners: the weekly deadline e-mail, run by a task worker
(`manage.py db_worker`); `send_deadline_digest` enqueues it (cron or a systemd timer)."""

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


@task()
def send_deadline_digest(dry_run: bool = False) -> int:
    """E-mail every coordinator and begeleider their deadlines (pupil codes only: names
    never leave the app by e-mail). Returns how many e-mails were (or would be) sent."""
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
    sent = 0
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
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
    return sent
