"""A snapshot as /work/plan-schema.md describes it (plans/snapshot.py's contract), for the
tests of the PDF, the versions and the compare, which must not depend on the data."""

import copy


def sample_snapshot(**region):
    snapshot = copy.deepcopy(SAMPLE)
    snapshot["region"].update(region)
    return snapshot


def section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


SAMPLE = {
    "schema": 1,
    "region": {"pk": 1, "name": "Regio Utrecht", "institution": "Kentalis"},
    "date": "2026-11-27",
    "sections": [
        {
            "key": "context",
            "number": 1,
            "title": "De regio",
            "intro": "Zo staat de regio ervoor.",
            "conclusion": "",
            "description": "Een regio met veel krimp.",
            "pressures": "Twee locaties sluiten.",
            "locations": [{"name": "vso De Brug", "status": "Open", "closing": None}],
            "swvs": [{"code": "VO 28-01", "name": "SWV Utrecht"}],
            "municipalities": ["Utrecht", "Zeist"],
        },
        {
            "key": "goals",
            "number": 2,
            "title": "Doelen en resultaten",
            "intro": "",
            "conclusion": "",
            "phases": [
                {
                    "number": 1,
                    "name": "Verkennen",
                    "period": "2025-2027",
                    "goals": [
                        {
                            "pk": 1,
                            "title": "Elke leerling een passende plek",
                            "description": "",
                            "outcomes": [
                                {
                                    "text": "Geen thuiszitters",
                                    "status": "to_start",
                                    "status_label": "nog te starten",
                                }
                            ],
                            "actions": ["Scholing"],
                            "initiatives": ["Samen naar school"],
                        }
                    ],
                }
            ],
        },
        {
            "key": "pupils",
            "number": 3,
            "title": "Leerlingen in cijfers",
            "intro": "",
            "conclusion": "",
            "total": "27",
            "tables": [
                {
                    "key": "placement",
                    "title": "Plaatsingsstatus",
                    "rows": [
                        {"label": "Geplaatst", "count": "24"},
                        {"label": "Zonder plek", "count": "<5"},
                        {"label": "Onbekend", "count": "–"},
                    ],
                },
                {
                    "key": "level",
                    "title": "Niveau",
                    "rows": [
                        {"label": "vso", "count": "20"},
                        {"label": "so", "count": "7"},
                    ],
                },
            ],
            "chart": {"key": "placement"},
        },
        {
            "key": "werkagenda",
            "number": 4,
            "title": "Werkagenda",
            "intro": "",
            "conclusion": "",
            "lines": [
                {
                    "number": 1,
                    "title": "Inclusiever onderwijs",
                    "done": 1,
                    "total": 3,
                    "percent": 33,
                    "measures": [],
                    "actions": [
                        {
                            "pk": 1,
                            "title": "Scholing",
                            "status": "open",
                            "status_label": "open",
                            "deadline": "2027-01-01",
                            "overdue": False,
                            "measurable_result": "",
                            "evaluation": "",
                        }
                    ],
                }
            ],
        },
        {
            "key": "toolkit",
            "number": 5,
            "title": "Toolkit",
            "intro": "",
            "conclusion": "",
            "chapters": [
                {
                    "number": 1,
                    "title": "Visie",
                    "done": 1,
                    "in_progress": 1,
                    "not_started": 0,
                    "not_applicable": 0,
                    "total": 2,
                    "percent": 50,
                }
            ],
            "items": [
                {
                    "code": "1.1",
                    "title": "Gezamenlijke visie",
                    "chapter": 1,
                    "status": "in_progress",
                    "status_label": "bezig",
                },
                {
                    "code": "1.2",
                    "title": "Regionale analyse",
                    "chapter": 1,
                    "status": "done",
                    "status_label": "afgerond",
                },
            ],
        },
        {
            "key": "initiatives",
            "number": 6,
            "title": "Initiatieven en afspraken",
            "intro": "",
            "conclusion": "",
            "initiatives": [
                {
                    "pk": 1,
                    "title": "Samen naar school",
                    "status": "idee",
                    "status_label": "idee",
                    "below_viability": False,
                }
            ],
            "agreements": [
                {"pk": 1, "title": "Vervoer", "status": "concept", "status_label": "concept"}
            ],
        },
        {
            "key": "transition",
            "number": 7,
            "title": "Sluitende locaties",
            "intro": "",
            "conclusion": "",
            "plans": [
                {
                    "pk": 1,
                    "location": "vso Afbouw",
                    "closing": "2027-08-01",
                    "status_label": "in uitvoering",
                    "pupils": "<5",
                    "milestones": [{"date": "2027-02-01", "title": "Ouderavond", "done": False}],
                }
            ],
        },
        {
            "key": "checklists",
            "number": 8,
            "title": "Checklists van partnerscholen",
            "intro": "",
            "conclusion": "",
            "templates": [
                {
                    "title": "Toegankelijkheid",
                    "responses": 3,
                    "sections": [{"title": "Visie", "score": 2.5}],
                }
            ],
        },
        {
            "key": "timeline",
            "number": 9,
            "title": "Tijdlijn en deadlines",
            "intro": "",
            "conclusion": "Tot slot.",
            "entries": [
                {
                    "date": "2027-07-31",
                    "year": 2027,
                    "kind": "review",
                    "kind_label": "ijkmoment",
                    "title": "Eerste ijkmoment",
                }
            ],
            "deadlines": [{"kind": "cvo", "label": "CvO-besluit", "open": "<5", "overdue": "0"}],
        },
    ],
}
