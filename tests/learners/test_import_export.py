import csv
import io
import json
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import AccessLog, Arrangement, CvoBesluit, Pupil
from learners.resources import PUPIL_IMPORT
from regions.models import Gemeente, ImportJob, Level
from tests.factories import SchoolFactory, coordinator_of
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
    preview = PUPIL_IMPORT.preview(kind=kind, raw=raw, filename=name, region=region, user=user)
    if preview.has_errors:
        return preview
    return PUPIL_IMPORT.confirm(kind=kind, token=preview.token, region=region, user=user)


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
    preview = PUPIL_IMPORT.preview(
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
    from regions.models import ImportJob

    good = (DATA / "leerlingen_goed.csv").read_bytes()
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=good, filename="x.csv", region=region, user=alice
    )
    bad = PUPIL_IMPORT.table("leerlingen", (DATA / "leerlingen_fouten.csv").read_bytes(), "x.csv")
    kept = {"headers": bad.headers, "rows": [list(row) for row in bad]}
    ImportJob.objects.filter(pk=preview.token).update(upload=json.dumps(kept).encode())
    before = Pupil.objects.count()
    outcome = PUPIL_IMPORT.confirm(
        kind="leerlingen", token=preview.token, region=region, user=alice
    )
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
    again = PUPIL_IMPORT.preview(
        kind="leerlingen",
        raw=(DATA / "leerlingen_goed.csv").read_bytes(),
        filename="leerlingen_goed.csv",
        region=region,
    )
    assert again.totals["new"] == 0
    run("leerlingen", "leerlingen_goed.csv", region, alice)
    assert Pupil.objects.count() == count


# --- exports cannot carry a live formula ----------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def test_csv_export_escapes_formulas(client, alice, region):
    PupilFactory(region=region, first_name=FORMULA, last_name="+31 6", need_other="x")
    response = export(client, alice, region, format="csv", with_names="on")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["voornaam"] == "'" + FORMULA
    assert row["achternaam"] == "'+31 6"


@pytest.mark.parametrize("value", [FORMULA, "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "gewoon"])
def test_csv_safe(value):
    from learners.resources import csv_safe

    escaped = csv_safe(value)
    assert escaped == (value if value == "gewoon" else "'" + value)


def test_xlsx_export_writes_formulas_as_text(client, alice, region):
    from openpyxl import load_workbook

    PupilFactory(region=region, first_name=FORMULA, last_name="=1+1")
    response = export(client, alice, region, format="xlsx", with_names="on")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    first, last = sheet[2][header.index("voornaam")], sheet[2][header.index("achternaam")]
    assert first.data_type == "s" and first.value == FORMULA
    assert last.data_type == "s" and last.value == "=1+1"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# --- duplicate rows, odd files, what is kept while the preview waits -------------------


def test_same_pupil_twice_is_a_row_error(setup, region, alice):
    head = "code;voornaam;achternaam;geboortedatum;doelgroep;ngt;hoortechnologie;logopedie;"
    head += "school;niveau\n"
    twice_by_name = (
        head
        + ";Fenna;Importkind;14-03-2012;TOS;nee;nee;ja;77AA00;havo\n"
        + ";fenna;IMPORTKIND;2012-03-14;TOS;nee;nee;nee;77AA00;havo\n"
    )
    outcome = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=twice_by_name.encode(), filename="x.csv", region=region
    )
    assert outcome.row_errors == [(3, ["Deze leerling staat al op regel 2 van dit bestand."])]
    twice_by_code = (
        head
        + "LL-TEST2;A;B;2012-01-01;TOS;nee;nee;ja;77AA00;havo\n"
        + ";Fenna;X;2012-01-01;TOS;nee;nee;ja;77AA00;havo\n"
        + "ll-test2;A;B;2012-01-01;cmb;nee;nee;ja;77AA00;havo\n"
    )
    outcome = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=twice_by_code.encode(), filename="x.csv", region=region
    )
    assert outcome.row_errors == [(4, ["Deze leerling staat al op regel 2 van dit bestand."])]
    assert not outcome.token
    assert not Pupil.objects.filter(first_name="Fenna").exists()


