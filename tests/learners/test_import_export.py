import csv
import io
import json
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import AccessLog, Arrangement, CvoBesluit, Pupil
from learners.services import confirm_import, preview_import
from regions.models import Gemeente, Level
from tests.factories import SchoolFactory
from tests.learners.factories import PupilFactory, begeleider_of

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def setup(region, other_region):
    school = SchoolFactory(brin="77AA", swv=region.swvs.first(), gemeente=region.gemeenten.first())
    Gemeente.objects.create(name="Importdorp", code="7701")
    Pupil.objects.create(code="LL-TEST2", region=region, target_group="tos", first_name="Oud")
    Pupil.objects.create(code="LL-ANDER", region=other_region, target_group="tos")
    bas = begeleider_of(region)
    bas.username = "bas-test"
    bas.save()
    return school


def run(kind, name, region, user):
    raw = (DATA / name).read_bytes()
    preview = preview_import(kind=kind, raw=raw, filename=name, region=region, user=user)
    if preview.has_errors:
        return preview
    return confirm_import(kind=kind, token=preview.token, region=region, user=user)


def test_pupil_import_creates_and_updates(setup, region, alice):
    before = Pupil.objects.count()
    outcome = run("leerlingen", "leerlingen_goed.csv", region, alice)
    assert not outcome.has_errors, outcome.row_errors
    assert Pupil.objects.count() == before + 2
    fenna = Pupil.objects.get(first_name="Fenna")
    assert fenna.region == region and fenna.code.startswith("LL-")
    assert fenna.current_school == setup and fenna.level == Level.objects.get(code="havo")
    assert fenna.need_speech_therapy and fenna.home_gemeente.code == "7701"
    gijs = Pupil.objects.get(first_name="Gijs")
    assert gijs.target_group == "dsh" and gijs.need_ngt and gijs.need_other
    existing = Pupil.objects.get(code="LL-TEST2")
    assert existing.last_name == "Bijgewerkt" and existing.target_group == "cmb"


def test_preview_writes_nothing(setup, region):
    raw = (DATA / "leerlingen_goed.csv").read_bytes()
    before = Pupil.objects.count()
    preview = preview_import(
        kind="leerlingen", raw=raw, filename="leerlingen_goed.csv", region=region
    )
    assert not preview.has_errors
    assert preview.totals["new"] == 2 and preview.totals["update"] == 1
    assert Pupil.objects.count() == before


def test_import_with_row_errors_writes_nothing_and_says_why_in_dutch(setup, region, alice):
    before = set(Pupil.objects.values_list("code", flat=True))
    outcome = run("leerlingen", "leerlingen_fouten.csv", region, alice)
    assert outcome.has_errors
    assert not outcome.token
    assert set(Pupil.objects.values_list("code", flat=True)) == before
    errors = dict(outcome.row_errors)
    assert sorted(errors) == [3, 4, 5, 6]
    assert "Geboortedatum '31-31-2012' is geen datum" in errors[3][0]
    assert "Doelgroep 'dyslexie' is onbekend" in errors[4][0]
    assert "School 99ZZ00 is onbekend" in errors[5][0]
    # A pupil of another region is "unknown", never updated across regions.
    assert "Leerling LL-ANDER is onbekend" in errors[6][0]
    assert Pupil.objects.get(code="LL-ANDER").first_name == ""


def test_confirm_rolls_back_everything_when_a_row_fails(setup, region, alice, monkeypatch):
    """The file changed between preview and confirm: still all or nothing."""
    from learners.resources import read_table
    from learners.services import _needed_only
    from regions.services import _stash_path

    good = (DATA / "leerlingen_goed.csv").read_bytes()
    preview = preview_import(
        kind="leerlingen", raw=good, filename="x.csv", region=region, user=alice
    )
    bad = _needed_only(
        read_table((DATA / "leerlingen_fouten.csv").read_bytes(), "x.csv"), "leerlingen"
    )
    kept = {"headers": bad.headers, "rows": [list(row) for row in bad]}
    _stash_path(preview.token, alice).write_text(json.dumps(kept))
    before = Pupil.objects.count()
    outcome = confirm_import(kind="leerlingen", token=preview.token, region=region, user=alice)
    assert outcome.has_errors
    assert Pupil.objects.count() == before
    assert not Pupil.objects.filter(first_name="Goed").exists()


def test_decision_import(setup, region, alice):
    outcome = run("besluiten", "besluiten.csv", region, alice)
    assert not outcome.has_errors, outcome.row_errors
    decisions = CvoBesluit.objects.filter(pupil__code="LL-TEST2").order_by("start")
    assert [d.kind for d in decisions] == ["onderwijs", "ondersteuning"]
    assert decisions[0].return_decision_on.isoformat() == "2026-06-15"
    assert decisions[1].formerly_onderwijsarrangement
    assert decisions[1].institution == region.institution


