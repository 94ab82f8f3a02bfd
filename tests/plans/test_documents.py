"""Exports and frozen versions of the regional plan: made by the task, logged, frozen
versions immutable and byte-identical, shared with school leaders, compared, retried."""

import hashlib
import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plans import documents
from plans.models import (
    DocumentStatus,
    FrozenDocumentError,
    PlanDocument,
    PlanEvent,
    PlanSection,
    PlanText,
)
from plans.tasks import render_plan_document
from tests.factories import school_in
from tests.plans.html_tables import tables_of

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def actions(region):
    return list(
        PlanEvent.objects.filter(region=region).order_by("pk").values_list("action", flat=True)
    )


def write_intro(region, text):
    PlanText.objects.update_or_create(
        region=region, section=PlanSection.CONTEXT, defaults={"intro": text}
    )


def test_export_makes_the_pdf_in_the_background_and_logs_it(client, region, alice):
    response = client_for(client, alice).post(reverse("plans:plan_export", args=[region.pk]))
    document = PlanDocument.objects.get(region=region)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_document", args=[region.pk, document.pk])
    assert document.number is None and document.status == DocumentStatus.READY
    assert document.task_id and document.attempts == 1
    assert document.pdf_sha256 == hashlib.sha256(bytes(document.pdf)).hexdigest()
    assert PdfReader(io.BytesIO(bytes(document.pdf))).pages
    assert actions(region) == ["export"]


def test_export_with_htmx_answers_the_status_that_offers_the_download(client, region, alice):
    response = client_for(client, alice).post(
        reverse("plans:plan_export", args=[region.pk]), HTTP_HX_REQUEST="true"
    )
    document = PlanDocument.objects.get(region=region)
    html = response.content.decode()
    assert reverse("plans:plan_download", args=[region.pk, document.pk]) in html
    assert "every 2s" not in html  # ready: no more polling


