"""Corrections found when the toolkit content was checked against the seeds, pinned:
the measure titles are the source's own headings (seed 002), the definition of inclusive
education is quoted with its attribution (seed 000 r. 159-161, 198-204), the monitoring
tip and the Den Haag example say what the source says, and the national measures show
on the werkagenda page."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from toolkit.models import Measure, PracticeExample, ToolkitItem

pytestmark = pytest.mark.django_db

# code -> heading in 002_eeddbef809431e04.txt (the line of the heading).
SOURCE_HEADINGS = {
    "1.L.1": "Meer medewerkers in de school",  # 3607
    "1.L.2": "Ruimte voor professionalisering",  # 3633
    "1.L.3": "Ruimere bevoegdheden",  # 3661
    "1.L.4": "Opleidingen: diverser leren lesgeven",  # 3699
    "1.R.1": "Diverser leren lesgeven: Regionale context binnen lerarenopleidingen",  # 3809
    "1.R.2": "Expertise eenvoudig beschikbaar: Uitruilen kennis en personeel",  # 3846
    "1.S.1": "Van heldere koers naar professionaliseren",  # 3919
    "1.S.2": "Schil van expertise rond de leraar",  # 3965
    "2.L.1": "Ontschotten onderwijs en zorg",  # 4030
    "2.R.1": "Samenwerken met jeugdzorg en jeugd- jongerenwerk",  # 4071
    "2.R.2": "Expertise eenvoudig beschikbaar: Invliegen bredere ondersteuning",  # 4115
    "2.S.1": "Betrek ouder en jongere",  # 4169
    "2.S.2": "Denk vanuit de groep: Groepsgerichte oplossingen",  # 4207
    "3.L.1": "Voorschrijven verwachting samenwerkingsverbanden",  # 4282
    "3.R.1": "Regionaal afgestemd aanbod op onderwijs & zorg",  # 4366
    "3.S.1": "Gedeelde visie en koersbepaling",  # 4454
    "3.S.2": "Warm overdragen",  # 4497
    "4.L.1": "Toezichtkader aanpassen",  # 4562
    "4.L.2": "Visie op breed onderwijs",  # 4594
    "4.L.3": "Regels in de weg? Dit kan al!",  # 4690
    "4.L.4": "Experimenteerruimte in het onderwijs",  # 4747
    "4.R.1": "Simpel switchen",  # 4816
    "4.R.2": "Breder onderwijs invullen met partners",  # 4867
    "4.S.1": "Ontwikkelgericht waarderen van jongeren",  # 4907
    "4.S.2": "Flexibilisering van leerpaden én lessen",  # 4934
    "5.L.1": "Bouwnorm en bekostiging",  # 5009
    "5.R.1": "Integraal huisvestingsplan",  # 5067
    "5.S.1": "Samen de schouders onder kleine klussen",  # 5130
    "6.L.1": "Stimuleren inclusie",  # 5203
    "6.R.1": "Van klein begin naar inclusievere maatschappij",  # 5273
    "6.R.2": "Visie uitdragen in de regio, doelstellingen formuleren",  # 5326
    "6.S.1": "Mindset: iedereen is welkom!",  # 5362
    "6.S.2": "Diverse werkcultuur",  # 5402
}
DEFINITION = (
    "Inclusief onderwijs is onderwijs waarbij alle kinderen en jongeren dichtbij huis, "
    "volwaardig en gelijkwaardig toegang hebben tot een inclusieve leeromgeving waarin zij "
    "zich samen ontwikkelen en samen leren en participeren."
)


def test_every_measure_title_is_its_source_heading():
    assert dict(Measure.objects.values_list("code", "title")) == SOURCE_HEADINGS


def test_definition_is_a_marked_attributed_quote():
    item = ToolkitItem.objects.get(slug="ken-de-definitie-van-inclusief-onderwijs")
    quotes = [b for b in item.summary_blocks if b.quote]
    assert [q.text for q in quotes][0] == DEFINITION
    assert quotes[1].text.startswith("Binnen een inclusieve leeromgeving zijn alle kinderen welkom")
    assert quotes[1].text.endswith("toegankelijk voor alle kinderen, leraren en ouders.")
    assert all("Rijksoverheid, beleidskader" in q.attribution for q in quotes)


def test_definition_quote_renders_as_blockquote_on_the_item(client, region, alice):
    client.force_login(alice)
    url = reverse(
        "toolkit:item_progress", args=[region.pk, "ken-de-definitie-van-inclusief-onderwijs"]
    )
    for response in (client.get(url), client.get(url, HTTP_HX_REQUEST="true")):
        text = response.text
        assert (
            f"<blockquote>\n        <p>{DEFINITION}</p>" in text or f"<p>{DEFINITION}</p>" in text
        )
        assert text.count("<blockquote>") == 2
        assert "<figcaption>— Rijksoverheid, beleidskader" in text
        assert "&gt; Inclusief" not in text  # the marker itself is not shown


def test_monitoring_is_about_pupils_who_had_a_vso_arrangement():
    summary = ToolkitItem.objects.get(slug="monitor-de-leerlingen").summary
    assert "die eerder een vso-arrangement hadden" in summary
    assert "zouden" not in summary


def test_den_haag_pilot_is_a_question_not_a_result():
    summary = PracticeExample.objects.get(slug="viertaal-college-den-haag").summary
    assert "onderzoekt of dat al na het tweede jaar kan" in summary
    assert "stromen leerlingen al na het tweede" not in summary


def test_werkagenda_shows_the_national_measures_per_line_with_their_timelines(
    client, region, alice
):
    client.force_login(alice)
    response = client.get(reverse("toolkit:werkagenda", args=[region.pk]))
    text = response.text
    national = list(Measure.objects.filter(level="landelijk").select_related("line"))
    assert len(national) == 12
    for measure in national:
        anchor = f'id="maatregel-{measure.code.lower().replace(".", "")}"'
        assert anchor in text, measure.code
        # inside its own line's section, after the line heading
        assert text.index(f'id="lijn-{measure.line.number}"') < text.index(anchor)
        assert measure.title.replace("&", "&amp;") in text
    assert "Themaonderzoek van de Inspectie in 2023/2024, rapport eind 2024." in text
    assert "Landelijke maatregelen bij deze lijn (4)" in text  # line 1
    # Still not decided per region: no edit link for a national measure.
    assert reverse("toolkit:measure_decision", args=[region.pk, "4.L.1"]) not in text


def test_reloading_keeps_corrections_and_examples():
    migration = importlib.import_module("toolkit.migrations.0004_practice_example_library")
    migration.load(apps, None)
    assert PracticeExample.objects.count() == 21
    assert Measure.objects.get(code="3.L.1").title == SOURCE_HEADINGS["3.L.1"]


@pytest.mark.django_db(transaction=True)
def test_migration_brings_an_existing_database_up_to_date():
    """A database at 0003 (old type values, old titles, only the 11 examples) gets the
    cooperation types, the seed-003 examples and the corrections from 0004."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("toolkit", "0003_cooperation_types")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    # The types and content as 0002 and 0003 loaded them (a transactional test before
    # this one may have flushed the tables), then made old again.
    from toolkit.loader import load_content

    importlib.import_module("toolkit.migrations.0003_cooperation_types").add_types(old, None)
    load_content(old)
    Example = old.get_model("toolkit", "PracticeExample")
    Example.objects.exclude(source__startswith="000_").delete()
    Example.objects.filter(slug="kentalis-college-arnhem-arentheem-college").update(
        type="school_in_school"
    )
    Example.objects.filter(slug="viertaal-college-den-haag").update(
        type="versnelde_doorstroom", summary="oud"
    )
    old.get_model("toolkit", "Measure").objects.filter(code="3.L.1").update(
        title="Verwachtingen van samenwerkingsverbanden vastleggen"
    )
    assert Example.objects.count() == 11

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert PracticeExample.objects.count() == 21
    arnhem = PracticeExample.objects.get(slug="kentalis-college-arnhem-arentheem-college")
    assert arnhem.type.slug == "school-in-school" and arnhem.clusters == [2]
    den_haag = PracticeExample.objects.get(slug="viertaal-college-den-haag")
    assert den_haag.type.slug == "versnelde-doorstroom" and "onderzoekt of" in den_haag.summary
    assert Measure.objects.get(code="3.L.1").title == SOURCE_HEADINGS["3.L.1"]