def test_decision_import_refuses_pupils_of_other_regions(setup, other_region, charlie):
    outcome = run("besluiten", "besluiten.csv", other_region, charlie)
    assert outcome.has_errors
    assert not CvoBesluit.objects.exists()


def test_arrangement_import_from_xlsx(setup, region, alice):
    outcome = run("arrangementen", "arrangementen.xlsx", region, alice)
    assert not outcome.has_errors, outcome.row_errors
    individual = Arrangement.objects.get(scope="individueel")
    assert individual.pupil.code == "LL-TEST2"
    assert float(individual.hours_per_week) == 2.5 and individual.individual_share == 70
    assert [u.username for u in individual.begeleiders.all()] == ["bas-test"]
    assert Arrangement.objects.get(scope="groep").school == setup


def test_arrangement_import_refuses_unknown_begeleider(setup, region, alice):
    outcome = run("arrangementen", "arrangementen_fouten.xlsx", region, alice)
    assert outcome.has_errors
    assert "Geen ambulant begeleider in deze regio: onbekende-gebruiker" in str(outcome.row_errors)
    assert not Arrangement.objects.exists()


def test_import_page_flow(client, setup, region, alice, bob, leader):
    url = reverse("learners:pupil_import")
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(alice)
    upload = SimpleUploadedFile("f.csv", (DATA / "leerlingen_fouten.csv").read_bytes())
    response = client.post(url, {"kind": "leerlingen", "region": region.pk, "file": upload})
    assert "Het bestand bevat fouten" in response.text
    assert "is geen datum" in response.text
    upload = SimpleUploadedFile("f.csv", (DATA / "leerlingen_goed.csv").read_bytes())
    response = client.post(url, {"kind": "leerlingen", "region": region.pk, "file": upload})
    assert "Bevestigen en importeren" in response.text
    assert "Wat er gebeurt per regel" in response.text  # each row is previewed...
    assert "Fenna" not in response.text  # ...by pupil code, never by name
    before = Pupil.objects.count()
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Import klaar: 2 nieuw, 1 bijgewerkt." in response.text
    assert Pupil.objects.count() == before + 2


def test_import_refuses_a_region_outside_scope(client, setup, alice, other_region):
    client.force_login(alice)
    upload = SimpleUploadedFile("f.csv", (DATA / "leerlingen_goed.csv").read_bytes())
    response = client.post(
        reverse("learners:pupil_import"),
        {"kind": "leerlingen", "region": other_region.pk, "file": upload},
    )
    assert "Bevestigen" not in response.text
    assert not Pupil.objects.filter(first_name="Fenna").exists()


# --- export -------------------------------------------------------------------------


def export(client, user, region, **data):
    client.force_login(user)
    return client.post(reverse("learners:pupil_export", args=[region.pk]), data)


def test_export_has_no_names_unless_asked(client, alice, region):
    pupil = PupilFactory(region=region)
    response = export(client, alice, region, format="csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "leerlingcode" and rows[1][0] == pupil.code
    assert pupil.first_name not in text and pupil.last_name not in text and "2012" not in text
    assert "voornaam" not in rows[0]
    response = export(client, alice, region, format="csv", with_names="on")
    text = response.content.decode("utf-8-sig")
    assert pupil.first_name in text and "2012-03-14" in text


def test_export_xlsx(client, alice, region):
    pupil = PupilFactory(region=region)
    response = export(client, alice, region, format="xlsx")
    data = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    assert data[0][0] == pupil.code
    assert pupil.first_name not in str(data.dict)


def test_every_export_is_logged(client, alice, region):
    PupilFactory(region=region)
    export(client, alice, region, format="csv")
    export(client, alice, region, format="xlsx", with_names="on")
    details = list(
        AccessLog.objects.filter(action="export").order_by("at").values_list("user", "detail")
    )
    assert details == [
        (alice.pk, "1 leerlingen, CSV, zonder namen"),
        (alice.pk, "1 leerlingen, XLSX, met namen"),
    ]


def test_only_coordinators_export(client, bob, charlie, leader, region):
    PupilFactory(region=region)
    assert export(client, bob, region, format="csv").status_code == 403
    assert export(client, charlie, region, format="csv").status_code == 404
    assert export(client, leader, region, format="csv").status_code == 404
    begeleider = begeleider_of(region)
    assert export(client, begeleider, region, format="csv").status_code == 403
    assert not AccessLog.objects.exists()


def test_importing_the_same_pupils_twice_does_not_double_them(setup, region, alice):
    run("leerlingen", "leerlingen_goed.csv", region, alice)
    count = Pupil.objects.count()
    again = preview_import(
        kind="leerlingen",
        raw=(DATA / "leerlingen_goed.csv").read_bytes(),
        filename="leerlingen_goed.csv",
        region=region,
    )
    assert again.totals["new"] == 0
    run("leerlingen", "leerlingen_goed.csv", region, alice)
    assert Pupil.objects.count() == count
