"""Inzageverzoek (AVG art. 15): everything stored about one pupil, as one PDF.

Every field of the pupil and of every record that points at it (found from the model
registry, so a record type added later, in any app, is in the PDF the day it exists),
each record's change history from the audit trail (masked as stored: free text shows as
"[afgeschermd]", name and date of birth were never logged), and the access log for the
pupil. A fixed number of queries per record type, whatever the number of records.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.history import BOOKKEEPING, EMPTY, describe_changes
from regions.pdf import render_pdf

from .models import AccessLog, Pupil

# Not data about the pupil: how a row is stored.
HIDDEN = {"id", "version"}


@dataclass
class Record:
    title: str
    fields: list  # [(label, value)]
    edit_url: str = ""
    history: list = field(default_factory=list)  # [(when, who, what, [(label, old, new)])]


@dataclass
class Section:
    title: str
    records: list


def _label(model, name):
    """A field's label; the timestamps have none of their own."""
    labels = {"created_at": _("aangemaakt op"), "updated_at": _("gewijzigd op")}
    return labels.get(name) or model._meta.get_field(name).verbose_name


def _user_name(user):
    return (user.get_full_name() or user.username) if user else EMPTY


def _value(obj, model_field) -> str:
    value = getattr(obj, model_field.name)
    if value in (None, ""):
        return EMPTY
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(model_field, models.BooleanField):
        return _("ja") if value else _("nee")
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "d-m-Y H:i")
    if isinstance(model_field, models.DateField):
        return date_format(value, "d-m-Y")
    if isinstance(model_field, models.ForeignKey):
        if hasattr(value, "get_username"):
            return _user_name(value)
        if getattr(value, "pupil_id", None):  # another record of this pupil, named by number
            return f"{value._meta.verbose_name} {value.pk}"
        return str(value)
    return str(value)


def _fields(obj, skip=()) -> list:
    rows = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in HIDDEN or model_field.name in skip:
            continue
        if isinstance(model_field, models.ForeignKey) and model_field.related_model is Pupil:
            continue  # the pupil this is all about
        rows.append((str(_label(type(obj), model_field.name)), _value(obj, model_field)))
    for m2m in obj._meta.many_to_many:
        names = [
            _user_name(u) if hasattr(u, "get_username") else str(u)
            for u in getattr(obj, m2m.name).all()
        ]
        rows.append((str(m2m.verbose_name), ", ".join(names) or EMPTY))
    return rows


def _record_relations():
    """Every one-to-many relation from Pupil to a record type, in model order; the
    access log has a section of its own."""
    return [
        rel
        for rel in Pupil._meta.related_objects
        if rel.one_to_many and rel.related_model is not AccessLog
    ]


def _records_of(rel, pupil):
    model = rel.related_model
    fks = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not Pupil
    ]
    queryset = model._default_manager.filter(**{rel.field.name: pupil}).select_related(*fks)
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(*(m.name for m in model._meta.many_to_many))
    records = list(queryset.order_by("pk"))
    for record in records:
        setattr(record, rel.field.name, pupil)  # their str() and URLs need no lookup
    return records


def _history(objects) -> dict:
    """{(content type id, pk): [(when, who, what, changes)]} for `objects`, in one query.
    Related objects in a change are named by their field only: looking each one up
    would cost a query per change."""
    by_type = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        by_type.setdefault(content_type, []).append(str(obj.pk))
    if not by_type:
        return {}
    condition = Q()
    for content_type, pks in by_type.items():
        condition |= Q(content_type=content_type, object_pk__in=pks)
    actions = {
        LogEntry.Action.CREATE: _("aangemaakt"),
        LogEntry.Action.UPDATE: _("gewijzigd"),
        LogEntry.Action.DELETE: _("verwijderd"),
    }
    result = {}
    for entry in (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("timestamp")
    ):
        model = entry.content_type.model_class()
        fks = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        changes = entry.changes_dict or {}
        rows = []
        if entry.action != LogEntry.Action.CREATE:
            rows = describe_changes(model, changes, skip=fks)
            shown = {str(label) for label, _old, _new in rows}
            # A masked text reads "[afgeschermd]" before and after, and a related object
            # is not looked up: say only that the field changed.
            rows += [
                (label, "…", "…")
                for name in changes
                if name not in BOOKKEEPING
                and (label := str(_label(model, name))) not in shown
                and name in {f.name for f in model._meta.get_fields()}
            ]
        result.setdefault((entry.content_type_id, entry.object_pk), []).append(
            (
                date_format(timezone.localtime(entry.timestamp), "d-m-Y H:i"),
                _user_name(entry.actor),
                actions.get(entry.action, ""),
                rows,
            )
        )
    return result


def _edit_url(obj, kinds) -> str:
    """Where the coordinator corrects this record, or "" when no form does."""
    if isinstance(obj, Pupil):
        return reverse("learners:pupil_edit", args=[obj.code])
    kind = kinds.get(type(obj))
    return reverse("learners:record_edit", args=[obj.pupil.code, kind, obj.pk]) if kind else ""


def build_dossier(pupil, *, kinds) -> dict:
    """Everything about `pupil` for the PDF. `kinds` maps a record model to its record
    kind in the URL ({CvoBesluit: "besluit", ...}, from the views)."""
    groups = [(rel.related_model, _records_of(rel, pupil)) for rel in _record_relations()]
    history = _history([pupil] + [obj for _model, objs in groups for obj in objs])
    content_types = ContentType.objects.get_for_models(Pupil, *(m for m, _objs in groups))

    def record(obj, title):
        key = (content_types[type(obj)].pk, str(obj.pk))
        return Record(title, _fields(obj), _edit_url(obj, kinds), history.get(key, []))

    sections = [
        Section(
            str(model._meta.verbose_name_plural),
            [record(obj, f"{model._meta.verbose_name} {obj.pk}") for obj in objs],
        )
        for model, objs in groups
    ]
    looks = AccessLog.objects.filter(pupil=pupil).select_related("user").order_by("at")
    return {
        "pupil": pupil,
        "pupil_record": record(pupil, str(Pupil._meta.verbose_name)),
        "sections": sections,
        "access_log": [
            (
                date_format(timezone.localtime(look.at), "d-m-Y H:i"),
                _user_name(look.user),
                look.get_action_display(),
                look.detail,
            )
            for look in looks
        ],
    }


def dossier_pdf(pupil, *, kinds, requested_by, base_url="") -> bytes:
    context = build_dossier(pupil, kinds=kinds)
    context.update(
        {
            "requested_by": _user_name(requested_by),
            "made_at": date_format(timezone.localtime(), "d-m-Y H:i"),
            "site": base_url.rstrip("/"),
        }
    )
    return render_pdf(render_to_string("learners/access_request_pdf.html", context))
