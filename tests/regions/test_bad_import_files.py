"""Every bad file of tests/data/bad_imports goes through both import pages and both
pipelines: a Dutch message or a preview, never a 500, and nothing written."""

import csv
import functools
import html
import io
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from learners.resources import PUPIL_IMPORT
from regions.imports import ImportFileError
from regions.resources import DUO_IMPORT
from tests.data.bad_imports.corpus import DUO_SWVS, FORMULAS, PUPILS, corpus
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

PREVIEW = "Bevestigen en importeren"
ROW_ERRORS = "Het bestand bevat fouten"
NUL = "Het bestand bevat een NUL-teken"
NO_ROWS = "Het bestand bevat geen regels met gegevens."
EMPTY = "Het verstuurde bestand is leeg."
BAD_XLSX = "Het Excel-bestand kan niet worden gelezen."

# What each page says about each file: a message, or PREVIEW when the file is fine.
EXPECTED = {
    "utf16_with_bom": (PREVIEW, PREVIEW),
    "utf16_le_without_bom": (PREVIEW, PREVIEW),
    "utf16_be_without_bom": (PREVIEW, PREVIEW),
    "excel_unicode_text": ("Kies een CSV- of XLSX-bestand.", PREVIEW),
    "utf8_with_bom": (PREVIEW, PREVIEW),
    "latin1": (PREVIEW, PREVIEW),
    "cp1252_quotes": (PREVIEW, PREVIEW),
    "mixed_encodings": (PREVIEW, ROW_ERRORS),  # read as windows-1252; DUO: the SWV twice
    "binary_garbage": (NUL, NUL),
    "png_renamed_csv": (NUL, NUL),
    "empty": (EMPTY, EMPTY),
    "only_header": (NO_ROWS, NO_ROWS),
    "only_blank_lines": (NO_ROWS, NO_ROWS),
    "semicolons": (PREVIEW, PREVIEW),
    "commas": (PREVIEW, PREVIEW),
    "tabs": (PREVIEW, PREVIEW),
    "missing_columns": ("Deze kolommen ontbreken: 'geboortedatum'.", "Deze kolommen ontbreken"),
    "extra_columns": (PREVIEW, PREVIEW),
    "duplicated_headers": ("meer dan één keer in het bestand",) * 2,
    "huge_cell": ("langer dan 128 kB",) * 2,
    "very_long_line": (PREVIEW, PREVIEW),  # cells past the header row are ignored
    "rows_over_the_limit": ("Het bestand heeft meer dan 30.000 regels",) * 2,
    # Text, shown as text; exports escape it.
    "formula_hyperlink": (PREVIEW, PREVIEW),
    "formula_cmd": (PREVIEW, PREVIEW),
    "formula_at": (PREVIEW, PREVIEW),
    "nul_bytes": (NUL, NUL),
    "crlf": (PREVIEW, PREVIEW),
    "cr_only": (PREVIEW, PREVIEW),
    "unbalanced_quotes": (ROW_ERRORS, ROW_ERRORS),  # the quote swallows the rest
    "xlsx_not_a_zip": (BAD_XLSX, "Kies een CSV-bestand (.csv)."),
    "zip_not_an_xlsx": (BAD_XLSX, "Kies een CSV-bestand (.csv)."),
    "xlsx_renamed_csv": (NUL, NUL),
    "xlsx_zip_bomb": ("uitgepakt groter dan 200 MB", "Kies een CSV-bestand (.csv)."),
}


@functools.cache
def pupil_files():
    return corpus(*PUPILS)


@functools.cache
def duo_files():
    return corpus(*DUO_SWVS)


def test_every_file_of_the_corpus_has_an_expectation():
    assert set(EXPECTED) == set(pupil_files()) == set(duo_files())


def row_counts() -> dict:
    """Rows of every table but the sessions and the import jobs: the job of an upload is
    where its preview or its Dutch message waits (tests/regions/test_import_jobs.py)."""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m is not Session and m._meta.label != "regions.ImportJob"
    }


@pytest.fixture
def school(region):
    return SchoolFactory(brin="77AA", swv=region.swvs.first(), gemeente=region.gemeenten.first())


def _says(response, text):
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    main = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("<main", 1)[-1]))
    assert text in page, f"{text!r} not in the page: {main[:700]}"
    if text != PREVIEW:
        assert PREVIEW not in page


