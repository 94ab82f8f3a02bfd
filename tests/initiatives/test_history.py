"""'Laatste wijzigingen' on the initiative and agreement pages: readable changes (field
names, choice labels, related objects by name, dates as d-m-Y), no bookkeeping fields."""

from datetime import date

import pytest

from initiatives.models import Agreement
from initiatives.selectors import agreement_history, change_history
from tests.factories import GemeenteFactory
from tests.initiatives.agreement_helpers import make_agreement
from tests.initiatives.initiative_factories import InitiativeFactory
from toolkit.models import CooperationType, WerkagendaLine

pytestmark = pytest.mark.django_db


def _all_changes(history):
    return [change for entry in history for change in entry["changes"]]


def test_initiative_changes_read_as_labels_names_and_dates(region, alice):
    initiative = InitiativeFactory(region=region)
    before = str(initiative.type)
    symbiose = CooperationType.objects.get(slug="symbiose")
    gemeente = GemeenteFactory(name="Zwolle")
    initiative.type = symbiose
    initiative.construction = "swv-arrangement"
    initiative.start_date = date(2027, 8, 1)
    initiative.municipality = gemeente
    initiative.version += 1
    initiative.save()
    changes = {label: (old, new) for label, old, new in _all_changes(change_history(initiative))}
    assert changes["samenwerkingsvorm"] == (before, str(symbiose))
    assert changes["juridische of financiële constructie"] == (
        "–",
        "arrangement van het samenwerkingsverband",
    )
    assert changes["startdatum"] == ("–", "01-08-2027")
    assert changes["gemeente (huisvesting en vervoer)"] == ("–", "Zwolle")
    assert not {"ID", "regio", "versie", "id", "region", "version"} & set(changes)


def test_creating_reads_aangemaakt_and_the_page_shows_no_raw_values(client, region, alice):
    initiative = InitiativeFactory(region=region)
    line = WerkagendaLine.objects.order_by("number").first()
    initiative.lines.add(line)
    history = change_history(initiative)
    assert history[-1]["changes"] == []  # created
    assert _all_changes(history) == [("werkagendalijnen", "–", str(line))]
    client.force_login(alice)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "ID – →" not in page and "Regio – →" not in page


def test_agreement_changes_read_as_labels_and_dates(region, alice):
    agreement = make_agreement(region, alice)
    agreement.status = Agreement.Status.DISPUTED
    agreement.end = date(2028, 7, 31)
    agreement.version += 1
    agreement.save()
    changes = [c for line in agreement_history(agreement) for c in line.changes]
    assert ("einddatum", "–", "31-07-2028") in changes
    assert ("status", "concept", "betwist") in changes
    assert not [c for c in changes if c[0] in ("ID", "regio", "versie")]
