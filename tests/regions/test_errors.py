import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_htmx_request_after_session_expiry_reloads_login_page(client, school):
    url = reverse("regions:school_suitability", args=[school.pk])
    response = client.post(
        url,
        {},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/scholen/{school.pk}/",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/inloggen/?next=/scholen/{school.pk}/"


def test_get_on_post_only_url_explains_itself(client, alice, school):
    client.force_login(alice)
    response = client.get(reverse("regions:contact_add", args=[school.pk]))
    assert response.status_code == 405
    assert "via een formulier" in response.content.decode()


def test_server_error_page_is_dutch_and_standalone(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Er ging iets mis" in html and 'lang="nl"' in html


def test_forbidden_page_does_not_claim_read_access(alice, region):
    from tests.factories import manager_of

    reader = Client()
    reader.force_login(manager_of(region.institution))
    response = reader.post(reverse("regions:region_edit", args=[region.pk]))
    assert response.status_code == 403
    assert "geen toestemming" in response.content.decode()
