"""Partner data (schools, SWVs, municipalities) is shared by every region: a DUO import,
also one a coordinator runs for his region, and a save in /beheer/ drop every cached page
that shows it (regions/data_version.py), not only the importing region's."""

import pytest
from django.urls import reverse

from regions.imports import create_job, run_confirm, run_preview
from regions.resources import DUO_IMPORT
from tests.factories import UserFactory
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db
HEAD = "INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;PLAATSNAAM;GEMEENTENUMMER;"
HEAD += "GEMEENTENAAM;BEVOEGD GEZAG NUMMER;ONDERWIJSSTRUCTUUR;SAMENWERKINGSVERBAND\n"


def previewed_duo_job(region, user, row):
    """A regional DUO import of one school row, previewed without errors."""
    job = create_job(
        DUO_IMPORT, kind="scholen-vo", raw=(HEAD + row).encode(), region=region, user=user
    )
    preview = run_preview(job)
    assert not preview.has_errors, preview.row_errors
    job.refresh_from_db()
    return job


@pytest.fixture
def cached_figures(client, charlie, other_region, school):
    """The other region's coordinator has the figures page, naming the school, cached."""
    PupilFactory(region=other_region, current_school=school)
    client.force_login(charlie)
    url = reverse("learners:figures")
    assert school.name in client.get(url).text

    def text():
        client.force_login(charlie)
        return client.get(url).text

    return text


def test_a_coordinators_duo_import_refreshes_other_regions_cached_pages(
    cached_figures, alice, region, school
):
    row = (
        f"{school.brin};{school.vestigingsnummer};Nieuwe Naam College;Stad;"
        f"{school.gemeente.code};{school.gemeente.name};20001;HAVO/VWO;{school.swv.code}"
    )
    run_confirm(previewed_duo_job(region, alice, row))
    school.refresh_from_db()
    assert school.name == "Nieuwe Naam College"

    assert "Nieuwe Naam College" in cached_figures()


def test_a_save_in_the_admin_refreshes_cached_pages(client, cached_figures, school):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:regions_school_change", args=[school.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["name"] = "Hernoemd in beheer"
    data["levels"] = [level.pk for level in school.levels.all()]
    response = client.post(url, {**data, **_inline_management(client.get(url))})
    assert response.status_code == 302, response.context["adminform"].form.errors
    school.refresh_from_db()
    assert school.name == "Hernoemd in beheer"

    assert "Hernoemd in beheer" in cached_figures()


def _inline_management(page):
    """The management form of every inline of the admin page (none filled in)."""
    data = {}
    for formset in page.context.get("inline_admin_formsets", []):
        prefix = formset.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_new_schools_of_a_regional_duo_import_mark_every_region_changed(
    alice, region, other_region, school
):
    """New schools, municipalities and boards go in bulk, past the signals: the import
    itself marks the shared data changed, or another region's cached pages would not
    know them."""
    from regions.data_version import versions_key

    row = (
        f"99ZZ;00;Gloednieuw College;Stad;{school.gemeente.code};{school.gemeente.name};"
        f"29999;HAVO/VWO;{school.swv.code}"
    )
    job = previewed_duo_job(region, alice, row)
    before = versions_key([other_region.pk])
    run_confirm(job)
    assert job.status == "done", job.error
    assert versions_key([other_region.pk]) != before