def test_a_queued_document_polls_every_two_seconds(client, region, alice):
    document = PlanDocument.objects.create(region=region, snapshot={}, created_by=alice)
    response = client_for(client, alice).get(
        reverse("plans:plan_document", args=[region.pk, document.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 2s"' in response.content.decode()
    # Without JavaScript: the whole page with a refresh link.
    page = client.get(reverse("plans:plan_document", args=[region.pk, document.pk]))
    assert "Vernieuwen" in page.content.decode() and "<html" in page.content.decode()


def test_the_export_is_in_the_users_language(client, settings, region, alice):
    client_for(client, alice).cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("plans:plan_export", args=[region.pk]))
    document = PlanDocument.objects.get(region=region)
    assert document.language == "en"
    assert PdfReader(io.BytesIO(bytes(document.pdf))).trailer["/Root"]["/Lang"] == "en"


def test_freeze_numbers_versions_and_keeps_version_1_byte_identical(client, region, alice):
    c = client_for(client, alice)
    write_intro(region, "Eerste inleiding")
    c.post(reverse("plans:plan_freeze", args=[region.pk]))
    v1 = PlanDocument.objects.get(region=region, number=1)
    first = client.get(reverse("plans:plan_download", args=[region.pk, v1.pk]))
    assert first.status_code == 200
    assert first["Content-Disposition"] == f'attachment; filename="{documents.file_name(v1)}"'
    write_intro(region, "Een heel andere inleiding")
    c.post(reverse("plans:plan_freeze", args=[region.pk]))
    v2 = PlanDocument.objects.get(region=region, number=2)
    assert v2.snapshot != v1.snapshot
    again = client.get(reverse("plans:plan_download", args=[region.pk, v1.pk]))
    assert hashlib.sha256(again.content).hexdigest() == hashlib.sha256(first.content).hexdigest()
    assert actions(region) == ["freeze", "download", "freeze", "download"]


def test_freezing_asks_first_and_the_question_changes_nothing(client, region, alice):
    c = client_for(client, alice)
    url = reverse("plans:plan_freeze", args=[region.pk])
    plan = c.get(reverse("plans:plan", args=[region.pk])).content.decode()
    # The plan page links to the question; it holds no form that freezes in one click.
    assert f'href="{url}"' in plan and f'action="{url}"' not in plan
    question = c.get(url)
    assert question.status_code == 200
    page = question.content.decode()
    assert "Versie 1 van het regioplan van" in page
    assert "wordt vastgesteld en verandert daarna niet meer" in page
    assert f'<form method="post" action="{url}">' in page
    assert not PlanDocument.objects.filter(region=region).exists() and actions(region) == []
    c.post(url)
    assert "Versie 2 van het regioplan van" in c.get(url).content.decode()
    # The documents block: the download says it is a pdf, apart from the versions link.
    plan = c.get(reverse("plans:plan", args=[region.pk])).content.decode()
    assert re.search(r"Download de pdf</a>\s*</li>\s*<li>", plan)


def test_the_file_name_says_region_and_version(region):
    region.name = "Regio Utrecht"
    document = PlanDocument(region=region, number=1, snapshot={})
    assert documents.file_name(document) == "regioplan-regio-utrecht-v1.pdf"


def test_two_freezes_never_share_a_number(region, alice):
    """The second freeze reads the same last number as the first did (as a request at the
    same moment would on a database without row locks); the unique constraint makes it
    try again, and it takes 2."""
    first = documents.freeze(region, alice)
    with mock.patch("plans.documents.last_number", side_effect=[None, 1]):
        second = documents.freeze(region, alice)
    assert (first.number, second.number) == (1, 2)
    assert actions(region) == ["freeze", "freeze"]


def test_a_ready_frozen_version_never_changes(region, alice):
    version = documents.freeze(region, alice)
    version.refresh_from_db()
    version.snapshot = {**version.snapshot, "date": "2030-01-01"}
    with pytest.raises(FrozenDocumentError):
        version.save()
    version.refresh_from_db()
    version.set_pdf(b"%PDF-other")
    with pytest.raises(FrozenDocumentError):
        version.save()
    # Sharing is no change of what it says.
    version.refresh_from_db()
    version.shared_with_schools = True
    version.save()


def test_a_ready_frozen_version_is_never_rendered_again(region, alice):
    version = documents.freeze(region, alice)
    version.refresh_from_db()
    sha, attempts = version.pdf_sha256, version.attempts
    with mock.patch("plans.documents.plan_pdf") as render:
        assert render_plan_document.call(version.pk) == "frozen"
    render.assert_not_called()
    version.refresh_from_db()
    assert (version.pdf_sha256, version.attempts) == (sha, attempts)


def test_a_failed_render_shows_its_message_and_can_be_retried(client, region, alice):
    c = client_for(client, alice)
    with mock.patch("plans.documents.plan_pdf", side_effect=RuntimeError("pango")):
        c.post(reverse("plans:plan_export", args=[region.pk]))
    document = PlanDocument.objects.get(region=region)
    assert document.status == DocumentStatus.FAILED and document.attempts == 3  # retried
    page = c.get(reverse("plans:plan_document", args=[region.pk, document.pk])).content.decode()
    assert "De pdf kon niet worden gemaakt" in page and "Opnieuw proberen" in page
    c.post(reverse("plans:plan_retry", args=[region.pk, document.pk]))
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 4
    assert actions(region) == ["export", "retry"]


def test_a_ready_document_is_not_retried(client, region, alice):
    document = documents.export(region, alice)
    client_for(client, alice).post(reverse("plans:plan_retry", args=[region.pk, document.pk]))
    assert actions(region) == ["export"]


def test_compare_shows_what_changed_and_is_logged(client, region, alice):
    write_intro(region, "Eerste")
    documents.freeze(region, alice)
    write_intro(region, "Tweede")
    documents.freeze(region, alice)
    c = client_for(client, alice)
    response = c.get(reverse("plans:plan_compare", args=[region.pk]) + "?a=1&b=2")
    assert response.status_code == 200
    assert "De inleiding of conclusie is gewijzigd." in response.content.decode()
    assert actions(region)[-1] == "compare"
    bad = c.get(reverse("plans:plan_compare", args=[region.pk]) + "?a=1&b=x")
    assert bad.status_code == 400 and "Kies twee verschillende" in bad.content.decode()


def test_a_comparison_table_names_every_column():
    html = render_to_string(
        "plans/_compare_changes.html",
        {"changes": [{"label": "Leerlingen", "old": "10", "new": "15"}], "caption": "Cijfers"},
    )
    (table,) = tables_of(html)
    assert [text for _css, text in table["head"]] == ["Wat", "Eerst", "Nu"]
    assert len(table["rows"][0]) == len(table["head"])


def test_a_compare_is_logged_once_per_user_pair_and_day(client, region, alice, bob):
    for _version in range(3):
        documents.freeze(region, alice)
    url = reverse("plans:plan_compare", args=[region.pk])
    for _view in range(3):
        assert client_for(client, alice).get(url + "?a=1&b=2").status_code == 200
    client_for(client, alice).get(url + "?a=1&b=3")
    client_for(client, bob).get(url + "?a=1&b=2")
    assert actions(region).count("compare") == 3
    # The next day the same comparison is logged again.
    PlanEvent.objects.filter(action="compare").update(at=timezone.now() - timedelta(days=1))
    client_for(client, alice).get(url + "?a=1&b=2")
    assert actions(region).count("compare") == 4


def test_share_with_school_leaders_only_that_version(client, region, alice, leader, school):
    v1 = documents.freeze(region, alice)
    v2 = documents.freeze(region, alice)
    c = client_for(client, alice)
    c.post(reverse("plans:plan_share", args=[region.pk, v1.pk]), {"delen": "1"})
    v1.refresh_from_db()
    assert v1.shared_with_schools
    client.force_login(leader)
    listed = client.get(reverse("plans:shared_plans")).content.decode()
    assert reverse("plans:plan_download", args=[region.pk, v1.pk]) in listed
    assert "versie 1 (pdf)</a>" in listed
    assert reverse("plans:plan_download", args=[region.pk, v2.pk]) not in listed
    assert client.get(reverse("plans:plan_download", args=[region.pk, v1.pk])).status_code == 200
    for url in (
        reverse("plans:plan_download", args=[region.pk, v2.pk]),
        reverse("plans:plan_document", args=[region.pk, v1.pk]),
        reverse("plans:plan_versions", args=[region.pk]),
        reverse("plans:plan_compare", args=[region.pk]) + "?a=1&b=2",
    ):
        assert client.get(url).status_code == 404, url
    # Unshared: gone for him.
    client.force_login(alice)
    client.post(reverse("plans:plan_share", args=[region.pk, v1.pk]), {"delen": "0"})
    client.force_login(leader)
    assert client.get(reverse("plans:plan_download", args=[region.pk, v1.pk])).status_code == 404
    assert actions(region) == ["freeze", "freeze", "share", "download", "unshare"]


def test_an_export_cannot_be_shared(client, region, alice):
    document = documents.export(region, alice)
    client_for(client, alice).post(
        reverse("plans:plan_share", args=[region.pk, document.pk]), {"delen": "1"}
    )
    document.refresh_from_db()
    assert not document.shared_with_schools


def test_a_leader_of_another_region_sees_no_shared_version(client, region, other_region, alice):
    from tests.factories import leader_of

    v1 = documents.freeze(region, alice)
    documents.share(v1, alice, shared=True)
    client.force_login(leader_of(school_in(other_region)))
    assert client.get(reverse("plans:plan_download", args=[region.pk, v1.pk])).status_code == 404


def test_the_manager_reads_versions_and_downloads_but_writes_nothing(client, region, alice, bob):
    v1 = documents.freeze(region, alice)
    export = documents.export(region, alice)
    c = client_for(client, bob)
    page = c.get(reverse("plans:plan_versions", args=[region.pk])).content.decode()
    assert "Download versie 1" in page and "Logboek" not in page
    assert c.get(reverse("plans:plan_download", args=[region.pk, v1.pk])).status_code == 200
    assert c.get(reverse("plans:plan_download", args=[region.pk, export.pk])).status_code == 404
    assert c.post(reverse("plans:plan_freeze", args=[region.pk])).status_code == 403
    assert c.post(reverse("plans:plan_export", args=[region.pk])).status_code == 403
    share = reverse("plans:plan_share", args=[region.pk, v1.pk])
    assert c.post(share, {"delen": "1"}).status_code == 403


def test_the_coordinator_sees_the_log(client, region, alice):
    documents.freeze(region, alice)
    page = client_for(client, alice).get(reverse("plans:plan_versions", args=[region.pk]))
    assert "Logboek" in page.content.decode() and "versie vastgesteld" in page.content.decode()


def test_the_worker_renders_a_queued_document(run_worker, region, alice):
    document = documents.export(region, alice)
    # The request only queues: the export's plan is gathered by the worker.
    assert document.status == DocumentStatus.QUEUED and document.snapshot == {}
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.pdf_sha256
    assert [s["key"] for s in document.snapshot["sections"]][0] == "context"


# --- found by the attack review ----------------------------------------------------------


def test_a_render_whose_worker_died_can_be_retried(client, region, alice):
    from datetime import timedelta

    from django.utils import timezone

    from plans.snapshot import build_snapshot

    stuck = PlanDocument.objects.create(
        region=region,
        number=1,
        snapshot=build_snapshot(region),
        status=DocumentStatus.RENDERING,
        created_by=alice,
    )
    assert not stuck.may_retry()  # just asked for: still working
    PlanDocument.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )
    stuck.refresh_from_db()
    assert stuck.is_stuck
    c = client_for(client, alice)
    page = c.get(reverse("plans:plan_document", args=[region.pk, stuck.pk]))
    assert "taakwerker is waarschijnlijk gestopt" in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # no endless polling
    c.post(reverse("plans:plan_retry", args=[region.pk, stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == DocumentStatus.READY


def test_asking_again_for_a_queued_export_waits_for_it(settings, region, alice):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = documents.export(region, alice)
    assert documents.export(region, alice) == first
    assert PlanDocument.objects.filter(region=region).count() == 1


def test_an_export_is_neither_shared_nor_unshared(client, region, alice):
    export = documents.export(region, alice)
    for choice in ("1", "0"):
        client_for(client, alice).post(
            reverse("plans:plan_share", args=[region.pk, export.pk]), {"delen": choice}
        )
    assert "unshare" not in actions(region) and "share" not in actions(region)


def test_compare_refuses_an_overlong_number(client, region, alice):
    documents.freeze(region, alice)
    url = reverse("plans:plan_compare", args=[region.pk])
    response = client_for(client, alice).get(url, {"a": "9" * 25, "b": "1"})
    assert response.status_code == 400
