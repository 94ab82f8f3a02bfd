"""The roll-up as a CSV or XLSX file for the coordinator.

Columns: region, SWV, school, BRIN and vestiging, status of the latest checklist, late,
submitted on, the version answered, per section the score (percent) and the previous
round's (same keys), then per question of the template's latest version the answer as
the school read it (the option's words, a number, a date). Free text (short and long
text, evidence notes and links, comments, the coordinator's remarks) is left out: a file
leaves the app and the roll-up compares schools, it does not quote them.
"""

import tablib
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regions.spreadsheets import csv_safe

from . import scoring

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORTED_TYPES = ("yes_partly_no", "scale", "number", "date")


def file_name(template, fmt) -> str:
    return f"checklist-overzicht-{slugify(template.slug)}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def rollup_dataset(result) -> tablib.Dataset:
    sections = result.version.sections
    questions = [
        q for section in sections for q in section["questions"] if q.type in EXPORTED_TYPES
    ]
    headers = [
        _("Regio"),
        _("Samenwerkingsverband"),
        _("School"),
        _("BRIN en vestiging"),
        _("Status"),
        _("Te laat"),
        _("Ingediend op"),
        _("Versie"),
    ]
    for section in sections:
        headers.append(_("Score %(section)s (%%)") % {"section": section["title"]})
        headers.append(_("Vorige ronde %(section)s (%%)") % {"section": section["title"]})
    headers += [f"{q.key}: {q.text}" for q in questions]
    data = tablib.Dataset(headers=[str(h) for h in headers], title=str(_("Checklistoverzicht")))
    for row in result.rows:
        current, answered = row.current, row.result
        cells = [
            current.region.name,
            row.school.swv.name if row.school.swv else "",
            row.school.name,
            row.school.code,
            current.get_status_display(),
            _("ja") if row.is_late else "",
            f"{answered.submitted_at:%d-%m-%Y}" if answered and answered.submitted_at else "",
            answered.template_version.number if answered else "",
        ]
        for section in sections:
            cells.append(scoring.percent(row.score(section["key"])) if answered else "")
            before = row.comparison.get(section["key"])
            cells.append(scoring.percent(before.before) if before else "")
        answered_questions = answered.template_version.questions if answered else {}
        for question in questions:
            own = answered_questions.get(question.key)
            value = row.values.get(question.key, "")
            cells.append(own.display(value) if own and value else "")
        data.append([csv_safe(c if c is not None else "") for c in cells])
    return data


def export_rollup(result, fmt):
    """(bytes, content type) of the roll-up in `fmt` (csv or xlsx)."""
    data = rollup_dataset(result)
    if fmt == "xlsx":
        return data.export("xlsx"), FORMATS[fmt]
    # Semicolons and a BOM: Excel in Dutch opens it in columns with the accents right.
    return data.export("csv", delimiter=";").encode("utf-8-sig"), FORMATS[fmt]
