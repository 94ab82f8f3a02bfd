"""Checklist templates as data: checklists/content/<slug>.json, one file per template.

The format (shared with the functional admin's textarea in Django admin):

    {"slug", "title", "purpose", "audience": "schoolleider" | "coordinator", "source",
     "sections": [{"key", "title", "intro",
                   "questions": [{"key", "text", "type", "help", "source",
                                  "scale": [...], "min", "max", "school_field",
                                  "toolkit_items": [slug, ...], "measures": [code, ...]}]}]}

Question types: yes_partly_no, scale (2-7 labelled steps), short_text, long_text, number
(optional min/max), date, evidence. Keys are unique within a template and stay the same
across versions. A `school_field` (acoustics, low_stimulus_room, accessibility) goes with
a scale of exactly three steps, mapped in order onto onvoldoende, redelijk, goed
(models.SCHOOL_FIELD_STEPS). Keys the format does not name are left alone (room for a
later round, such as next steps per section).

load_templates() publishes a file as a new version only when it differs from the last
version loaded from that file, so running it again changes nothing and a version the
functional admin published in Django admin stays until the file itself changes.
"""

import json
import math
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    QUESTION_TYPES,
    SCHOOL_FIELDS,
    Audience,
    ChecklistTemplate,
    TemplateVersion,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Keys end up in addresses and in Answer.question_key (max_length 80).
KEY_MAX = 60
KEY_RE = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{KEY_MAX - 1}}}")
BAD_KEY = gettext_lazy(
    "%(where)s: 'key' ontbreekt, is langer dan 60 tekens of bevat andere tekens dan kleine "
    "letters, cijfers en streepjes."
)
TITLE_MAX = 200  # ChecklistTemplate.title
# The format nests six deep (document, sections, section, questions, question, scale).
MAX_DEPTH = 10
NUMBER_MAX = 10**12  # bounds of a number question


class _Refused(ValueError):
    """The loader refuses the document: its message lists every problem."""


def _refuse_constant(name):
    raise _Refused(_("'%(name)s' is geen getal dat de checklist kan gebruiken.") % {"name": name})


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        _refuse_constant(text)
    return value


def _bounded_int(text):
    if len(text.lstrip("-")) > 15:
        _refuse_constant(text)
    return int(text)


def _depth(data) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                items = value.values() if isinstance(value, dict) else value
                todo.extend((item, depth + 1) for item in items)
    return deepest


def parse_document(text: str, origin: str):
    """The JSON of a template. Malformed JSON raises json.JSONDecodeError (each caller
    words it); NaN, Infinity, a number too large to store and a document nested deeper
    than the format raise a ValidationError in Dutch."""
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except _Refused as exc:
        raise ValidationError(f"{origin}: {exc}") from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_DEPTH:
        raise ValidationError(
            _("%(origin)s: het document is dieper genest dan het formaat toestaat.")
            % {"origin": origin}
        )
    return data


def _is_text(value) -> bool:
    return isinstance(value, str)


