"""What changed between two snapshots of a region's plan (plan-schema.md): pure functions
on the two dicts, so a comparison of frozen versions needs nothing but what they stored.

The report a region needs at each werkagenda ijkmoment: per section the figures, the
progress per line, the tips whose status moved, the initiatives added, removed or moved,
the goals' outcomes, and whether the coordinator's texts changed."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class SectionChanges:
    key: str
    number: int
    title: str
    texts_changed: bool = False
    figures: list = field(default_factory=list)  # Change per table row (published strings)
    lines: list = field(default_factory=list)  # Change "done/total" per werkagenda line
    tips: list = field(default_factory=list)  # Change of status label per toolkit item
    outcomes: list = field(default_factory=list)  # Change of status label per outcome
    added: list = field(default_factory=list)  # titles of initiatives and agreements
    removed: list = field(default_factory=list)
    moved: list = field(default_factory=list)  # Change of status label

    @property
    def changed(self) -> bool:
        return self.texts_changed or any(
            (
                self.figures,
                self.lines,
                self.tips,
                self.outcomes,
                self.added,
                self.removed,
                self.moved,
            )
        )


def compare(old: dict, new: dict) -> list[SectionChanges]:
    """One SectionChanges per section of the newer snapshot (a section only in the older
    one is compared with nothing)."""
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    result = []
    for section in new.get("sections", []):
        before = old_sections.get(section["key"], {})
        changes = SectionChanges(
            key=section["key"],
            number=section.get("number", 0),
            title=section.get("title", section["key"]),
            texts_changed=_texts(before) != _texts(section),
        )
        changes.figures = figure_changes(before, section)
        changes.lines = line_changes(before, section)
        changes.tips = tip_changes(before, section)
        changes.outcomes = outcome_changes(before, section)
        changes.added, changes.removed, changes.moved = initiative_changes(before, section)
        result.append(changes)
    return result


def _texts(section):
    return (section.get("intro", ""), section.get("conclusion", ""))


MISSING = "–"


def _changes(old: dict, new: dict) -> list[Change]:
    """Change for every label whose value differs, in the newer order, then the gone."""
    found = [
        Change(label, old.get(label, MISSING), value)
        for label, value in new.items()
        if old.get(label, MISSING) != value
    ]
    found += [Change(label, value, MISSING) for label, value in old.items() if label not in new]
    return found


def figure_changes(old: dict, new: dict) -> list[Change]:
    """Pupil counts as published ("12", "<5", "–"): never a count the snapshot hid."""

    def rows(section):
        values = {}
        if "total" in section:
            values[_("Totaal")] = section["total"]
        for table in section.get("tables", []):
            for row in table.get("rows", []):
                values[f"{table.get('title', '')}: {row['label']}"] = row["count"]
        return values

    return _changes(rows(old), rows(new))


def line_changes(old: dict, new: dict) -> list[Change]:
    def lines(section):
        return {
            f"{line['number']}. {line['title']}": f"{line['done']}/{line['total']}"
            for line in section.get("lines", [])
        }

    return _changes(lines(old), lines(new))


def tip_changes(old: dict, new: dict) -> list[Change]:
    def items(section):
        return {
            f"{item['code']} {item['title']}": item.get("status_label", item["status"])
            for item in section.get("items", [])
        }

    return _changes(items(old), items(new))


def outcome_changes(old: dict, new: dict) -> list[Change]:
    def outcomes(section):
        return {
            f"{goal['title']}: {outcome['text']}": outcome.get("status_label", outcome["status"])
            for phase in section.get("phases", [])
            for goal in phase.get("goals", [])
            for outcome in goal.get("outcomes", [])
        }

    return _changes(outcomes(old), outcomes(new))


def initiative_changes(old: dict, new: dict):
    """(added titles, removed titles, status changes) of initiatives and agreements,
    matched on their pk so a renamed initiative is not added and removed."""

    def things(section):
        return {
            (kind, thing.get("pk", thing["title"])): thing
            for kind in ("initiatives", "agreements")
            for thing in section.get(kind, [])
        }

    before, after = things(old), things(new)
    added = [thing["title"] for key, thing in after.items() if key not in before]
    removed = [thing["title"] for key, thing in before.items() if key not in after]
    moved = [
        Change(thing["title"], before[key]["status_label"], thing["status_label"])
        for key, thing in after.items()
        if key in before and before[key]["status"] != thing["status"]
    ]
    return added, removed, moved
