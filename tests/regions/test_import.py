"""DUO imports: preview first, all or nothing, idempotent."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from regions.imports import ImportFileError
from regions.models import Gemeente, ImportJob, Samenwerkingsverband, School
from regions.resources import DUO_IMPORT
from tests.factories import coordinator_of, school_in

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
    preview = DUO_IMPORT.preview(kind="scholen-po", raw=(DATA / "vestigingen_po.csv").read_bytes())
    assert not preview.has_errors
    assert preview.totals["new"] == 2
    DUO_IMPORT.confirm(kind="scholen-po", token=preview.token, user=None)
    school = School.objects.get(brin="98AD")
    assert school.name == "Basisschool Kindcentrum Zuidérpunt"
    assert school.sector == "po"


def test_reimport_changes_nothing(db):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    DUO_IMPORT.confirm(kind="swv", token=DUO_IMPORT.preview(kind="swv", raw=raw).token, user=None)
    before = list(Samenwerkingsverband.objects.values())
    second = DUO_IMPORT.preview(kind="swv", raw=raw)
    assert second.totals["new"] == 0
    assert second.totals["update"] == 0
    assert second.totals["skip"] == 3
    DUO_IMPORT.confirm(kind="swv", token=second.token, user=None)
    assert list(Samenwerkingsverband.objects.values()) == before

    raw_vo = (DATA / "vestigingen_vo.csv").read_bytes()
    DUO_IMPORT.confirm(
        kind="scholen-vo", token=DUO_IMPORT.preview(kind="scholen-vo", raw=raw_vo).token, user=None
    )
    again = DUO_IMPORT.preview(kind="scholen-vo", raw=raw_vo)
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 3)


def test_file_with_errors_changes_nothing(client, alice):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    DUO_IMPORT.confirm(kind="swv", token=DUO_IMPORT.preview(kind="swv", raw=raw).token, user=None)
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
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=(DATA / "vestigingen_vo.csv").read_bytes())
    assert preview.has_errors
    assert not School.objects.exists()


def test_file_without_duo_columns_is_refused(db):
    with pytest.raises(ImportFileError, match="kolommen ontbreken"):
        DUO_IMPORT.preview(kind="swv", raw=b"foo;bar\n1;2\n")


def test_non_csv_upload_is_refused(client, alice):
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scholen.pdf", b"%PDF-1.4")
    response = client.post(reverse("regions:duo_import"), {"kind": "swv", "file": upload})
    assert "Kies een CSV-bestand" in response.content.decode()


def test_coordinator_cannot_change_another_regions_partners(client, alice, region, other_region):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    DUO_IMPORT.confirm(kind="swv", token=DUO_IMPORT.preview(kind="swv", raw=raw).token, user=None)
    other_region.swvs.add(Samenwerkingsverband.objects.get(code="VO 98-01"))
    theirs = School.objects.create(
        brin="98AA",
        vestigingsnummer="00",
        name="Van de buren",
        sector="vo",
        swv=other_region.swvs.first(),
    )
    # An SWV of another region is refused...
    preview = DUO_IMPORT.preview(kind="swv", raw=raw, region=region)
    assert preview.has_errors
    assert "hoort niet bij" in str(preview.row_errors)
    # ...and so is a school of another region, and one that would land outside the region.
    preview = DUO_IMPORT.preview(
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


# --- the files DUO publishes now and before ------------------------------------------

NEW_HEADERS = ["PROVINCIE", "INSTELLINGSCODE", "VESTIGINGSCODE", "VESTIGINGSNAAM", "POSTCODE",
               "PLAATSNAAM", "GEMEENTENUMMER", "GEMEENTENAAM", "DENOMINATIE", "TELEFOONNUMMER",
               "BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG NAAM", "SAMENWERKINGSVERBAND",
               "RMC-REGIO", "COROPGEBIED", "ONDERWIJSSTRUCTUUR"]  # fmt: skip
OLD_HEADERS = ["BRIN NUMMER" if h == "INSTELLINGSCODE" else "VESTIGINGSNUMMER"
               if h == "VESTIGINGSCODE" else h for h in NEW_HEADERS]  # fmt: skip
VARIANT_ROWS = [
    ["Testland", "98AG", "98AG00", "Scholengemeenschap Zuidérlicht", "9801 HA", "Testveen",
     "0981", "TESTVEEN", "Openbaar", "0100-333333", "98006", "Stichting Zuidérlicht, Testveen",
     "VO 98-01", "Testland Noord", "Noord-Testland", "HAVO/VWO"],
    ["Testland", "98AG", "98AG01", "Zuidérlicht; locatie Dijk", "9802HB", "Zuiderwijk",
     "0982", "ZUIDERWIJK", "Openbaar", "", "98006", "Stichting Zuidérlicht, Testveen",
     "VO 98-02", "Testland Noord", "Noord-Testland", "VMBO-B"],
]  # fmt: skip


def _duo_file(headers, *, delimiter, quoted, encoding, bom):
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL,
        lineterminator="\r\n",
    )
    writer.writerow(headers)
    writer.writerows(VARIANT_ROWS)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def _load_swvs():
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    DUO_IMPORT.confirm(kind="swv", token=DUO_IMPORT.preview(kind="swv", raw=raw).token, user=None)


@pytest.mark.parametrize("headers", [NEW_HEADERS, OLD_HEADERS], ids=["nieuw", "oud"])
@pytest.mark.parametrize("delimiter", [";", ","], ids=["puntkomma", "komma"])
@pytest.mark.parametrize("quoted", [False, True], ids=["los", "aanhalingstekens"])
@pytest.mark.parametrize(
    "encoding,bom",
    [("utf-8", False), ("utf-8", True), ("cp1252", False)],
    ids=["utf8", "utf8-bom", "windows-1252"],
)
def test_duo_file_variants_import(db, headers, delimiter, quoted, encoding, bom):
    _load_swvs()
    raw = _duo_file(headers, delimiter=delimiter, quoted=quoted, encoding=encoding, bom=bom)
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=raw)
    assert not preview.has_errors, preview.row_errors
    DUO_IMPORT.confirm(kind="scholen-vo", token=preview.token, user=None)
    main = School.objects.get(brin="98AG", vestigingsnummer="00")
    assert main.name == "Scholengemeenschap Zuidérlicht"
    assert main.postcode == "9801 HA"
    assert main.bestuur.name == "Stichting Zuidérlicht, Testveen"
    branch = School.objects.get(brin="98AG", vestigingsnummer="01")
    assert branch.name == "Zuidérlicht; locatie Dijk"
    assert branch.postcode == "9802 HB"
    assert branch.swv.code == "VO 98-02"


def test_current_duo_file_with_extra_columns(db):
    _load_swvs()
    preview = DUO_IMPORT.preview(
        kind="scholen-vo", raw=(DATA / "vestigingen_vo_2025.csv").read_bytes()
    )
    assert not preview.has_errors, preview.row_errors
    assert preview.totals["new"] == 3
    DUO_IMPORT.confirm(kind="scholen-vo", token=preview.token, user=None)
    branch = School.objects.get(brin="98AE", vestigingsnummer="01")
    assert branch.street == "Vaartkade 3 b"
    assert branch.gemeente.code == "0982"
    assert School.objects.get(brin="98AE", vestigingsnummer="00").postcode == "9801 GA"
    anker = School.objects.get(brin="98AF")
    assert anker.bestuur.number == "98005"
    assert anker.bestuur.name == "Vereniging Christelijk Onderwijs Het Anker"
    assert set(anker.levels.values_list("code", flat=True)) == {"vmbo-b", "vmbo-k", "pro"}


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (
            "scholen-vo",
            b"BRIN NUMMER;VESTIGINGSNAAM\n98AA;Sch\x00ol\n",
            "Het bestand bevat een NUL-teken",
        ),
        (
            "swv",
            b"SAMENWERKINGSVERBAND;NAAM SAMENWERKINGSVERBAND\nVO 98-01;" + b"x" * 140_000 + b"\n",
            "langer dan 128 kB",
        ),
    ],
    ids=["nul_byte", "cell_over_128_kb"],
)
def test_an_unreadable_file_gets_a_dutch_message(client, alice, region, kind, raw, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        DUO_IMPORT.preview(kind=kind, raw=raw)
    client.force_login(alice)
    upload = SimpleUploadedFile("bestand.csv", raw)
    response = client.post(
        reverse("regions:duo_import"), {"kind": kind, "region": region.pk, "file": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_upload_over_the_size_limit_gets_a_dutch_message(client, alice, region, monkeypatch):
    import regions.imports

    monkeypatch.setattr(regions.imports, "MAX_IMPORT_BYTES", 100)
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    with pytest.raises(ImportFileError, match="groter dan 20 MB"):
        DUO_IMPORT.preview(kind="swv", raw=raw)
    client.force_login(alice)
    response = client.post(
        reverse("regions:duo_import"),
        {"kind": "swv", "region": region.pk, "file": SimpleUploadedFile("swv.csv", raw)},
    )
    assert "groter dan 20 MB" in response.content.decode()


def test_duplicate_rows_are_row_errors(db):
    _load_swvs()
    lines = (DATA / "vestigingen_vo_2025.csv").read_bytes().splitlines()
    raw = b"\r\n".join([*lines, lines[1]])
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=raw)
    assert preview.has_errors
    assert preview.row_errors == [(5, ["School 98AE00 staat al op regel 2 van dit bestand."])]
    swv_lines = (DATA / "samenwerkingsverbanden.csv").read_bytes().splitlines()
    # "VO 98-01" again, written as DUO sometimes does: the same SWV.
    again = swv_lines[1].replace(b"VO 98-01", b"VO9801")
    preview = DUO_IMPORT.preview(kind="swv", raw=b"\n".join([*swv_lines, again]))
    assert preview.row_errors == [
        (5, ["Samenwerkingsverband VO 98-01 staat al op regel 2 van dit bestand."])
    ]
    assert not School.objects.filter(brin="98AE").exists()


def test_invalid_postcode_is_a_row_error(db):
    _load_swvs()
    raw = (DATA / "vestigingen_vo_2025.csv").read_bytes().replace(b"9801GA", b"98O1 GA")
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=raw)
    assert preview.has_errors
    assert "geen Nederlandse postcode" in str(preview.row_errors)


# --- a coordinator cannot move a school out of their region ---------------------------


@pytest.fixture
def own_school(region, other_region):
    """98AE00 of the demo region (via its SWV and municipality), as in the 2025 file."""
    _load_swvs()
    swv = Samenwerkingsverband.objects.get(code="VO 98-01")
    gemeente = Gemeente.objects.create(code="0981", name="Testveen")
    region.swvs.add(swv)
    region.gemeenten.add(gemeente)
    return School.objects.create(
        brin="98AE", vestigingsnummer="00", name="Oud", sector="vo", swv=swv, gemeente=gemeente
    )


def _only_first_school(raw: bytes) -> bytes:
    return b"\r\n".join(raw.splitlines()[:2])


def test_coordinator_import_cannot_move_a_school_into_another_regions_municipality(
    own_school, region, other_region
):
    other_region.gemeenten.add(Gemeente.objects.create(code="0982", name="Zuiderwijk"))
    raw = (DATA / "vestigingen_vo_2025.csv").read_bytes()
    moved = _only_first_school(raw).replace(b";0981;TESTVEEN;", b";0982;ZUIDERWIJK;")
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=moved, region=region)
    assert preview.has_errors
    assert "met gemeente 0982 (ook) in een andere regio" in str(preview.row_errors)
    assert not preview.token
    own_school.refresh_from_db()
    assert own_school.gemeente.code == "0981" and own_school.name == "Oud"


def test_coordinator_import_cannot_move_a_school_into_another_regions_swv(
    own_school, region, other_region
):
    other_region.swvs.add(Samenwerkingsverband.objects.get(code="VO 98-02"))
    raw = _only_first_school((DATA / "vestigingen_vo_2025.csv").read_bytes())
    preview = DUO_IMPORT.preview(
        kind="scholen-vo", raw=raw.replace(b";VO 98-01;", b";VO 98-02;"), region=region
    )
    assert "met samenwerkingsverband VO 98-02 (ook) in een andere regio" in str(preview.row_errors)
    # The same row without the move imports.
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=raw, region=region)
    assert not preview.has_errors, preview.row_errors


def test_national_import_follows_duo_and_may_move_a_school(own_school, other_region):
    """The functional admin's national import is DUO's truth: the school moves."""
    other_region.gemeenten.add(Gemeente.objects.create(code="0982", name="Zuiderwijk"))
    raw = _only_first_school((DATA / "vestigingen_vo_2025.csv").read_bytes())
    moved = raw.replace(b";0981;TESTVEEN;", b";0982;ZUIDERWIJK;")
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=moved)
    assert not preview.has_errors, preview.row_errors
    DUO_IMPORT.confirm(kind="scholen-vo", token=preview.token, user=None)
    own_school.refresh_from_db()
    assert own_school.gemeente.code == "0982"


def test_national_import_moving_a_school_makes_its_leader_role_wait(own_school, other_region):
    """A school leader's approval covered the school's regions then: moved by DUO into a
    municipality of another region, the role waits for that region's coordinator."""
    from regions.models import Role, RoleAssignment
    from regions.selectors import get_scope, pending_roles, role_changes
    from tests.factories import UserFactory, coordinator_of

    leader = UserFactory(first_name="Lies", last_name="Leider")
    RoleAssignment.objects.grant_directly(user=leader, role=Role.SCHOOLLEIDER, school=own_school)
    assert own_school.pk in get_scope(leader).leader_schools
    other_region.gemeenten.add(Gemeente.objects.create(code="0982", name="Zuiderwijk"))
    raw = _only_first_school((DATA / "vestigingen_vo_2025.csv").read_bytes())
    moved = raw.replace(b";0981;TESTVEEN;", b";0982;ZUIDERWIJK;")
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=moved)
    DUO_IMPORT.confirm(kind="scholen-vo", token=preview.token, user=None)

    leader = type(leader).objects.get(pk=leader.pk)
    assert own_school.pk not in get_scope(leader).leader_schools
    coordinator = coordinator_of(other_region)
    assert [a.user for a in pending_roles(coordinator, other_region)] == [leader]
    assert any("verhuisd" in e.description for e in role_changes(coordinator, other_region))


