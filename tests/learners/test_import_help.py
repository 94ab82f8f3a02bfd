"""The pupil import page says what the importer accepts (the doelgroep values from the
model's choices, the municipality code) and offers an empty file per kind whose header
row is exactly what the import reads."""

import pytest
from django.urls import reverse

from learners.models import Arrangement, CvoBesluit, TargetGroup
from learners.resources import IMPORT_COLUMNS, PUPIL_IMPORT
from regions.models import Gemeente
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_accepted_target_groups_and_the_gemeente_code(client, alice):
    client.force_login(alice)
    page = client.get(reverse("learners:pupil_import")).text
    for value, label in TargetGroup.choices:  # every choice, also one added later
        assert f"<code>{value}</code>" in page
        assert str(label) in page
    # The other columns with fixed values too (decision kind and advice, arrangement level
    # and setting): a coordinator filling a template should not learn them from errors.
    for column, choices in [
        ("soort", CvoBesluit.Kind.choices),
        ("advies", CvoBesluit.Advice.choices),
        ("niveau", Arrangement.Scope.choices),
        ("soort", Arrangement.Setting.choices),
    ]:
        assert f"<code>{column}</code>" in page
        for value, _label in choices:
            assert f"<code>{value}</code>" in page
    assert "4 cijfers, bijvoorbeeld 0363" in page
    for kind in IMPORT_COLUMNS:
        assert reverse("learners:pupil_import_template", args=[kind]) in page


def test_the_duo_page_gives_the_gemeente_code_format(client, alice):
    client.force_login(alice)
    assert "4 cijfers" in client.get(reverse("regions:duo_import")).text


@pytest.mark.parametrize("kind", list(IMPORT_COLUMNS))
def test_the_template_has_the_header_the_import_reads(client, alice, kind):
    client.force_login(alice)
    response = client.get(reverse("learners:pupil_import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="sjabloon-{kind}.csv"' in response["Content-Disposition"]
    assert response.content.decode().strip().split(";") == IMPORT_COLUMNS[kind]


def test_an_unknown_template_is_not_found(client, alice):
    client.force_login(alice)
    url = reverse("learners:pupil_import_template", args=["geheim"])
    assert client.get(url).status_code == 404


def test_the_template_with_one_filled_row_previews_without_errors(client, alice, region):
    """Round trip: the downloaded file, one row filled in under its own header."""
    SchoolFactory(brin="77AA", swv=region.swvs.first(), gemeente=region.gemeenten.first())
    Gemeente.objects.create(name="Importdorp", code="0771")
    client.force_login(alice)
    header = client.get(reverse("learners:pupil_import_template", args=["leerlingen"]))
    values = {
        "voornaam": "Sanne",
        "achternaam": "Sjabloon",
        "geboortedatum": "01-02-2012",
        "doelgroep": "D/SH",  # a label is accepted as well as its value
        "ngt": "nee",
        "hoortechnologie": "ja",
        "logopedie": "nee",
        "school": "77AA00",
        "niveau": "havo",
        "leerjaar": "2",
        "woongemeente": "771",  # leading zeros may go, as the page says
    }
    columns = header.content.decode().strip().split(";")
    raw = header.content + ";".join(values.get(c, "") for c in columns).encode()
    preview = PUPIL_IMPORT.preview(
        kind="leerlingen", raw=raw, filename="sjabloon-leerlingen.csv", region=region, user=alice
    )
    assert not preview.has_errors, preview.row_errors
    assert preview.totals["new"] == 1
