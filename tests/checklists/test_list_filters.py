"""The filters of the checklist list (?status=) and of the roll-up (?regio=, ?swv=) go
through the shared filter form (templates/_filter_form.html)."""

import pytest
from django.urls import reverse

from checklists.models import Assignment
from tests.checklists import rollup_data
from tests.checklists.factories import EXAMPLE_SLUG, assignment_for
from tests.factories import RegionFactory, school_in

LIST = reverse("checklists:assignment_list")


@pytest.mark.django_db
def test_the_list_filters_by_status_and_htmx_gets_only_the_results(client, alice, region):
    open_one = assignment_for(school_in(region), region)
    submitted = assignment_for(school_in(region), region, status=Assignment.Status.SUBMITTED)
    client.force_login(alice)
    page = client.get(LIST, {"status": "ingediend"}).content.decode()
    assert f"/checklists/{submitted.pk}/" in page and f"/checklists/{open_one.pk}/" not in page
    assert 'role="search"' in page and "Filters wissen" in page
    # An unknown status filters nothing, as before.
    page = client.get(LIST, {"status": "x"}).content.decode()
    assert f"/checklists/{submitted.pk}/" in page and f"/checklists/{open_one.pk}/" in page
    fragment = client.get(LIST, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="results"')


@pytest.mark.django_db
def test_the_roll_up_offers_the_chosen_regions_swvs(client, bob, region):
    rollup_data.build(region)
    other = RegionFactory(institution=region.institution)
    client.force_login(bob)  # manager of the institution: both regions
    url = reverse("checklists:rollup", args=[EXAMPLE_SLUG])
    page = client.get(url).content.decode()
    assert 'name="regio"' in page and f'value="{other.pk}"' in page
    page = client.get(url, {"regio": region.pk}).content.decode()
    assert f'<option value="{region.pk}" selected>' in page
    swv_choices = page.split('name="swv"')[1].split("</select>")[0]
    assert all(f'value="{s.pk}"' in swv_choices for s in region.swvs.all())
    assert not any(f'value="{s.pk}"' in swv_choices for s in other.swvs.all())
    assert "Filters wissen" in page