def _school_form_data(school, **changes):
    data = {
        "name": school.name,
        "brin": school.brin,
        "vestigingsnummer": school.vestigingsnummer,
        "sector": school.sector,
        "postcode": "",
        "swv": school.swv_id or "",
        "gemeente": school.gemeente_id or "",
        "acoustics": "onbekend",
        "low_stimulus_room": "onbekend",
        "accessibility": "onbekend",
    }
    return {**data, **changes}


def test_school_form_refuses_another_regions_municipality(region, other_region):
    from regions.forms import SchoolForm
    from regions.models import Role, RoleAssignment

    school = school_in(region)
    theirs = other_region.gemeenten.first()
    # A coordinator of the region who also manages (reads) the other region can pick it.
    user = coordinator_of(region)
    RoleAssignment.objects.create(
        user=user, role=Role.MANAGER, institution=other_region.institution
    )
    form = SchoolForm(_school_form_data(school, gemeente=theirs.pk), instance=school, user=user)
    assert not form.is_valid()
    assert "andere regio" in str(form.errors["gemeente"])
    # Still in the region by its municipality, but also handed to the other region: no.
    school.refresh_from_db()
    form = SchoolForm(
        _school_form_data(school, swv=other_region.swvs.first().pk), instance=school, user=user
    )
    assert not form.is_valid()
    assert "andere regio" in str(form.errors["swv"])
    # Out of the region altogether: no.
    school.refresh_from_db()
    form = SchoolForm(
        _school_form_data(school, swv=other_region.swvs.first().pk, gemeente=""),
        instance=school,
        user=user,
    )
    assert not form.is_valid()
    assert "valt de school buiten uw regio" in str(form.non_field_errors())
    # Unchanged it saves, and the postcode is written the Dutch way.
    school.refresh_from_db()  # a form that did not validate still changed its instance
    form = SchoolForm(_school_form_data(school, postcode="1234ab"), instance=school, user=user)
    assert form.is_valid(), form.errors
    assert form.save().postcode == "1234 AB"


