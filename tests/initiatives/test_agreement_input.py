"""Agreement versions from a browser: line breaks, the order of a comparison, and the
dates of consents."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import AgreementConsent, AgreementVersion
from tests.initiatives.agreement_helpers import compare, make_agreement, party, post_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(region, alice, school):
    agreement = make_agreement(
        region, alice, title="Klas TOS", text="Eerste regel.\nTweede regel.", conditions="A\nB"
    )
    party(agreement, school=school)
    return agreement


def test_a_version_typed_in_a_browser_is_stored_with_lf(client, alice, agreement):
    data = {
        "text": "Eerste regel.\r\nTweede regel, gewijzigd.",
        "conditions": "A\r\nB",
        "based_on": "1",
    }
    assert post_version(client, alice, agreement, data).status_code == 302
    version = agreement.versions.get(number=2)
    assert version.text == "Eerste regel.\nTweede regel, gewijzigd."
    assert version.conditions == "A\nB"


def test_unchanged_lines_are_unchanged_in_the_comparison(client, alice, agreement):
    # A version from before the fix (or any caller) with CRLF: the comparison ignores it.
    services.add_version(
        agreement=agreement,
        based_on=1,
        text="Eerste regel.\r\nTweede regel!",
        conditions="A\r\nB",
        user=alice,
    )
    page = compare(client, alice, agreement, "?van=1&naar=2").content.decode()
    assert "(ongewijzigd)" in page  # the conditions
    assert page.count("<del>") == 1 and page.count("<ins>") == 1  # only "regel." -> "regel!"


def test_newer_before_older_is_shown_older_on_the_left(client, alice, agreement):
    services.add_version(
        agreement=agreement, based_on=1, text="Andere tekst.", conditions="", user=alice
    )
    page = compare(client, alice, agreement, "?van=2&naar=1").content.decode()
    assert page.index("Versie 1 (ouder)") < page.index("Versie 2 (nieuwer)")
    assert "De oudere versie staat links" in page


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (30, "De datum van instemming ligt na vandaag."),
        (-400, "de dag waarop deze versie is vastgelegd"),
    ],
)
def test_a_consent_in_the_future_or_before_the_version_is_refused(
    client, alice, agreement, days, message
):
    version = agreement.versions.get()
    client.force_login(alice)
    url = reverse("initiatives:agreement_consent", args=[agreement.pk, version.pk])
    agreed_on = timezone.localdate() + timedelta(days=days)
    data = {"parties": [agreement.parties.get().pk], "agreed_on": agreed_on.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgreementConsent.objects.exists()


def test_a_new_version_agreed_in_the_future_is_refused(client, alice, agreement):
    data = {
        "text": "Nieuw.",
        "based_on": "1",
        "agreed_by": [agreement.parties.get().pk],
        "agreed_on": "2030-01-01",
    }
    response = post_version(client, alice, agreement, data)
    assert response.status_code == 400
    assert "De datum van instemming ligt na vandaag." in response.content.decode()
    assert agreement.versions.count() == 1


def test_the_service_refuses_a_consent_before_the_version(agreement):
    version = agreement.versions.get()
    with pytest.raises(ValidationError):
        services.record_consent(
            version=version, parties=[agreement.parties.get()], agreed_on=date(2020, 1, 1)
        )


def test_demo_consents_are_dated_after_their_version_and_not_later_than_today():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    consents = AgreementConsent.objects.select_related("version")
    assert consents.exists()
    today = timezone.localdate()
    for consent in consents:
        recorded = timezone.localdate(consent.version.recorded_at)
        assert recorded <= consent.agreed_on <= today, consent
    assert AgreementVersion.objects.exists()