def validate_document(data, origin: str) -> None:
    """ValidationError with every problem of the document, each naming `origin` (a file
    name, or "de inhoud" in admin) and the key it is about."""
    errors = []

    def problem(message, **params):
        errors.append(f"{origin}: " + message % params)

    if not isinstance(data, dict):
        raise ValidationError(
            _("%(origin)s: het document is geen JSON-object.") % {"origin": origin}
        )
    for name in ("slug", "title"):
        if not _is_filled(data.get(name)):
            problem(_("'%(name)s' ontbreekt of is leeg."), name=name)
    if isinstance(data.get("slug"), str) and data["slug"] and not KEY_RE.fullmatch(data["slug"]):
        problem(
            _(
                "slug '%(slug)s' mag alleen kleine letters, cijfers en streepjes bevatten, "
                "ten hoogste 60."
            ),
            slug=data["slug"],
        )
    if _is_text(data.get("title")) and len(data["title"]) > TITLE_MAX:
        problem(_("'title' is langer dan %(max)d tekens."), max=TITLE_MAX)
    for name in ("purpose", "source"):
        if name in data and not _is_text(data[name]):
            problem(_("'%(name)s' is geen tekst."), name=name)
    audience = data.get("audience", Audience.SCHOOLLEIDER)
    if not _is_text(audience) or audience not in Audience.values:
        problem(
            _("audience '%(value)s' is onbekend; kies %(choices)s."),
            value=data.get("audience"),
            choices=" of ".join(Audience.values),
        )
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        problem(_("'sections' ontbreekt of is leeg."))
        sections = []
    section_keys, question_keys = set(), set()
    known_items, known_measures = _toolkit_keys()
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            problem(_("onderdeel %(n)d is geen JSON-object."), n=number)
            continue
        key = section.get("key")
        where = _("onderdeel '%(key)s'") % {"key": _shown_key(key, number)}
        _check_key(key, where, section_keys, _("%(where)s: deze key komt twee keer voor."), problem)
        if not _is_filled(section.get("title")):
            problem(_("%(where)s: 'title' ontbreekt."), where=where)
        if "intro" in section and not _is_text(section["intro"]):
            problem(_("%(where)s: '%(name)s' is geen tekst."), where=where, name="intro")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problem(_("%(where)s: 'questions' ontbreekt of is leeg."), where=where)
            continue
        for q_number, question in enumerate(questions, start=1):
            if not isinstance(question, dict):
                problem(_("%(where)s: vraag %(n)d is geen JSON-object."), where=where, n=q_number)
                continue
            _validate_question(
                question, q_number, where, question_keys, known_items, known_measures, problem
            )
    if errors:
        raise ValidationError(errors)


def _validate_question(question, number, section_where, seen, known_items, known_measures, problem):
    key = question.get("key")
    where = _("vraag '%(key)s'") % {"key": _shown_key(key, f"{section_where} nr. {number}")}
    twice = _("%(where)s: deze key komt twee keer voor in het sjabloon.")
    _check_key(key, where, seen, twice, problem)
    if not _is_filled(question.get("text")):
        problem(_("%(where)s: 'text' ontbreekt."), where=where)
    kind = question.get("type")
    unknown_type = _("%(where)s: type '%(type)s' is onbekend; kies uit %(types)s.")
    if not _is_known(kind, QUESTION_TYPES, unknown_type, problem, where=where, name="type"):
        kind = None
    scale = question.get("scale")
    if kind == "scale":
        if (
            not isinstance(scale, list)
            or not 2 <= len(scale) <= 7
            or not all(_is_filled(step) for step in scale)
        ):
            problem(
                _("%(where)s: een schaal heeft 2 tot 7 stappen met elk een naam ('scale')."),
                where=where,
            )
    elif scale is not None:
        problem(_("%(where)s: 'scale' hoort alleen bij type scale."), where=where)
    for bound in ("min", "max"):
        value = question.get(bound)
        if value is None:
            continue
        if kind != "number":
            problem(
                _("%(where)s: '%(bound)s' hoort alleen bij type number."), where=where, bound=bound
            )
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problem(_("%(where)s: '%(bound)s' is geen getal."), where=where, bound=bound)
        elif not -NUMBER_MAX <= value <= NUMBER_MAX:
            problem(
                _("%(where)s: '%(bound)s' ligt buiten -%(max)s en %(max)s."),
                where=where,
                bound=bound,
                max=f"{NUMBER_MAX:_}".replace("_", "."),
            )
    low, high = _number(question.get("min")), _number(question.get("max"))
    if low is not None and high is not None and low > high:
        problem(_("%(where)s: 'min' is groter dan 'max'."), where=where)
    field = question.get("school_field")
    if field:
        unknown_field = _("%(where)s: school_field '%(field)s' is onbekend; kies uit %(fields)s.")
        _is_known(field, SCHOOL_FIELDS, unknown_field, problem, where=where, name="field")
        if kind != "scale" or not isinstance(scale, list) or len(scale) != 3:
            problem(
                _(
                    "%(where)s: een vraag met school_field is een schaal met precies 3 stappen "
                    "(onvoldoende, redelijk, goed)."
                ),
                where=where,
            )
    for name, known, label in (
        ("toolkit_items", known_items, _("toolkititem")),
        ("measures", known_measures, _("maatregel")),
    ):
        refs = question.get(name, [])
        if not isinstance(refs, list):
            problem(_("%(where)s: '%(name)s' is geen lijst."), where=where, name=name)
            continue
        for ref in refs:
            if not _is_text(ref) or ref not in known:
                problem(
                    _("%(where)s: %(label)s '%(ref)s' bestaat niet."),
                    where=where,
                    label=label,
                    ref=ref,
                )
    for name in ("help", "source"):
        if name in question and not isinstance(question[name], str):
            problem(_("%(where)s: '%(name)s' is geen tekst."), where=where, name=name)


