"""Inzageverzoek (AVG art. 15): the coordinator downloads everything about one pupil as a
PDF (every field, every record, the masked change history, the access log), logged."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from learners.models import AccessLog
from tests.factories import UserFactory
from tests.learners.factories import pupil_with_every_record

pytestmark = pytest.mark.django_db

# One text of every record type, as pupil_with_every_record writes it.
RECORD_TEXTS = (
    "Diagnose-{m}",
    "Notitie-{m}",
    "Besluit-{m}",
    "Arrangement-{m}",
    "Plaatsing-{m}",
    "Mentor-{m}",
    "Resultaat-{m}",
    "Wens-{m}",
    "Vraag-{m}",
)


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    # Line breaks inside a table cell split words; compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def url(pupil):
    return reverse("learners:pupil_access_request", args=[pupil.code])


def test_pdf_holds_every_record_and_the_access_log_of_this_pupil_only(client, region, alice):
    begeleider = UserFactory(first_name="Bea", last_name="Kijker")
    pupil = pupil_with_every_record(region, begeleider, marker="mine")
    other = pupil_with_every_record(region, begeleider, marker="theirs")
    client.force_login(alice)

    text = pdf_text(client.post(url(pupil)))

    for template in RECORD_TEXTS:
        assert template.format(m="mine") in text
        assert template.format(m="theirs") not in text
    for value in (pupil.code, pupil.first_name, pupil.last_name, "14-03-2012"):
        assert value in text
    assert other.code not in text
    assert "BeaKijker" in text  # the look in the access log, and the arrangement's begeleider
    assert "Geschiedenis" in text and "aangemaakt" in text
    assert "inzageverzoek" in text  # this request itself is in the access log


def test_history_is_masked_as_stored(client, region, alice):
    pupil = pupil_with_every_record(region, alice, marker="oud")
    pupil.diagnosis = "Diagnose-nieuw"
    pupil.year_group = 3
    pupil.save()
    client.force_login(alice)

    text = pdf_text(client.post(url(pupil)))

    assert "Diagnose-nieuw" in text  # the value today
    assert "Diagnose-oud" not in text  # the old text: the trail keeps only the marker
    assert "gewijzigd:leerjaar–→3" in text
    assert "diagnoseenonderzoeksgegevens…→…" in text  # changed, text not kept


def test_the_request_is_logged(client, region, alice):
    pupil = pupil_with_every_record(region, alice)
    client.force_login(alice)

    client.post(url(pupil))

    entry = AccessLog.objects.filter(pupil=pupil, action=AccessLog.Action.ACCESS_REQUEST).get()
    assert entry.user == alice
    assert entry.region == region
    log_page = client.get(reverse("learners:access_log", args=[region.pk]))
    assert "inzageverzoek" in log_page.content.decode()


def test_a_get_produces_nothing_and_logs_nothing(client, region, alice):
    """Producing it is logged: a followed link (a prefetch, a crawler) must not do it."""
    pupil = pupil_with_every_record(region, alice)
    client.force_login(alice)

    response = client.get(url(pupil))

    assert response.status_code == 405
    assert response.get("Content-Type", "") != "application/pdf"
    assert not AccessLog.objects.filter(action=AccessLog.Action.ACCESS_REQUEST).exists()


def test_the_button_posts_with_a_csrf_token(client, region, alice):
    pupil = pupil_with_every_record(region, alice)
    client.force_login(alice)
    page = client.get(pupil.get_absolute_url()).content.decode()
    form = page.split(f'action="{url(pupil)}"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    after = page.split(f'action="{url(pupil)}"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in after and 'type="submit"' in after
    assert f'href="{url(pupil)}"' not in page  # no plain link that a GET would follow


def test_pupil_page_offers_it_to_the_coordinator_only(client, region, alice):
    from tests.learners.factories import assign, begeleider_of

    pupil = pupil_with_every_record(region, alice)
    client.force_login(alice)
    assert url(pupil) in client.get(pupil.get_absolute_url()).content.decode()
    begeleider = begeleider_of(region)
    assign(pupil, begeleider)
    client.force_login(begeleider)
    assert url(pupil) not in client.get(pupil.get_absolute_url()).content.decode()


def queries_for(client, pupil):
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url(pupil)).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_records(client, region, alice):
    small = pupil_with_every_record(region, alice, marker="a")
    large = pupil_with_every_record(region, alice, marker="b")
    for n in range(4):  # four more of every record type, each changed once
        extra = pupil_with_every_record(region, alice, marker=f"c{n}")
        for rel in (
            "decisions",
            "arrangements",
            "placements",
            "duty_periods",
            "handovers",
            "checkins",
            "conversations",
            "consultations",
        ):
            for record in getattr(extra, rel).all():
                record.pupil = large
                record.save()
        extra.delete()
    client.force_login(alice)
    queries_for(client, small)  # warm caches (content types, session)

    assert queries_for(client, large) == queries_for(client, small)
