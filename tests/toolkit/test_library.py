"""The practice-example library (toolkit: voorbeelden/) and its content: the 21 examples,
the filters, the example page with the fixed headings, the data migration."""

import re

import pytest
from django.urls import reverse

from toolkit.models import (
    CooperationType,
    PracticeExample,
    Sector,
    text_blocks,
)

pytestmark = pytest.mark.django_db

SEED_003 = {
    "brede-school-het-anker-wijk-bij-duurstede": "geintegreerde-school",
    "junior-college-nunspeet": "geintegreerde-school",
    "gespecialiseerd-onderwijs-hoogeveen": "geintegreerde-school",
    "kentalis-compas-college-oss": "school-in-school",
    "kindcentrum-borgele-deventer": "kindcentrum",
    "eduwiek-hoogeveen": "geintegreerde-school",
    "prisma-gespecialiseerd-onderwijs-kampen": "geintegreerde-school",
    "samenwerktraject-zwolle": "route-naar-werk",
    "rehoboth-onderwijs-zorg-sebaschool-ochten": "kindcentrum",
    "talentencampus-venlo": "campus",
}
# The people named in the "meer informatie" blocks of seed 003 (and nothing else of them).
CONTACT_PEOPLE = [
    "Westerveld",
    "Westerink",
    "Cornelissen",
    "Schraven",
    "de Haan",
    "van Eck",
    "Rook",
    "Wouter Bos",
    "Zwerus",
    "Westerlaken",
    "Vullings",
]


def slugs(response):
    return [e.slug for e in response.context["examples"]]


@pytest.fixture
def reader(client, bob):
    client.force_login(bob)
    return client


def library(client, **params):
    return client.get(reverse("toolkit:example_list"), params)


# --- content -------------------------------------------------------------------------


def test_21_examples_each_with_type_sector_cluster_and_source():
    examples = list(PracticeExample.objects.select_related("type"))
    assert len(examples) == 21
    for example in examples:
        assert example.type_id and example.source, example.slug
        assert example.sectors and set(example.sectors) <= set(Sector.values), example.slug
        assert example.clusters and set(example.clusters) <= {1, 2, 3, 4}, example.slug
        example.full_clean()
    seed = {e.slug: e for e in examples if e.source.startswith("003_d7ea89b3f6967f02.txt")}
    assert {slug: e.type.slug for slug, e in seed.items()} == SEED_003


def test_seed003_examples_have_the_fixed_headings_and_no_contact_details():
    for example in PracticeExample.objects.filter(slug__in=SEED_003):
        assert re.fullmatch(r"003_d7ea89b3f6967f02\.txt, r\. \d+-\d+", example.source)
        labels = [str(label) for label, _blocks in example.headings]
        assert labels[:3] == ["Aanleiding", "Doelen en ambities", "De praktijk"], example.slug
        assert len(labels) == 8, example.slug
        text = " ".join(
            str(getattr(example, f.name))
            for f in PracticeExample._meta.concrete_fields
            if f.name != "source"
        )
        assert "@" not in text and "www." not in text and "Telefoon" not in text
        assert not re.search(r"\b06[ -]?\d", text)
        for person in CONTACT_PEOPLE:
            assert person not in text, (example.slug, person)


def test_the_old_types_became_cooperation_types():
    toolkit_types = set(
        PracticeExample.objects.exclude(slug__in=SEED_003).values_list("type__slug", flat=True)
    )
    assert toolkit_types == {
        "school-in-school",
        "mediumsetting",
        "versnelde-doorstroom",
        "symbiose",
    }
    assert CooperationType.objects.get(slug="kindcentrum").examples.count() == 2


# --- the library page ---------------------------------------------------------------


def test_library_lists_all_examples_for_every_reader(reader):
    response = library(reader)
    assert response.status_code == 200
    assert len(slugs(response)) == 21
    assert "21 van 21 voorbeelden." in response.text
    assert reverse("toolkit:example_detail", args=["talentencampus-venlo"]) in response.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"vorm": "kindcentrum"},
            {"kindcentrum-borgele-deventer", "rehoboth-onderwijs-zorg-sebaschool-ochten"},
        ),
        ({"sector": "mbo"}, {"viertaal-college-amsterdam-pro-roc", "samenwerktraject-zwolle"}),
        (
            {"constructie": "symbioseovereenkomst"},
            {
                "kempenhorst-college-vitus-zuid",
                "wildveld-vitus-zuid",
                "brede-school-het-anker-wijk-bij-duurstede",
            },
        ),
        (
            {"cluster": "4", "sector": "vo"},
            {"eduwiek-hoogeveen", "junior-college-nunspeet", "samenwerktraject-zwolle"},
        ),
        (
            {"cluster": "3", "sector": "po", "vorm": "kindcentrum"},
            {"kindcentrum-borgele-deventer", "rehoboth-onderwijs-zorg-sebaschool-ochten"},
        ),
    ],
)
def test_each_filter_narrows_and_filters_combine(reader, params, expected):
    response = library(reader, **params)
    assert set(slugs(response)) == expected
    assert f"{len(expected)} van 21 voorbeelden." in response.text