def _is_filled(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_key(key, where, seen, twice, problem):
    """A section's or question's key: its characters, and only once among `seen` (else
    the message `twice`)."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        problem(BAD_KEY, where=where)
    elif key in seen:
        problem(twice, where=where)
    else:
        seen.add(key)


def _is_known(value, known, message, problem, *, where, name):
    """Whether `value` is one of `known`; if not, `message` names it (`%(name)s`) and the
    choices (`%(names)s`)."""
    if _is_text(value) and value in known:
        return True
    problem(message, where=where, **{name: value, f"{name}s": ", ".join(known)})
    return False


def _shown_key(key, fallback):
    """The key as the message names it: short, and only if it is text."""
    if isinstance(key, str) and key:
        return key[:KEY_MAX] + ("…" if len(key) > KEY_MAX else "")
    return fallback


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _toolkit_keys():
    """Slugs of toolkit items and codes of werkagenda measures the questions may name."""
    from toolkit.models import Measure, ToolkitItem

    return (
        set(ToolkitItem.objects.values_list("slug", flat=True)),
        set(Measure.objects.values_list("code", flat=True)),
    )


def read_document(path: Path) -> dict:
    try:
        data = parse_document(path.read_text(encoding="utf-8"), path.name)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("%(file)s: geen geldige JSON (regel %(line)d, kolom %(col)d): %(msg)s")
            % {"file": path.name, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None
    validate_document(data, path.name)
    if data["slug"] != path.stem:
        raise ValidationError(
            _("%(file)s: de bestandsnaam moet gelijk zijn aan de slug ('%(slug)s.json').")
            % {"file": path.name, "slug": data["slug"]}
        )
    return data


@transaction.atomic
def publish(template: ChecklistTemplate, *, by=None, source=TemplateVersion.Source.ADMIN):
    """A new version of `template` with its current content; None when the content is the
    same as the latest version (nothing to publish)."""
    latest = template.latest_version()
    if latest is not None and latest.content == template.content:
        return None
    return TemplateVersion.objects.create(
        template=template,
        number=(latest.number if latest else 0) + 1,
        content=template.content,
        source=source,
        published_by=by,
    )


def load_templates(directory: Path | None = None) -> list[TemplateVersion]:
    """Publish every *.json of `directory` that changed since it was last loaded; every
    file is read and checked first, so one bad file loads nothing."""
    directory = Path(directory or CONTENT_DIR)
    documents = [read_document(path) for path in sorted(directory.glob("*.json"))]
    published = []
    with transaction.atomic():
        for data in documents:
            template = ChecklistTemplate.objects.filter(slug=data["slug"]).first()
            if template is None:
                template = ChecklistTemplate(slug=data["slug"])
            last_loaded = (
                template.versions.filter(source=TemplateVersion.Source.FILE)
                .order_by("-number")
                .first()
                if template.pk
                else None
            )
            if last_loaded is not None and last_loaded.content == data:
                continue
            template.content = data
            template.take_header_from_content()
            template.save()
            version = publish(template, source=TemplateVersion.Source.FILE)
            if version:
                published.append(version)
    return published
