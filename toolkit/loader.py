"""Load the toolkit and werkagenda content from toolkit/content/content.json.

Idempotent: every record is matched on its stable key (chapter and line number, section
number, item and example slug, measure code, phase number, review year) and updated in
place, so running it again, or on a database where the admin already edited content,
never makes duplicates.

Called by the data migration with the historical models, and by toolkit.demo.seed with
the current ones, so live-server tests (whose database is flushed between tests) get the
content back too.
"""

import json
from pathlib import Path

from django.apps import apps as django_apps

CONTENT = Path(__file__).resolve().parent / "content" / "content.json"


def load_content(apps=django_apps):
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    Chapter = apps.get_model("toolkit", "Chapter")
    Section = apps.get_model("toolkit", "Section")
    Line = apps.get_model("toolkit", "WerkagendaLine")
    Item = apps.get_model("toolkit", "ToolkitItem")
    Example = apps.get_model("toolkit", "PracticeExample")
    Measure = apps.get_model("toolkit", "Measure")
    Phase = apps.get_model("toolkit", "Phase")
    ReviewMoment = apps.get_model("toolkit", "ReviewMoment")

    chapters, sections = {}, {}
    for ch in data["chapters"]:
        chapter, _ = Chapter.objects.update_or_create(
            number=ch["number"], defaults={"title": ch["title"]}
        )
        chapters[ch["number"]] = chapter
        for sec in ch["sections"]:
            sections[sec["number"]], _ = Section.objects.update_or_create(
                number=sec["number"], defaults={"title": sec["title"], "chapter": chapter}
            )
    lines = {}
    for ln in data["lines"]:
        lines[ln["number"]], _ = Line.objects.update_or_create(
            number=ln["number"],
            defaults={"title": ln["title"], "summary": ln["summary"], "source": ln["source"]},
        )
    for order, it in enumerate(data["items"], start=1):
        item, _ = Item.objects.update_or_create(
            slug=it["slug"],
            defaults={
                "order": order,
                "kind": it["kind"],
                "title": it["title"],
                "summary": it["summary"],
                "links": it["links"],
                "chapter": chapters[it["chapter"]],
                "section": sections.get(it["section"]) if it["section"] else None,
                "source": it["source"],
                "checklist": it["checklist"],
            },
        )
        item.lines.set([lines[n] for n in it["lines"]])
    for order, ex in enumerate(data["examples"], start=1):
        Example.objects.update_or_create(
            slug=ex["slug"], defaults={"order": order, **_example_values(apps, Example, ex)}
        )
    for order, m in enumerate(data["measures"], start=1):
        Measure.objects.update_or_create(
            code=m["code"],
            defaults={
                "order": order,
                "line": lines[m["line"]],
                **{
                    key: m[key]
                    for key in ("level", "title", "goal", "items", "actors", "timeline", "source")
                },
            },
        )
    for ph in data["phases"]:
        Phase.objects.update_or_create(
            number=ph["number"],
            defaults={
                "name": ph["name"],
                "start_year": ph["start_year"],
                "end_year": ph["end_year"],
                "description": ph["description"],
            },
        )
    for rm in data["review_moments"]:
        ReviewMoment.objects.update_or_create(
            year=rm["year"], defaults={"title": rm["title"], "description": rm["description"]}
        )


def _example_values(apps, Example, ex):
    """The example's fields as this migration state knows them.

    Migration 0002 runs with the first PracticeExample (type a plain text value, no
    headings); it gets the fields it has, and 0004 turns the type into the
    CooperationType with the same slug and loads the rest."""
    fields = {f.name: f for f in Example._meta.get_fields() if f.concrete}
    values = {key: value for key, value in ex.items() if key in fields and key != "slug"}
    if fields["type"].is_relation:
        CooperationType = apps.get_model("toolkit", "CooperationType")
        values["type"] = CooperationType.objects.get(slug=ex["type"])
    return values