def test_cluster_2_filter_keeps_the_cluster_2_examples(reader):
    shown = set(slugs(library(reader, cluster="2")))
    assert len(shown) == 13  # the 11 of the toolkit, Kentalis Compas College and Eduwiek
    assert {"kentalis-compas-college-oss", "eduwiek-hoogeveen"} <= shown
    assert "talentencampus-venlo" not in shown


def test_no_match_says_so(reader):
    response = library(reader, vorm="co-teaching")
    assert slugs(response) == []
    assert "Geen voorbeelden gevonden met deze filters." in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"vorm": "bestaat-niet"},
        {"cluster": "9"},
        {"cluster": "twee"},
        {"sector": "hbo"},
        {"constructie": "<x>"},
    ],
)
def test_a_bad_filter_value_gets_a_dutch_message_and_is_ignored(reader, params):
    response = library(reader, **params)
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert len(slugs(response)) == 21


def test_a_bad_value_leaves_the_other_filters_working(reader):
    response = library(reader, vorm="bestaat-niet", sector="mbo")
    assert set(slugs(response)) == {"viertaal-college-amsterdam-pro-roc", "samenwerktraject-zwolle"}


def test_htmx_gets_only_the_results(reader):
    response = reader.get(
        reverse("toolkit:example_list"), {"vorm": "campus"}, HTTP_HX_REQUEST="true"
    )
    assert response.text.lstrip().startswith('<div id="results">')
    assert "<form" not in response.text
    assert "1 van 21 voorbeelden." in response.text and "Talentencampus Venlo" in response.text


# --- the example page ---------------------------------------------------------------


def test_example_page_shows_the_headings_partners_and_source(reader):
    response = reader.get(reverse("toolkit:example_detail", args=["kentalis-compas-college-oss"]))
    assert response.status_code == 200
    text = response.text
    for heading in (
        "Partners",
        "Aanleiding",
        "Doelen en ambities",
        "De praktijk",
        "De leerlingen",
        "De ouders",
        "Uitdagingen",
        "Opbrengsten",
        "Toekomstige ontwikkelingen",
    ):
        assert f">{heading}</h2>" in text, heading
    assert "Het Hooghuis locatie De Singel" in text
    assert "samenwerkingsovereenkomst" in text and "school-in-school" in text
    assert "003_d7ea89b3f6967f02.txt, r. 1507-1733" in text
    assert text.index(">Aanleiding</h2>") < text.index(">Toekomstige ontwikkelingen</h2>")


def test_example_page_without_headings_shows_summary_and_links(reader):
    response = reader.get(reverse("toolkit:example_detail", args=["rotonde-auris"]))
    assert response.status_code == 200
    assert ">Aanleiding</h2>" not in response.text
    assert "https://www.curio.nl/vmbo/de-rotonde" in response.text
    assert "niet genoemd in de bron" in response.text  # no construction in the source


def test_unknown_example_is_404(reader):
    assert reader.get(reverse("toolkit:example_detail", args=["bestaat-niet"])).status_code == 404


def test_school_leader_reads_the_library_too(client, leader):
    client.force_login(leader)
    assert library(client).status_code == 200


@pytest.mark.parametrize("n_extra", [0, 300])
def test_library_list_queries_do_not_grow(reader, django_assert_max_num_queries, n_extra):
    kind = CooperationType.objects.get(slug="campus")
    PracticeExample.objects.bulk_create(
        PracticeExample(
            slug=f"extra-{i}",
            order=100 + i,
            name=f"Extra {i}",
            place="Ergens",
            partners="-",
            type=kind,
            sectors=["po"],
            clusters=[2],
            summary="-",
            contact_organisation="-",
            source="-",
        )
        for i in range(n_extra)
    )
    # Session, user and scope (4), the types for the filter, the examples with their type,
    # the count, the session saved; the same bound at both sizes.
    with django_assert_max_num_queries(10):
        response = library(reader, sector="po", cluster="2")
    assert len(slugs(response)) == n_extra


# --- text blocks (quotes in content) ---------------------------------------------------


def test_text_blocks_marks_quotes_with_attribution():
    blocks = text_blocks("Eerst.\n\n> Een citaat\n> over twee regels.\n— Iemand, ergens\n\nDaarna.")
    assert [(b.quote, b.text, b.attribution) for b in blocks] == [
        (False, "Eerst.", ""),
        (True, "Een citaat over twee regels.", "Iemand, ergens"),
        (False, "Daarna.", ""),
    ]


def test_a_coordinator_starts_an_initiative_from_the_example_page(client, region, alice, leader):
    from django.urls import reverse

    url = reverse("toolkit:example_detail", args=["kentalis-compas-college-oss"])
    client.force_login(alice)
    start = reverse("initiatives:initiative_create", args=[region.pk])
    assert f"{start}?voorbeeld=kentalis-compas-college-oss" in client.get(url).text
    client.force_login(leader)
    assert "Start een initiatief" not in client.get(url).text