def test_only_the_imported_columns_wait_for_confirmation(setup, region, alice, settings):
    raw = (DATA / "leerlingen_goed.csv").read_bytes().decode()
    lines = raw.splitlines()
    lines[0] += ";diagnose"
    lines[1] += ";Geheime diagnose van Fenna"
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen",
        raw="\n".join(lines).encode(),
        filename="x.csv",
        region=region,
        user=alice,
    )
    assert not preview.has_errors, preview.row_errors
    kept = bytes(ImportJob.objects.get(pk=preview.token).upload).decode()
    assert "Geheime diagnose" not in kept and "diagnose" not in json.loads(kept)["headers"]
    PUPIL_IMPORT.confirm(kind="leerlingen", token=preview.token, region=region, user=alice)
    assert not ImportJob.objects.exclude(upload=b"").exists()
    assert Pupil.objects.filter(first_name="Fenna").exists()


def test_cancel_on_the_pupil_import_page_deletes_the_rows(client, setup, region, alice, settings):
    url = reverse("learners:pupil_import")
    client.force_login(alice)
    upload = SimpleUploadedFile("f.csv", (DATA / "leerlingen_goed.csv").read_bytes())
    response = client.post(url, {"kind": "leerlingen", "region": region.pk, "file": upload})
    assert 'name="cancel"' in response.text
    assert ImportJob.objects.exclude(upload=b"").count() == 1
    response = client.post(url, {"cancel": "1"}, follow=True)
    assert "geannuleerd" in response.text
    assert not ImportJob.objects.exclude(upload=b"").exists()
    client.post(url, {"confirm": "1"})
    assert not Pupil.objects.filter(first_name="Fenna").exists()


def test_pupil_token_of_another_coordinator_is_refused(setup, region, alice):
    from regions.imports import ImportFileError

    other = coordinator_of(region)
    raw = (DATA / "leerlingen_goed.csv").read_bytes()
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=raw, filename="x.csv", region=region, user=alice
    )
    with pytest.raises(ImportFileError, match="verlopen"):
        PUPIL_IMPORT.confirm(kind="leerlingen", token=preview.token, region=region, user=other)
    assert not Pupil.objects.filter(first_name="Fenna").exists()


def _post_file(client, alice, region, name, raw):
    client.force_login(alice)
    return client.post(
        reverse("learners:pupil_import"),
        {"kind": "leerlingen", "region": region.pk, "file": SimpleUploadedFile(name, raw)},
    )


def test_utf16_pupil_file_is_read(client, setup, region, alice):
    """Excel's "Unicode-tekst" (UTF-16) reads like UTF-8; tests/regions/test_bad_import_files.py
    has the other odd files."""
    raw = (DATA / "leerlingen_goed.csv").read_bytes().decode().encode("utf-16")
    response = _post_file(client, alice, region, "f.csv", raw)
    assert response.status_code == 200
    assert "Bevestigen en importeren" in response.text


def test_long_cell_in_csv_gets_a_dutch_message(client, setup, region, alice):
    raw = b"voornaam;achternaam;doelgroep\nA;" + b"x" * 140_000 + b";tos\n"
    response = _post_file(client, alice, region, "f.csv", raw)
    assert "langer dan 128 kB" in response.text


def test_pupil_upload_over_the_size_limit(client, setup, region, alice, monkeypatch):
    import regions.imports

    monkeypatch.setattr(regions.imports, "MAX_IMPORT_BYTES", 100)
    response = _post_file(
        client, alice, region, "f.csv", (DATA / "leerlingen_goed.csv").read_bytes()
    )
    assert "groter dan 20 MB" in response.text


def test_unknown_choice_names_the_options_as_a_dutch_list():
    from django.core.exceptions import ValidationError

    from learners.resources import _choice

    with pytest.raises(ValidationError, match=r"Kies uit: a, b of c\."):
        _choice({"x": "d"}, "x", "X", [("a", "A"), ("b", "B"), ("c", "C")])