def test_school_form_refuses_an_invalid_postcode(client, alice, region):
    school = school_in(region)
    client.force_login(alice)
    response = client.post(
        reverse("regions:school_edit", args=[school.pk]),
        _school_form_data(school, postcode="12345"),
    )
    assert response.status_code == 200
    assert "geen Nederlandse postcode" in response.content.decode()
    school.refresh_from_db()
    assert school.postcode == ""


# --- files waiting for confirmation ---------------------------------------------------


def _stashed(settings=None):
    """The import jobs whose rows wait in the database (no file on a local disk)."""
    return sorted(ImportJob.objects.exclude(upload=b"").values_list("pk", flat=True))


def test_waiting_file_is_in_the_database_and_gone_after_confirm(
    client, alice, region, settings, tmp_path
):
    client.force_login(alice)
    _import(client, "swv", "samenwerkingsverbanden.csv", region)
    [pk] = _stashed()
    assert ImportJob.objects.get(pk=pk).user == alice
    assert not (settings.BASE_DIR / "var" / "imports").exists() or not any(
        (settings.BASE_DIR / "var" / "imports").iterdir()
    )
    _confirm(client)
    assert _stashed() == []


def test_cancel_deletes_the_waiting_file(client, alice, region, settings):
    client.force_login(alice)
    preview = _import(client, "swv", "samenwerkingsverbanden.csv", region)
    assert 'name="cancel"' in preview.content.decode()
    assert len(_stashed(settings)) == 1
    response = client.post(reverse("regions:duo_import"), {"cancel": "1"}, follow=True)
    assert "geannuleerd" in response.content.decode()
    assert _stashed(settings) == []
    _confirm(client)
    assert not Samenwerkingsverband.objects.filter(code="VO 98-01").exists()


