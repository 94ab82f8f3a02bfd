"""plans.compare: what changed between two snapshots, section by section."""

from plans.compare import Change, compare
from tests.plans.sample_snapshot import sample_snapshot, section


def changes_of(old, new, key):
    return next(c for c in compare(old, new) if c.key == key)


def test_the_same_snapshot_has_no_changes():
    assert not any(c.changed for c in compare(sample_snapshot(), sample_snapshot()))


def test_figures_compare_as_published_strings():
    old, new = sample_snapshot(), sample_snapshot()
    section(new, "pupils")["tables"][0]["rows"][1]["count"] = "6"
    section(new, "pupils")["total"] = "30"
    changes = changes_of(old, new, "pupils")
    assert Change("Plaatsingsstatus: Zonder plek", "<5", "6") in changes.figures
    assert Change("Totaal", "27", "30") in changes.figures
    assert len(changes.figures) == 2


def test_line_progress_and_tip_statuses():
    old, new = sample_snapshot(), sample_snapshot()
    section(new, "werkagenda")["lines"][0]["done"] = 2
    item = section(new, "toolkit")["items"][0]
    item["status"], item["status_label"] = "done", "afgerond"
    assert changes_of(old, new, "werkagenda").lines == [
        Change("1. Inclusiever onderwijs", "1/3", "2/3")
    ]
    assert changes_of(old, new, "toolkit").tips == [
        Change("1.1 Gezamenlijke visie", "bezig", "afgerond")
    ]


def test_initiatives_added_removed_and_moved():
    old, new = sample_snapshot(), sample_snapshot()
    initiatives = section(new, "initiatives")["initiatives"]
    initiatives[0].update(status="gestart", status_label="gestart", title="Samen verder")
    initiatives.append(
        {
            "pk": 2,
            "title": "Nieuw",
            "status": "idee",
            "status_label": "idee",
            "below_viability": False,
        }
    )
    section(new, "initiatives")["agreements"] = []
    changes = changes_of(old, new, "initiatives")
    assert changes.added == ["Nieuw"]
    assert changes.removed == ["Vervoer"]
    assert changes.moved == [Change("Samen verder", "idee", "gestart")]


def test_outcomes_and_texts():
    old, new = sample_snapshot(), sample_snapshot()
    goals = section(new, "goals")
    goals["phases"][0]["goals"][0]["outcomes"][0].update(status="achieved", status_label="behaald")
    goals["intro"] = "Nieuwe inleiding"
    changes = changes_of(old, new, "goals")
    assert changes.texts_changed
    assert changes.outcomes == [
        Change("Elke leerling een passende plek: Geen thuiszitters", "nog te starten", "behaald")
    ]
    assert not changes_of(old, new, "context").changed
