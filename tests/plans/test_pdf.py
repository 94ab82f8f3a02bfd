"""The plan's PDF: opens, has its sections, contents with page numbers, page numbering,
is tagged (language, title), contains no pupil identifiers or small counts; and the URL
fetcher keeps WeasyPrint inside the static files."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from plans.documents import plan_html, plan_pdf
from plans.models import PlanDocument
from plans.pdf import StaticFilesFetcher
from plans.snapshot import build_snapshot
from tests.plans.sample_snapshot import sample_snapshot, section
from tests.plans.test_plan import TODAY, fill_region

ROOT = Path(__file__).resolve().parents[2]


def document(language="nl", number=None, **region):
    # Unsaved: rendering needs only the snapshot, the language and the number.
    return PlanDocument(number=number, snapshot=sample_snapshot(**region), language=language)


@pytest.fixture(scope="module")
def pdf_bytes():
    return plan_pdf(document(number=1))


def text_of(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pdf_opens_with_its_sections_and_numbered_pages(pdf_bytes):
    pages = text_of(pdf_bytes)
    n = len(pages)
    assert n >= 3  # cover, contents, sections
    text = "\n".join(pages)
    for title in ("1. De regio", "3. Leerlingen in cijfers", "9. Tijdlijn en deadlines"):
        assert title in text
    assert "Pagina" not in pages[0]  # the cover has no footer
    assert f"Pagina 2 van {n}" in pages[1]
    assert f"Pagina {n} van {n}" in pages[-1]
    # Cover: region, institution, version.
    assert "Regio Utrecht" in pages[0] and "Kentalis" in pages[0] and "versie 1" in pages[0]


def test_the_contents_give_each_section_its_page(pdf_bytes):
    pages = text_of(pdf_bytes)
    contents = pages[1]
    assert "Inhoud" in contents
    for number, title in ((1, "De regio"), (9, "Tijdlijn en deadlines")):
        found = re.search(rf"{number}\. {title}[ .]*?(\d+)\s*$", contents, re.M)
        assert found, contents
        page = int(found.group(1))
        assert f"{number}. {title}" in pages[page - 1]


def test_each_section_prints_its_heading_introduction_and_conclusion_once():
    snapshot = sample_snapshot()
    section(snapshot, "context")["conclusion"] = "Zo gaan we verder."
    made = PlanDocument(number=1, snapshot=snapshot, language="nl")
    text = "\n".join(text_of(plan_pdf(made)))
    assert text.count("Zo staat de regio ervoor.") == 1
    assert text.count("Zo gaan we verder.") == 1
    # Once in the contents, once above the section (the running header names no section).
    assert text.count("1. De regio") == 2
    assert text.count("9. Tijdlijn en deadlines") == 2


def test_the_running_header_names_region_and_plan(pdf_bytes):
    pages = text_of(pdf_bytes)
    assert "Regio Utrecht" in pages[2] and "Regioplan Regio Utrecht" in pages[2]


def test_the_pdf_is_tagged_with_language_and_title(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl"
    assert reader.metadata.title == "Regioplan Regio Utrecht"


def test_english_when_the_document_is_english():
    data = plan_pdf(document(language="en"))
    assert re.search(r"Page 2 of \d+", text_of(data)[1])
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


def test_no_pupil_identifier_and_no_small_count(region):
    """A real region with three pupils: the PDF names none of them and prints no count
    from 1 to 4 where it counts pupils (figures, closing locations, deadlines)."""
    pupils = fill_region(region, pupils=3, actions=1, initiatives=1)
    made = PlanDocument(region=region, snapshot=build_snapshot(region, today=TODAY))
    text = "\n".join(text_of(plan_pdf(made)))
    for pupil in pupils:
        assert pupil.code not in text
        assert pupil.first_name not in text and pupil.last_name not in text
        born = pupil.date_of_birth
        assert born.isoformat() not in text and f"{born:%d-%m-%Y}" not in text
    assert "Leerlingen in de regio: <5" in text
    html = plan_html(made)
    sections = r'<section class="plan-section" aria-labelledby="(?:pupils|transition|timeline)"'
    counted = re.findall(sections + r".*?</section>", html, flags=re.S)
    assert len(counted) == 3
    for chunk in counted:
        cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", chunk)
        assert not [cell for cell in cells if re.fullmatch(r"[1-4]", cell)]


def test_tables_repeat_their_header_and_keep_rows_whole():
    css = (ROOT / "static/css/plan-print.css").read_text()
    assert "thead { display: table-header-group; }" in css
    assert "tr { break-inside: avoid; }" in css


def test_only_number_columns_align_right_on_paper():
    css = (ROOT / "static/css/plan-print.css").read_text()
    assert "last-child { text-align: right" not in css  # a text column stays left
    assert "th.num, td.num { text-align: right; }" in css


# --- the URL fetcher ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/font.woff2",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file:///static/../../../../etc/passwd",
        "file:///static/css/../../../config/settings.py",
        f"file://{ROOT}/config/settings.py",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(URLFetchingError):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_serves_a_static_css_file_and_data_urls():
    fetcher = StaticFilesFetcher()
    response = fetcher.fetch("file:///static/css/plan-print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"


# --- pictures for people ---------------------------------------------------------------


def test_first_pages_as_png_for_a_person_to_look_at(pdf_bytes, tmp_path):
    # make test and .ci/run install poppler-utils; without it this test must fail, not skip.
    assert shutil.which("pdftoppm"), "pdftoppm ontbreekt: installeer poppler-utils"
    out = ROOT / "var" / "plan-pages"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):  # only this run's pages count
        old.unlink()
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(  # noqa: S603 (our own file)
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "3",
            str(source),
            str(out / "page"),
        ],
        check=True,
    )
    assert len(list(out.glob("page-*.png"))) >= 2


def test_a_status_is_a_badge_apart_from_its_title(pdf_bytes):
    html = plan_html(document(number=1))
    assert (
        'Scholing<span class="status-sep"> · </span>'
        '<span class="utrecht-status-badge badge--open">open</span>'
    ) in html
    text = "\n".join(text_of(pdf_bytes))
    assert "Scholing · open" in text and "Scholing open" not in text


def test_a_pupil_table_is_titled_by_its_visible_caption_only():
    html = plan_html(document(number=1))
    pupils = re.search(r'aria-labelledby="pupils".*?</section>', html, flags=re.S).group(0)
    assert "<h3>Plaatsingsstatus</h3>" not in pupils
    assert "<caption>Plaatsingsstatus</caption>" in pupils
    # The same order as the snapshot (the page and the PDF render the same partial).
    assert pupils.index("<caption>Plaatsingsstatus") < pupils.index("<caption>Niveau")


def test_the_placement_figures_are_printed_once(region):
    """The pupils chart's text alternative is the section's own placement table: on paper
    it is not printed a second time under the chart."""
    fill_region(region, pupils=12, actions=2, initiatives=1)
    made = PlanDocument(region=region, snapshot=build_snapshot(region, today=TODAY))
    text = "\n".join(text_of(plan_pdf(made)))
    assert text.count("Naar plaatsingsstatus") == 1