def test_a_new_preview_replaces_the_waiting_file(client, alice, region, settings):
    client.force_login(alice)
    _import(client, "swv", "samenwerkingsverbanden.csv", region)
    first = _stashed(settings)
    _import(client, "swv", "samenwerkingsverbanden.csv", region)
    assert len(_stashed(settings)) == 1 and _stashed(settings) != first


def test_waiting_files_expire_after_a_day(db, settings):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    old = DUO_IMPORT.preview(kind="swv", raw=raw)
    day_ago = timezone.now() - timedelta(seconds=settings.IMPORT_PREVIEW_MAX_AGE + 60)
    ImportJob.objects.filter(pk=old.token).update(created_at=day_ago)
    with pytest.raises(ImportFileError, match="verlopen"):
        DUO_IMPORT.confirm(kind="swv", token=old.token, user=None)
    assert not Samenwerkingsverband.objects.exists()

    # The cron command drops the rows of what waited too long, and deletes old jobs.
    DUO_IMPORT.preview(kind="swv", raw=raw)
    assert len(_stashed()) == 2
    out = io.StringIO()
    call_command("purge_import_uploads", stdout=out)
    assert "1 importbestand(en) verwijderd, 0 importtaak/-taken verwijderd" in out.getvalue()
    assert len(_stashed()) == 1
    week_ago = timezone.now() - timedelta(days=settings.IMPORT_JOB_KEEP_DAYS, seconds=60)
    ImportJob.objects.update(created_at=week_ago)
    out = io.StringIO()
    call_command("purge_import_uploads", stdout=out)
    assert "1 importbestand(en) verwijderd, 2 importtaak/-taken verwijderd" in out.getvalue()
    assert not ImportJob.objects.exists()


