"""Writes on a region's toolkit and werkagenda work.

Optimistic locking: each form carries the `version` it was loaded with. Inside one
transaction the row is read with select_for_update (PostgreSQL locks the row; SQLite
runs the transaction with BEGIN IMMEDIATE, see settings, so writers are serialised),
the version is compared and only then is the instance saved. Saving the instance (not
a bare UPDATE) keeps django-auditlog's signals, so every change is in the audit trail
with who, when, from and to.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ActionStatus,
    Measure,
    ProgressStatus,
    RegionAction,
    RegionItemProgress,
    RegionMeasure,
    ToolkitItem,
)
from .selectors import region_user_ids


class ConflictError(Exception):
    """Someone else saved the record after this form was loaded."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _("Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen.")
        )


def _check_owner(region, owner):
    if owner is not None and owner.pk not in region_user_ids(region):
        raise ValidationError({"owner": _("Kies een eigenaar met een rol in deze regio.")})


def _check_version(obj, version):
    if obj.version != version:
        raise ConflictError(obj)


def _locked_or_new(model, version, **key):
    """The region's row, locked for this transaction, or a new unsaved one (version 0)."""
    obj = model.objects.select_for_update().filter(**key).first()
    if obj is None:
        obj = model(**key)
    _check_version(obj, version)
    return obj


def _save_new_or_existing(obj, model, **key):
    """Save; if another request created the same row meanwhile, that is a conflict too."""
    if obj.pk:
        obj.save()
        return
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ConflictError(model.objects.get(**key)) from None


@transaction.atomic
def update_item_progress(
    *,
    region,
    item: ToolkitItem,
    version: int,
    status: str,
    owner=None,
    due_date: date | None = None,
    note: str = "",
) -> RegionItemProgress:
    _check_owner(region, owner)
    progress = _locked_or_new(RegionItemProgress, version, region=region, item=item)
    progress.status = ProgressStatus(status)
    progress.owner = owner
    progress.due_date = due_date
    progress.note = note
    progress.version = version + 1
    progress.full_clean(validate_constraints=False)
    _save_new_or_existing(progress, RegionItemProgress, region=region, item=item)
    return progress


@transaction.atomic
def decide_measure(
    *, region, measure: Measure, version: int, decision: str, reason: str = ""
) -> RegionMeasure:
    if not measure.region_decides:
        raise ValidationError(_("Landelijke maatregelen worden niet per regio overgenomen."))
    record = _locked_or_new(RegionMeasure, version, region=region, measure=measure)
    record.decision = decision
    # The reason is required for "not relevant" and kept as a note for any decision.
    record.reason = reason.strip()
    record.version = version + 1
    record.full_clean(validate_constraints=False)
    _save_new_or_existing(record, RegionMeasure, region=region, measure=measure)
    return record


# The fields of a school year plan's worked-out action point (forms group them).
ACTION_POINT_FIELDS = (
    "current_situation",
    "activities",
    "consequences_organisation",
    "consequences_training",
    "costs",
    "measurable_result",
    "evaluation",
    "safeguarding",
)
ACTION_FIELDS = (
    "line",
    "measure",
    "title",
    "goal",
    "actors",
    "owner",
    "start",
    "deadline",
    "status",
    "evidence",
    "evidence_url",
    *ACTION_POINT_FIELDS,
)


@transaction.atomic
def create_action(*, region, data: dict) -> RegionAction:
    _check_owner(region, data.get("owner"))
    action = RegionAction(region=region, **{k: data.get(k) for k in ACTION_FIELDS if k in data})
    action.full_clean()
    action.save()
    action.schools.set(data.get("schools") or [])
    action.swvs.set(data.get("swvs") or [])
    return action


@transaction.atomic
def update_action(*, region, action_id: int, version: int, data: dict) -> RegionAction:
    _check_owner(region, data.get("owner"))
    action = RegionAction.objects.select_for_update().get(region=region, pk=action_id)
    _check_version(action, version)
    for key in ACTION_FIELDS:
        if key in data:
            setattr(action, key, data[key])
    action.version = version + 1
    action.full_clean()
    action.save()
    if "schools" in data:
        action.schools.set(data["schools"])
    if "swvs" in data:
        action.swvs.set(data["swvs"])
    return action


@transaction.atomic
def set_action_status(*, region, action_id: int, version: int, done: bool) -> RegionAction:
    """Complete (done=True) or reopen an action."""
    action = RegionAction.objects.select_for_update().get(region=region, pk=action_id)
    _check_version(action, version)
    if done:
        action.status = ActionStatus.DONE
    else:
        today = timezone.localdate()
        started = action.start is None or action.start <= today
        action.status = ActionStatus.IN_PROGRESS if started else ActionStatus.PLANNED
    action.version = version + 1
    action.save()
    return action
