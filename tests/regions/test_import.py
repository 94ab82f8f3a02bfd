"""DUO imports: preview first, all or nothing, idempotent."""

from pathlib import Path

import pytest
from django.urls import reverse

from regions.models import Gemeente, Samenwerkingsverband, School
from regions.resources import ImportFileError
from regions.services import confirm_import, preview_import

DATA = Path(__file__).parent.parent / "data" / "duo"
pytestmark = pytest.mark.django_db


def _import(client, kind, name, region=None):
    data = {"kind": kind, "region": region.pk if region else ""}
    with open(DATA / name, "rb") as fh:
        preview = client.post(reverse("regions:duo_import"), {**data, "file": fh})
    assert preview.status_code == 200
    return preview


def _confirm(client):
    return client.post(reverse("regions:duo_import"), {"confirm": "1"}, follow=True)


def test_swv_and_school_import_through_the_page(client, alice, region):
    client.force_login(alice)
    preview = _import(client, "swv", "samenwerkingsverbanden.csv", region)
    assert "Bevestigen en importeren" in preview.content.decode()
    assert not Samenwerkingsverband.objects.filter(
        code="VO 98-01"
    ).exists()  # preview wrote nothing
    done = _confirm(client)
    assert "3 nieuw" in done.content.decode()
    # "VO 98.02" and "PO2801" are written the way DUO writes codes.
    assert set(Samenwerkingsverband.objects.values_list("code", flat=True)) >= {
        "VO 98-01",
        "VO 98-02",
        "PO 28-01",
    }

    # Imported SWVs join the coordinator's region, so its schools can follow.
    assert region.swvs.filter(code="VO 98-01").exists()
    _import(client, "scholen-vo", "vestigingen_vo.csv", region)
    assert not School.objects.filter(brin="98AA").exists()
    _confirm(client)
    school = School.objects.get(brin="98AA", vestigingsnummer="00")
    assert school.name == "Scholengemeenschap Het Noorderlicht"
    assert school.swv.code == "VO 98-01"
    assert school.gemeente.code == "0981"
    assert set(school.levels.values_list("code", flat=True)) == {
        "vmbo-b",
        "vmbo-k",
        "vmbo-gt",
        "havo",
        "vwo",
    }
    assert School.objects.get(brin="98AA", vestigingsnummer="01").place == "Zuiderwijk"
    # windows-1252 accents survive.
    assert School.objects.filter(name="Praktijkschool Café de Brug").exists()


def test_utf8_comma_file(db):
    preview = preview_import(kind="scholen-po", raw=(DATA / "vestigingen_po.csv").read_bytes())
    assert not preview.has_errors
    assert preview.totals["new"] == 2
    confirm_import(kind="scholen-po", token=preview.token, user=None)
    school = School.objects.get(brin="98AD")
    assert school.name == "Basisschool Kindcentrum Zuidérpunt"
    assert school.sector == "po"


def test_reimport_changes_nothing(db):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    confirm_import(kind="swv", token=preview_import(kind="swv", raw=raw).token, user=None)
    before = list(Samenwerkingsverband.objects.values())
    second = preview_import(kind="swv", raw=raw)
    assert second.totals["new"] == 0
    assert second.totals["update"] == 0
    assert second.totals["skip"] == 3
    confirm_import(kind="swv", token=second.token, user=None)
    assert list(Samenwerkingsverband.objects.values()) == before

    raw_vo = (DATA / "vestigingen_vo.csv").read_bytes()
    confirm_import(
        kind="scholen-vo", token=preview_import(kind="scholen-vo", raw=raw_vo).token, user=None
    )
    again = preview_import(kind="scholen-vo", raw=raw_vo)
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 3)


def test_file_with_errors_changes_nothing(client, alice):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    confirm_import(kind="swv", token=preview_import(kind="swv", raw=raw).token, user=None)
    schools, gemeenten = School.objects.count(), Gemeente.objects.count()
    client.force_login(alice)
    region = alice.role_assignments.get().region
    region.swvs.add(Samenwerkingsverband.objects.get(code="VO 98-01"))
    response = _import(client, "scholen-vo", "vestigingen_vo_met_fouten.csv", region)
    body = response.content.decode()
    assert "Het bestand bevat fouten" in body
    assert "geen geldig BRIN-nummer" in body
    assert "vestigingsnummer bestaat uit precies 2 cijfers" in body
    assert "Bevestigen en importeren" not in body
    # Nothing pending, so a forged confirm cannot write the file either.
    _confirm(client)
    assert School.objects.count() == schools
    assert Gemeente.objects.count() == gemeenten  # rows' side records rolled back too


def test_unknown_swv_is_a_row_error(db):
    preview = preview_import(kind="scholen-vo", raw=(DATA / "vestigingen_vo.csv").read_bytes())
    assert preview.has_errors
    assert not School.objects.exists()


def test_file_without_duo_columns_is_refused(db):
    with pytest.raises(ImportFileError, match="kolommen ontbreken"):
        preview_import(kind="swv", raw=b"foo;bar\n1;2\n")


def test_non_csv_upload_is_refused(client, alice):
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scholen.pdf", b"%PDF-1.4")
    response = client.post(reverse("regions:duo_import"), {"kind": "swv", "file": upload})
    assert "Kies een CSV-bestand" in response.content.decode()


def test_coordinator_cannot_change_another_regions_partners(client, alice, region, other_region):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    confirm_import(kind="swv", token=preview_import(kind="swv", raw=raw).token, user=None)
    other_region.swvs.add(Samenwerkingsverband.objects.get(code="VO 98-01"))
    theirs = School.objects.create(
        brin="98AA",
        vestigingsnummer="00",
        name="Van de buren",
        sector="vo",
        swv=other_region.swvs.first(),
    )
    # An SWV of another region is refused...
    preview = preview_import(kind="swv", raw=raw, region=region)
    assert preview.has_errors
    assert "hoort niet bij" in str(preview.row_errors)
    # ...and so is a school of another region, and one that would land outside the region.
    preview = preview_import(
        kind="scholen-vo", raw=(DATA / "vestigingen_vo.csv").read_bytes(), region=region
    )
    errors = str(preview.row_errors)
    assert "School 98AA00 hoort niet bij" in errors
    assert "valt buiten" in errors
    theirs.refresh_from_db()
    assert theirs.name == "Van de buren"


def test_coordinator_must_choose_their_own_region(client, alice, other_region):
    client.force_login(alice)
    response = _import(client, "swv", "samenwerkingsverbanden.csv", other_region)
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Samenwerkingsverband.objects.filter(code="VO 98-01").exists()