def test_token_of_another_user_is_refused(db, alice, charlie, settings):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    preview = DUO_IMPORT.preview(kind="swv", raw=raw, user=alice)
    with pytest.raises(ImportFileError, match="verlopen"):
        DUO_IMPORT.confirm(kind="swv", token=preview.token, user=charlie)
    assert not Samenwerkingsverband.objects.filter(code="VO 98-01").exists()
    assert len(_stashed()) == 1  # still alice's to confirm
    DUO_IMPORT.confirm(kind="swv", token=preview.token, user=alice)
    assert Samenwerkingsverband.objects.filter(code="VO 98-01").exists()


@pytest.mark.parametrize(
    "token", ["../../etc/passwd", "../" + "a" * 32, "0-" + "a" * 32, "", None, "A" * 32]
)
def test_crafted_token_is_refused(db, token, settings, tmp_path):
    with pytest.raises(ImportFileError, match="verlopen"):
        DUO_IMPORT.confirm(kind="swv", token=token, user=None)
    assert not Samenwerkingsverband.objects.filter(code="VO 98-01").exists()


def test_a_forged_session_token_cannot_reach_files_of_others(client, alice, charlie, region):
    """The session of charlie pointing at alice's waiting file: refused, nothing written."""
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    token = DUO_IMPORT.preview(kind="swv", raw=raw, user=alice).token
    client.force_login(charlie)
    session = client.session
    session["duo_import"] = {"job": token}
    session.save()
    response = _confirm(client)
    assert response.status_code == 404
    assert not Samenwerkingsverband.objects.filter(code="VO 98-01").exists()


