"""Special-category text never reaches django-auditlog; only that a field changed does."""

import json
from datetime import date

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from learners import models as m
from learners.audit import MASK, scrub_log_entry
from tests.factories import UserFactory
from tests.learners.factories import (
    ArrangementFactory,
    CvoBesluitFactory,
    PlacementFactory,
    PupilFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "Zq7Geheim"


def build(model, region, **fields):
    """One saved instance of every learners model; a new model needs a line here."""
    pupil = None if model in (m.Pupil, m.AccessLog) else PupilFactory(region=region)
    builders = {
        m.Pupil: lambda: PupilFactory.build(region=region, **fields),
        m.CvoBesluit: lambda: CvoBesluitFactory.build(pupil=pupil, **fields),
        m.Arrangement: lambda: ArrangementFactory.build(pupil=pupil, **fields),
        m.PlacementCase: lambda: PlacementFactory.build(pupil=pupil, **fields),
        m.DutyOfCare: lambda: m.DutyOfCare(
            pupil=pupil,
            holder_kind="instelling",
            institution=region.institution,
            start=date(2025, 8, 1),
            **fields,
        ),
        m.Handover: lambda: m.Handover(
            pupil=pupil, date=date(2026, 1, 5), **{"to_whom": "mentor", **fields}
        ),
        m.CheckIn: lambda: m.CheckIn(pupil=pupil, due_date=date(2026, 1, 5), **fields),
        m.Conversation: lambda: m.Conversation(
            pupil=pupil, date=date(2026, 1, 5), **{"participants": "ouders", **fields}
        ),
        m.Consultation: lambda: m.Consultation(
            pupil=pupil,
            date=date(2026, 1, 5),
            **{"asked_by": "mentor", "question": "vraag", **fields},
        ),
        m.AccessLog: lambda: m.AccessLog(
            user=UserFactory(), action="view", region=region, **fields
        ),
    }
    instance = builders[model]()
    instance.save()
    return instance


def text_fields():
    """Every CharField/TextField of every learners model that holds free text."""
    for model in apps.get_app_config("learners").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                if field.name != "code":  # the pseudonymous code names the record
                    yield pytest.param(model, field.name, id=f"{model.__name__}.{field.name}")


def audit_dump():
    return " ".join(
        f"{e.object_repr} {json.dumps(e.changes)} {e.changes_text} {e.additional_data} "
        f"{e.serialized_data}"
        for e in LogEntry.objects.all()
    )


@pytest.mark.parametrize(("model", "name"), list(text_fields()))
def test_free_text_never_reaches_the_audit_log(region, model, name):
    instance = build(model, region, **{name: f"{SECRET}-oud"})
    setattr(instance, name, f"{SECRET}-nieuw")
    instance.save()
    assert SECRET not in audit_dump()
    if not auditlog.contains(model):
        return
    excluded = auditlog.get_model_fields(model)["exclude_fields"]
    if name in excluded:
        return
    # The trail still says that the field changed.
    update = LogEntry.objects.get_for_object(instance).get(action=LogEntry.Action.UPDATE)
    assert update.changes[name] == [MASK, MASK]


def test_every_learners_model_but_the_access_log_is_audited():
    audited = {model for model in apps.get_app_config("learners").get_models()}
    assert {model for model in audited if not auditlog.contains(model)} == {m.AccessLog}


def test_filling_in_an_empty_field_shows_as_filled_in(region):
    pupil = build(m.Pupil, region, notes="")
    pupil.notes = f"{SECRET} nieuw"
    pupil.save()
    update = LogEntry.objects.get_for_object(pupil).get(action=LogEntry.Action.UPDATE)
    assert update.changes["notes"] == ["", MASK]


def test_scrub_masks_text_already_written(region):
    pupil = PupilFactory(region=region)
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(m.Pupil),
        object_pk=str(pupil.pk),
        object_id=pupil.pk,
        object_repr=pupil.code,
        action=LogEntry.Action.UPDATE,
        changes={
            "diagnosis": [f"{SECRET} oud", f"**{SECRET} nieuw"],
            "first_name": ["", f"{SECRET}naam"],
            "target_group": ["tos", "dsh"],
        },
        changes_text=json.dumps({"notes": ["", f"{SECRET} tekst"]}),
    )
    assert scrub_log_entry(entry, ["diagnosis", "notes"]) is True
    entry.refresh_from_db()
    assert SECRET not in audit_dump()
    assert entry.changes == {
        "diagnosis": [MASK, MASK],
        "first_name": ["", MASK],
        "target_group": ["tos", "dsh"],
    }
    assert json.loads(entry.changes_text) == {"notes": ["", MASK]}
    assert scrub_log_entry(entry, ["diagnosis", "notes"]) is False  # nothing left to do


def test_scrub_empties_changes_text_it_cannot_read(region):
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(m.Pupil),
        object_pk="1",
        object_repr="LL-XXXXX",
        action=LogEntry.Action.UPDATE,
        changes_text=f"diagnosis: {SECRET}",
    )
    scrub_log_entry(entry, ["diagnosis"])
    entry.refresh_from_db()
    assert entry.changes_text == ""


def test_the_data_migration_scrubs_every_learners_entry(region):
    from learners.audit import scrub_existing_entries

    conversation = build(m.Conversation, region)
    LogEntry.objects.get_for_object(conversation).update(changes={"wishes": ["", f"{SECRET} wens"]})
    assert SECRET in audit_dump()
    assert scrub_existing_entries(apps) >= 1
    assert SECRET not in audit_dump()
