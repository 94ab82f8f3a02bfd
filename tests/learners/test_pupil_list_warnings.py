"""The pupil list's duty-of-care warnings go over every pupil in scope: kept per user and
day until the data of the user's regions changes; the pupils shown are logged each time."""

from datetime import date

import pytest
from django.urls import reverse

from learners.models import AccessLog, DutyOfCare
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_duty_of_care_warnings_are_kept_until_the_data_changes(client, alice, region, monkeypatch):
    from learners import selectors

    pupils = [PupilFactory(region=region) for _ in range(22)]  # nobody holds the duty
    checked = []
    real = selectors.unclear_duty_of_care
    monkeypatch.setattr(
        selectors, "unclear_duty_of_care", lambda *a, **kw: checked.append(1) or real(*a, **kw)
    )
    client.force_login(alice)
    url = reverse("learners:pupil_list")
    first = client.get(url).content.decode()
    assert "Zorgplicht onduidelijk" in first and "En meer: 22 leerlingen" in first
    logged = AccessLog.objects.count()
    again = client.get(url).content.decode()
    assert checked == [1] and "En meer: 22 leerlingen" in again
    assert AccessLog.objects.count() == 2 * logged  # the cached warnings are a look too
    DutyOfCare.objects.create(
        pupil=pupils[0],
        holder_kind="instelling",
        institution=region.institution,
        start=date(2020, 8, 1),
    )
    changed = client.get(url).content.decode()
    assert checked == [1, 1] and "En meer: 21 leerlingen" in changed


def test_the_school_filter_builds_only_what_an_option_shows(client, alice, region, school):
    """A few hundred partner schools, each built with its SWV, municipality and board, were
    a third of the large region's pupil list."""
    school.is_partner = True
    school.save()
    client.force_login(alice)
    schools = client.get(reverse("learners:pupil_list")).context["form"].fields["school"].queryset
    assert schools.query.select_related is False
    assert set(schools.query.deferred_loading[0]) == {"id", "name", "place"}
    assert [str(s) for s in schools] == [str(school)]
