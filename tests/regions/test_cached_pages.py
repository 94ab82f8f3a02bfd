"""Figures and the regional plan are cached (regions/data_version.py) until the data
under them changes: a second view is cheap, a change shows at once, and one region's
cached answer never reaches another region, another user or another language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.learners.factories import PupilFactory
from tests.toolkit.factories import RegionActionFactory

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_figures_are_gathered_once_until_a_pupil_changes(client, alice, region, school):
    PupilFactory(region=region, current_school=school)
    url = reverse("learners:figures") + f"?regio={region.pk}"
    client.force_login(alice)
    first, n_first = queries_of(client, url)
    again, n_again = queries_of(client, url)
    assert n_again < n_first - 3  # the grouped counts are not run again
    assert "Leerlingen: 1<" in again.text
    pupil = PupilFactory(region=region, current_school=school)
    assert "Leerlingen: 2<" in client.get(url).text
    pupil.is_active = False
    pupil.save()
    assert "Leerlingen: 1<" in client.get(url).text


def test_cached_figures_are_per_user(client, alice, bob, region, school):
    """The coordinator's exact count never reaches the manager's rounded page."""
    for _ in range(3):
        PupilFactory(region=region, current_school=school)
    url = reverse("learners:figures") + f"?regio={region.pk}"
    client.force_login(alice)
    assert "Leerlingen: 3" in client.get(url).text
    client.force_login(bob)
    text = client.get(url).text
    assert "Leerlingen: 3" not in text and "&lt;5" in text


def test_plan_is_gathered_once_until_the_region_changes(client, alice, region):
    url = reverse("plans:plan", args=[region.pk])
    client.force_login(alice)
    _first, n_first = queries_of(client, url)
    _again, n_again = queries_of(client, url)
    assert n_again < n_first - 10
    RegionActionFactory(region=region, title="Nieuwe actie na het cachen")
    assert "Nieuwe actie na het cachen" in client.get(url).text


def test_one_regions_cached_plan_never_shows_in_another(
    client, alice, charlie, region, other_region
):
    RegionActionFactory(region=region, title="Actie van regio een")
    RegionActionFactory(region=other_region, title="Actie van regio twee")
    client.force_login(alice)
    assert "Actie van regio een" in client.get(reverse("plans:plan", args=[region.pk])).text
    client.force_login(charlie)
    text = client.get(reverse("plans:plan", args=[other_region.pk])).text
    assert "Actie van regio twee" in text and "Actie van regio een" not in text


def test_cached_plan_is_per_language(client, alice, region):
    url = reverse("plans:plan", args=[region.pk])
    client.force_login(alice)
    dutch = client.get(url, headers={"accept-language": "nl"}).text
    client.cookies["django_language"] = "en"
    english = client.get(url, headers={"accept-language": "en"}).text
    assert "Tijdlijn en deadlines" in dutch
    assert "Tijdlijn en deadlines" not in english


def test_institution_overview_is_gathered_once_until_a_region_changes(client, bob, region, school):
    PupilFactory(region=region, current_school=school)
    url = reverse("plans:institution_overview")
    client.force_login(bob)
    _first, n_first = queries_of(client, url)
    _again, n_again = queries_of(client, url)
    assert n_again < n_first - 10
    PupilFactory(region=region, current_school=school)
    _changed, n_changed = queries_of(client, url)
    assert n_changed == n_first  # gathered again after the change


def test_a_change_made_in_another_process_shows_at_once(region):
    """A task worker or another gunicorn worker has its own memory cache: the versions of
    the data must not live there (an import in the worker left the figures of every web
    process stale for 15 minutes)."""
    from django.test import override_settings

    from learners.models import Pupil
    from regions.data_version import versions_key

    before = versions_key([region.pk])
    other_process = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "another-process",
        }
    }
    with override_settings(CACHES=other_process):
        Pupil.objects.create(region=region, target_group="tos")
    assert versions_key([region.pk]) != before


def test_writers_of_different_regions_bump_different_rows(region, other_region):
    """On PostgreSQL a version row is locked by its writer until the commit: one row bumped
    by every save would make every writer of every region wait for the others."""
    from regions.data_version import bump
    from regions.models import DataVersion

    bump(region.pk)
    first = dict(DataVersion.objects.values_list("key", "version"))
    bump(other_region.pk)
    second = dict(DataVersion.objects.values_list("key", "version"))
    changed = {key for key in second if first.get(key) != second[key]}
    assert changed == {f"dataversion:region:{other_region.pk}"}


def test_the_version_of_all_data_changes_with_any_region_or_shared_data(region, other_region):
    from regions.data_version import bump, versions_key

    seen = {versions_key([], anywhere=True)}
    for change in (
        lambda: bump(region.pk),
        lambda: bump(other_region.pk),
        lambda: bump(shared=True),
    ):
        change()
        seen.add(versions_key([], anywhere=True))
    assert len(seen) == 4


def test_plan_sections_are_rendered_once_until_the_region_changes(
    client, alice, region, monkeypatch
):
    from plans import plan_views

    rendered = []

    def render_to_string(name, context):
        rendered.append(name)
        return real(name, context)

    real = plan_views.render_to_string
    monkeypatch.setattr(plan_views, "render_to_string", render_to_string)
    url = reverse("plans:plan", args=[region.pk])
    client.force_login(alice)
    client.get(url)
    assert rendered
    rendered.clear()
    client.get(url)
    assert rendered == []
    RegionActionFactory(region=region, title="Actie na het bewaren van de secties")
    assert "Actie na het bewaren van de secties" in client.get(url).text
    assert rendered


def test_the_editors_plan_sections_never_reach_a_reader(client, alice, bob, region):
    """The coordinator's sections carry edit links; the manager reads the same plan."""
    url = reverse("plans:plan", args=[region.pk])
    client.force_login(alice)
    assert "Inleiding schrijven" in client.get(url).text
    client.force_login(bob)
    read = client.get(url)
    assert read.status_code == 200
    assert "Inleiding schrijven" not in read.text
    assert reverse("plans:plan_text", args=[region.pk, "context", "inleiding"]) not in read.text
