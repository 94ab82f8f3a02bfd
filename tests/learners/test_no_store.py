"""Every learners page, fragment and export tells the browser not to keep it."""

import re

import pytest
from django.urls import URLResolver, reverse

from learners import urls
from tests.learners.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def learners_paths(patterns=urls.urlpatterns, prefix=""):
    """(full route, name) of every learners path, through its include()s."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from learners_paths(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def every_learners_url(region, pupil, case):
    values = {
        "region_pk": region.pk,
        "code": pupil.code,
        "pk": case.pk,
        "kind": "plaatsing",
        "step": "tlv",
    }
    for route, name in learners_paths():
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        yield name, reverse(f"learners:{name}", kwargs={n: values[n] for n in names})


def assert_no_store(response, name):
    assert "no-store" in response.get("Cache-Control", ""), (name, response.status_code)


def test_every_learners_url_answers_no_store(client, alice, region, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    seen = set()
    for name, url in every_learners_url(region, pupil, case):
        seen.add(name)
        assert_no_store(client.get(url), name)
        assert_no_store(client.get(url, headers={"HX-Request": "true"}), name)
    assert seen == {name for _, name in learners_paths()}


def test_an_export_is_not_kept(client, alice, region, pupil):
    client.force_login(alice)
    response = client.post(
        reverse("learners:pupil_export", args=[region.pk]), {"format": "csv", "with_names": "on"}
    )
    assert response.status_code == 200
    assert_no_store(response, "pupil_export")


def test_refused_and_anonymous_answers_are_not_kept_either(client, charlie, pupil):
    url = reverse("learners:pupil_detail", args=[pupil.code])
    assert_no_store(client.get(url), "anonymous")
    client.force_login(charlie)
    response = client.get(url)
    assert response.status_code == 404
    assert_no_store(response, "outsider")