@pytest.mark.parametrize("name", list(EXPECTED))
def test_pupil_import_page(client, alice, region, school, name):
    filename, raw = pupil_files()[name]
    client.force_login(alice)
    before = row_counts()
    response = client.post(
        reverse("learners:pupil_import"),
        {"kind": "leerlingen", "region": region.pk, "file": SimpleUploadedFile(filename, raw)},
    )
    _says(response, EXPECTED[name][0])
    assert row_counts() == before


@pytest.mark.parametrize("name", list(EXPECTED))
def test_duo_import_page(client, alice, region, name):
    filename, raw = duo_files()[name]
    client.force_login(alice)
    before = row_counts()
    response = client.post(
        reverse("regions:duo_import"),
        {"kind": "swv", "region": region.pk, "file": SimpleUploadedFile(filename, raw)},
    )
    _says(response, EXPECTED[name][1])
    assert row_counts() == before


def _through_the_pipeline(pipeline, kind, name, expected, files, **where):
    """The parse step and the dry run without the page (for when they run in a task)."""
    filename, raw = files[name]
    before = row_counts()
    if expected in (PREVIEW, ROW_ERRORS):
        assert pipeline.table(kind, raw, filename).height >= 1
        preview = pipeline.preview(kind=kind, raw=raw, filename=filename, **where)
        assert preview.has_errors == (expected == ROW_ERRORS)
    else:
        with pytest.raises(ImportFileError, match=expected.split("'")[0]):
            pipeline.table(kind, raw, filename)
        with pytest.raises(ImportFileError):
            pipeline.preview(kind=kind, raw=raw, filename=filename, **where)
    assert row_counts() == before


def _reach_the_pipeline(column):
    """The files the upload form lets through (an empty file or a wrong file type is
    refused before the pipeline: the page tests above prove that message)."""
    return [
        name
        for name, expected in EXPECTED.items()
        if expected[column] != EMPTY and not expected[column].startswith("Kies een")
    ]


@pytest.mark.parametrize("name", _reach_the_pipeline(0))
def test_pupil_pipeline(alice, region, school, name):
    _through_the_pipeline(
        PUPIL_IMPORT, "leerlingen", name, EXPECTED[name][0], pupil_files(), region=region
    )


@pytest.mark.parametrize("name", _reach_the_pipeline(1))
def test_duo_pipeline(region, name):
    _through_the_pipeline(DUO_IMPORT, "swv", name, EXPECTED[name][1], duo_files(), region=region)


def test_formulas_in_a_workbook_are_never_run(alice, region, school):
    """A formula cell of an XLSX is read as the value Excel stored (here none), never run."""
    book = Workbook()
    sheet = book.active
    sheet.append(PUPILS[0])
    sheet.append([PUPILS[1][0], FORMULAS[0], *PUPILS[1][2:]])
    sheet.append(["Gijs", "=1+1", *PUPILS[1][2:]])
    out = io.BytesIO()
    book.save(out)
    rows = PUPIL_IMPORT.table("leerlingen", out.getvalue(), "f.xlsx").dict
    assert [row["achternaam"] for row in rows] == ["", ""]


def test_imported_formulas_are_exported_as_text(client, alice, region, school):
    """Formula text that came in through an import goes out escaped (regions.spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(PUPILS[0])
    for number, formula in enumerate(FORMULAS):
        writer.writerow([f"Kind{number}", formula, *PUPILS[1][2:]])
    raw = out.getvalue().encode()
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=raw, filename="f.csv", region=region, user=alice
    )
    assert not preview.has_errors, preview.row_errors
    PUPIL_IMPORT.confirm(kind="leerlingen", token=preview.token, region=region, user=alice)
    client.force_login(alice)
    response = client.post(
        reverse("learners:pupil_export", args=[region.pk]), {"format": "csv", "with_names": "on"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row["achternaam"] for row in rows) == sorted("'" + f for f in FORMULAS)


def test_a_workbook_with_a_row_of_too_many_cells_is_refused_before_it_is_read(
    alice, region, school, monkeypatch
):
    """A 0.5 MB workbook can hold millions of cells in one row; openpyxl would build that
    row in memory at once (gigabytes in the worker). The row is counted as a stream first."""
    import openpyxl as real_openpyxl

    from regions import imports

    book = Workbook()
    book.active.append(PUPILS[0])
    book.active.append(["x"] * (imports.MAX_XLSX_CELLS_PER_ROW + 1))
    out = io.BytesIO()
    book.save(out)

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not read this workbook")

    monkeypatch.setattr(real_openpyxl, "load_workbook", never)
    before = row_counts()
    with pytest.raises(ImportFileError, match="meer dan 200 cellen"):
        PUPIL_IMPORT.table("leerlingen", out.getvalue(), "f.xlsx")
    assert row_counts() == before
