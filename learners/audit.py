"""What of a pupil record reaches django-auditlog: that a field changed, never its text.

Free text on a pupil record (diagnosis, notes, wishes, concerns, advice, ...) is special
category data. The audit trail keeps who changed which field and when; the old and new
text become a fixed marker. The list of masked fields is computed from the model, so a
new text field is masked the day it is added.
"""

import json

from django.db import models

# Not translated: it is stored in the database, not shown as an interface string.
MASK = "[afgeschermd]"
MASK_CALLABLE = "learners.audit.mask_text"

# Name and date of birth are not logged at all (exclude_fields); the access log says who
# looked. Listed here too so that scrubbing old entries also removes them.
PUPIL_IDENTITY_FIELDS = ["first_name", "last_name", "date_of_birth"]
# The pseudonymous code is how the trail names a pupil; it is no secret.
NOT_SECRET = {"code"}
# What auditlog writes for an empty value.
EMPTY = {"", "None"}


def mask_text(value) -> str:
    """The marker for any text; an empty value stays empty, so "filled in" still shows."""
    return "" if value is None or str(value) in EMPTY else MASK


def free_text_fields(model) -> list[str]:
    """Every CharField/TextField of `model` that holds free text (no choices, not the code)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and field.name not in NOT_SECRET
    ]


def audit_options(model) -> dict:
    """Keyword arguments for auditlog.register: mask free text, leave identity out."""
    options = {"mask_fields": free_text_fields(model), "mask_callable": MASK_CALLABLE}
    if model._meta.model_name == "pupil":
        options["exclude_fields"] = PUPIL_IDENTITY_FIELDS
    return options


def _scrub_changes(changes: dict, fields) -> bool:
    changed = False
    for name in fields:
        value = changes.get(name)
        if isinstance(value, (list, tuple)):
            masked = [mask_text(v) for v in value]
            if masked != list(value):
                changes[name] = masked
                changed = True
    return changed


def scrub_log_entry(entry, fields) -> bool:
    """Replace the text of `fields` in one LogEntry by the marker; True when it changed.

    `changes` is a JSON dict in auditlog 3 (`{"field": [old, new]}`); entries written by
    auditlog 2 (or after its two-step migration) keep a JSON string in `changes_text`. A
    `changes_text` that cannot be read is emptied rather than kept.
    """
    fields = set(fields) | set(PUPIL_IDENTITY_FIELDS)
    dirty = []
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            changes = {}
            entry.changes = None
            dirty.append("changes")
    if isinstance(changes, dict) and _scrub_changes(changes, fields):
        entry.changes = changes
        dirty.append("changes")
    if entry.changes_text:
        try:
            text_changes = json.loads(entry.changes_text)
        except ValueError:
            text_changes = None
        if not isinstance(text_changes, dict):
            entry.changes_text = ""
            dirty.append("changes_text")
        elif _scrub_changes(text_changes, fields):
            entry.changes_text = json.dumps(text_changes)
            dirty.append("changes_text")
    if getattr(entry, "serialized_data", None):
        entry.serialized_data = None  # a full copy of the record, never wanted here
        dirty.append("serialized_data")
    if dirty:
        entry.save(update_fields=sorted(set(dirty)))
    return bool(dirty)


def scrub_existing_entries(apps) -> int:
    """Mask the free text in every LogEntry of a learners model (for the data migration)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    scrubbed = 0
    for model in apps.get_app_config("learners").get_models():
        content_type = ContentType.objects.filter(
            app_label="learners", model=model._meta.model_name
        ).first()
        if content_type is None:
            continue
        fields = free_text_fields(model)
        for entry in LogEntry.objects.filter(content_type=content_type).iterator():
            scrubbed += scrub_log_entry(entry, fields)
    return scrubbed


def log_list(*, user, pupils, detail: str) -> list:
    """A list page showed these pupils: one row per pupil, in one INSERT, so the log
    answers "who saw this pupil" for lists as it does for pupil pages. Here, not in
    services, because initiatives and checklists log their looks with it too."""
    from .models import AccessLog  # audit.py is read before the models are ready

    seen = {}
    for pupil in pupils:
        seen.setdefault(pupil.pk, pupil.region_id)
    return AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            action=AccessLog.Action.LIST,
            pupil_id=pupil_id,
            region_id=region_id,
            detail=detail[:250],
        )
        for pupil_id, region_id in seen.items()
    )