def test_a_waiting_duo_file_keeps_only_the_columns_the_import_reads(db, settings):
    """As for pupil files: a column DUO adds (telephone, denomination) does not wait."""
    import json

    from regions.resources import SCHOOL_HEADERS

    _load_swvs()
    raw = (DATA / "vestigingen_vo_2025.csv").read_bytes()
    preview = DUO_IMPORT.preview(kind="scholen-vo", raw=raw)
    assert preview.token
    [pk] = _stashed()
    waiting = bytes(ImportJob.objects.get(pk=pk).upload)
    kept = json.loads(waiting)
    assert set(kept["headers"]) <= set(SCHOOL_HEADERS)
    assert b"0100-111111" not in waiting
    assert b"Testland Noord" not in waiting  # RMC-REGIO
    outcome = DUO_IMPORT.confirm(kind="scholen-vo", token=preview.token, user=None)
    assert not outcome.has_errors and outcome.totals["new"] == 3


def test_preview_names_the_columns_an_update_changes(db):
    raw = (DATA / "samenwerkingsverbanden.csv").read_bytes()
    DUO_IMPORT.confirm(kind="swv", token=DUO_IMPORT.preview(kind="swv", raw=raw).token, user=None)
    swv = Samenwerkingsverband.objects.order_by("code").first()
    swv.name = "Oude naam"
    swv.save()
    rows = DUO_IMPORT.preview(kind="swv", raw=raw).rows
    updated = [row for row in rows if row["action"] == "bijwerken"]
    assert len(updated) == 1
    assert updated[0]["object"].startswith(swv.code)
    assert updated[0]["changed"] == ["naam"]
    assert {row["action"] for row in rows} == {"bijwerken", "ongewijzigd"}
