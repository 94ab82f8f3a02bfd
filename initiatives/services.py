"""Writes over more than one model of initiatives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Initiative, InitiativeStatus, StatusChange

# --- initiatives ----------------------------------------------------------------------


def move_status(*, initiative, to_status, reason, user) -> StatusChange:
    """Move the initiative to `to_status` and write who, when and why, in one transaction:
    both or neither. Refuses an unknown status, the status it already has, and no reason."""
    reason = (reason or "").strip()
    errors = {}
    if to_status not in InitiativeStatus.values:
        errors["to_status"] = _("Kies een status uit de lijst.")
    if not reason:
        errors["reason"] = _("Geef een reden voor de nieuwe status.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status == to_status:
            raise ValidationError(
                {"to_status": _("Het initiatief heeft deze status al; kies een andere.")}
            )
        change = StatusChange.objects.create(
            initiative=current,
            from_status=current.status,
            to_status=to_status,
            reason=reason,
            changed_by=user,
        )
        current.status = to_status
        # Forms loaded before this move are stale now (regions/versioning.py).
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
    initiative.status, initiative.version = current.status, current.version
    return change


def create_initiative(*, form, region, user) -> Initiative:
    """Save a new initiative with its first history row ("idee"), in one transaction."""
    with transaction.atomic():
        initiative = form.save(commit=False)
        initiative.region = region
        initiative.save()
        form.save_m2m()
        StatusChange.objects.create(
            initiative=initiative,
            from_status="",
            to_status=initiative.status,
            reason=_("Initiatief vastgelegd."),
            changed_by=user,
        )
    return initiative
