"""The shipped checklist templates (checklists/content/*.json) keep to the content contract.

Plain json and plain pytest: no models, no database, so the content can be checked before
the loader runs (and a broken file fails here with the file and question in the message)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "checklists" / "content"
TOOLKIT = ROOT / "toolkit" / "content" / "content.json"

SHIPPED = {
    "partnerschool-gereedheid",
    "ouders-volwaardige-partners",
    "werkagenda-school",
    "samenwerking-regulier-speciaal",
}
AUDIENCES = {"schoolleider", "coordinator"}
TYPES = {"yes_partly_no", "scale", "short_text", "long_text", "number", "date", "evidence"}
TEMPLATE_KEYS = {"slug", "title", "purpose", "audience", "source", "sections"}
SECTION_KEYS = {"key", "title", "intro", "questions"}
QUESTION_KEYS = {
    "key",
    "text",
    "type",
    "help",
    "source",
    "toolkit_items",
    "measures",
    "scale",
    "min",
    "max",
    "school_field",
}
# regions.School's suitability fields; a school_field scale maps its three steps in order
# onto these choices (the coordinator's accept writes the matching value).
SCHOOL_FIELDS = {"acoustics", "low_stimulus_room", "accessibility"}
SUITABILITY_STEPS = ["onvoldoende", "redelijk", "goed"]
KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# "seed 000 r. 661-672, 740-751; seed 001 r. 2424-2440": seed number, then line ranges.
# The lengths of the five seed files (/work/shared/seeds) bound the line numbers.
SEED_LINES = {"000": 1548, "001": 3596, "002": 5566, "003": 3157, "004": 2479}
SOURCE_PART = re.compile(r"^seed (\d{3}) r\. (\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)$")


def templates():
    """(file name, parsed template) for every JSON file in checklists/content/."""
    return [
        (path.name, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(CONTENT.glob("*.json"))
    ]


def each_template():
    return [pytest.param(name, template, id=name) for name, template in templates()]


def questions(template):
    for section in template["sections"]:
        yield from section["questions"]


def source_problems(source):
    """Why `source` is not a list of seed line references ([] when it is)."""
    if not isinstance(source, str) or not source.strip():
        return ["geen bron"]
    problems = []
    for part in source.split("; "):
        match = SOURCE_PART.match(part)
        if not match:
            problems.append(f"onleesbaar: {part!r}")
            continue
        seed, ranges = match.groups()
        if seed not in SEED_LINES:
            problems.append(f"onbekende seed {seed}")
            continue
        for lines in ranges.split(", "):
            first, _, last = lines.partition("-")
            first, last = int(first), int(last or first)
            if not 1 <= first <= last <= SEED_LINES[seed]:
                problems.append(f"regels {lines} buiten seed {seed}")
    return problems


def question_problems(question):
    """Contract violations of one question ([] when it keeps to the contract)."""
    problems = [f"onbekende sleutel {k}" for k in sorted(set(question) - QUESTION_KEYS)]
    for field in ("key", "text", "type"):
        if not isinstance(question.get(field), str) or not question[field].strip():
            problems.append(f"{field} ontbreekt")
    kind = question.get("type")
    if kind not in TYPES:
        problems.append(f"onbekend type {kind!r}")
    if not KEY.match(question.get("key") or ""):
        problems.append(f"sleutel {question.get('key')!r} is geen slug")
    scale = question.get("scale")
    if kind == "scale":
        if not isinstance(scale, list) or not 2 <= len(scale) <= 7:
            problems.append("een schaal heeft 2 tot 7 stappen")
        elif not all(isinstance(step, str) and step.strip() for step in scale):
            problems.append("elke stap heeft een label")
        elif len(set(scale)) != len(scale):
            problems.append("dubbele stap op de schaal")
    elif scale is not None:
        problems.append("scale alleen bij type scale")
    bounds = [question[b] for b in ("min", "max") if b in question]
    if bounds and kind != "number":
        problems.append("min/max alleen bij type number")
    if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
        problems.append("min/max zijn gehele getallen")
    elif "min" in question and "max" in question and question["min"] > question["max"]:
        problems.append("min groter dan max")
    if "school_field" in question:
        if question["school_field"] not in SCHOOL_FIELDS:
            problems.append(f"onbekend schoolveld {question['school_field']!r}")
        if kind != "scale" or scale != SUITABILITY_STEPS:
            problems.append("schoolveld alleen op een schaal onvoldoende/redelijk/goed")
    for field in ("toolkit_items", "measures"):
        value = question.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{field} is een lijst van teksten")
    if "help" in question and not (isinstance(question["help"], str) and question["help"]):
        problems.append("help is leeg")
    problems += source_problems(question.get("source"))
    return problems


def test_the_four_shipped_templates_are_present_one_per_file():
    found = {name: template["slug"] for name, template in templates()}
    assert SHIPPED <= set(found.values())
    for name, slug in found.items():
        assert name == f"{slug}.json"


@pytest.mark.parametrize(("name", "template"), each_template())
def test_template_keeps_to_the_contract(name, template):
    assert set(template) <= TEMPLATE_KEYS, name
    for field in ("slug", "title", "purpose", "audience", "source"):
        assert isinstance(template.get(field), str) and template[field].strip(), (name, field)
    assert KEY.match(template["slug"]), name
    assert template["audience"] in AUDIENCES, name
    assert source_problems(template["source"]) == [], name
    assert template["sections"], name
    problems = {}
    for section in template["sections"]:
        assert set(section) <= SECTION_KEYS, (name, section.get("key"))
        assert KEY.match(section.get("key") or ""), (name, section.get("key"))
        assert section.get("title") and section.get("questions"), (name, section["key"])
        for question in section["questions"]:
            if found := question_problems(question):
                problems[f"{section['key']}/{question.get('key')}"] = found
    assert problems == {}, name


@pytest.mark.parametrize(("name", "template"), each_template())
def test_keys_are_unique_within_a_template(name, template):
    sections = [s["key"] for s in template["sections"]]
    keys = [q["key"] for q in questions(template)]
    assert len(set(sections)) == len(sections), name
    assert len(set(keys)) == len(keys), name


@pytest.mark.parametrize(("name", "template"), each_template())
def test_links_point_at_existing_toolkit_items_and_measures(name, template):
    toolkit = json.loads(TOOLKIT.read_text(encoding="utf-8"))
    slugs = {item["slug"] for item in toolkit["items"]}
    codes = {measure["code"] for measure in toolkit["measures"]}
    unknown = {
        question["key"]: sorted(
            set(question.get("toolkit_items", [])) - slugs
            | set(question.get("measures", [])) - codes
        )
        for question in questions(template)
    }
    assert {key: bad for key, bad in unknown.items() if bad} == {}, name


def test_readiness_building_questions_fill_the_three_suitability_fields():
    template = dict(templates())["partnerschool-gereedheid.json"]
    fields = [q["school_field"] for q in questions(template) if "school_field" in q]
    assert sorted(fields) == sorted(SCHOOL_FIELDS)


def test_cooperation_template_follows_the_three_index_dimensions_with_all_recommendations():
    template = dict(templates())["samenwerking-regulier-speciaal.json"]
    assert [s["key"] for s in template["sections"]] == ["beleid", "cultuur", "praktijk"]
    # seed 004 r. 2361-2479: six recommendations on beleid, three on cultuur, four on praktijk.
    per_section = [
        sum(q.get("help", "").startswith("Aanbeveling:") for q in section["questions"])
        for section in template["sections"]
    ]
    assert per_section == [6, 3, 4]


def test_werkagenda_template_has_a_section_per_line_linked_to_its_school_measures():
    template = dict(templates())["werkagenda-school.json"]
    toolkit = json.loads(TOOLKIT.read_text(encoding="utf-8"))
    for number, section in enumerate(template["sections"], start=1):
        school_measures = {
            m["code"] for m in toolkit["measures"] if m["line"] == number and m["level"] == "school"
        }
        linked = {code for q in section["questions"] for code in q.get("measures", [])}
        assert school_measures and school_measures <= linked, section["key"]
    assert len(template["sections"]) == 6


def test_parent_template_covers_the_six_points_of_the_toolkit_item():
    template = dict(templates())["ouders-volwaardige-partners.json"]
    item = "betrek-ouders-als-volwaardige-partners"
    linked = [q for q in questions(template) if item in q.get("toolkit_items", [])]
    # seed 000 r. 501-511: one point per checkmark; each point has at least one question.
    covered = {q["key"].split("-")[1] for q in linked}
    assert covered == {"1", "2", "3", "4", "5", "6"}


def test_question_checks_catch_contract_breaks():
    """The checks above can fail: each broken question is reported."""
    good = {"key": "a", "text": "Vraag?", "type": "yes_partly_no", "source": "seed 000 r. 1-2"}
    assert question_problems(good) == []
    broken = [
        {**good, "type": "ja_nee"},
        {**good, "type": "scale", "scale": ["alleen"]},
        {**good, "type": "scale", "scale": [str(i) for i in range(8)]},
        {**good, "type": "number", "min": 5, "max": 1},
        {**good, "min": 1},
        {**good, "type": "scale", "scale": ["a", "b", "c", "d"], "school_field": "acoustics"},
        {**good, "type": "scale", "scale": SUITABILITY_STEPS, "school_field": "parking"},
        {**good, "school_field": "acoustics"},
        {**good, "source": ""},
        {**good, "source": "seed 000 r. 1600-1700"},
        {**good, "source": "toolkit p. 3"},
        {**good, "extra": 1},
    ]
    for question in broken:
        assert question_problems(question), question
