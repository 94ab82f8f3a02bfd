"""Agreements are regional work, not partner data: the functional admin reads none (404
on the pages, see tests/test_url_access.py), also not in a region's "Vraagt aandacht"."""

import pytest
from django.urls import reverse

from initiatives import selectors
from initiatives.models import Agreement
from regions.models import Role
from tests.factories import user_with_role
from tests.initiatives.agreement_helpers import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(region, alice):
    return make_agreement(region, alice, title="Betwist vervoer", status=Agreement.Status.DISPUTED)


def test_the_admin_reads_no_agreement(disputed, alice):
    admin = user_with_role(Role.BEHEERDER)
    assert not selectors.agreements_for(admin).exists()
    assert list(selectors.agreements_for(alice)) == [disputed]


def test_the_admins_attention_fragment_has_no_agreements(client, region, alice, disputed):
    url = reverse("initiatives:region_attention", args=[region.pk])
    client.force_login(alice)
    assert "Betwist vervoer" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    client.force_login(user_with_role(Role.BEHEERDER))
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Betwist vervoer" not in response.content.decode()
