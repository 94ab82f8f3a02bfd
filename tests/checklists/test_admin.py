import json

import pytest
from django.urls import reverse

from checklists.models import ChecklistTemplate
from regions.accounts import make_beheerder
from tests.checklists.factories import example_version
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_beheerder(UserFactory()))
    return client


@pytest.mark.django_db
def test_malformed_content_gets_a_dutch_error_and_changes_nothing(admin_client):
    template = example_version().template
    url = reverse("admin:checklists_checklisttemplate_change", args=[template.pk])
    response = admin_client.post(url, {"content": '{"slug": "voorbeeld-checklist",'})
    assert response.status_code == 200
    assert "Dit is geen geldige JSON (regel 1" in response.content.decode()
    bad = {
        **template.content,
        "sections": [
            {"key": "a", "title": "A", "questions": [{"key": "q", "text": "Q", "type": "keuze"}]}
        ],
    }
    response = admin_client.post(url, {"content": json.dumps(bad)})
    assert (
        "de inhoud: vraag &#x27;q&#x27;: type &#x27;keuze&#x27; is onbekend"
        in response.content.decode()
    )
    template.refresh_from_db()
    assert template.content == template.latest_version().content


@pytest.mark.django_db
def test_edit_then_publish_makes_a_new_version(admin_client):
    template = example_version().template
    content = {**template.content, "title": "Nieuwe titel"}
    url = reverse("admin:checklists_checklisttemplate_change", args=[template.pk])
    response = admin_client.post(
        url,
        {"content": json.dumps(content), "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.title == "Nieuwe titel"
    assert template.latest_version().number == 1  # saved as a draft only
    changelist = reverse("admin:checklists_checklisttemplate_changelist")
    admin_client.post(changelist, {"action": "publish", "_selected_action": [template.pk]})
    latest = ChecklistTemplate.objects.get(pk=template.pk).latest_version()
    assert latest.number == 2 and latest.title == "Nieuwe titel"
    assert latest.published_by is not None
