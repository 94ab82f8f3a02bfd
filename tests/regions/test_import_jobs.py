"""Imports as background jobs (regions.ImportJob): the upload in the database, the preview
and the import in a task, the page polling the job; and query counts that do not grow
with the file. Tasks run inline here (ImmediateBackend, tests/conftest.py)."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from learners.models import Pupil
from learners.resources import PUPIL_IMPORT
from regions.imports import create_job, run_confirm, run_preview
from regions.models import Gemeente, ImportJob, Role, School
from regions.resources import DUO_IMPORT
from tests.factories import SchoolFactory, user_with_role

pytestmark = pytest.mark.django_db
PUPILS = Path(__file__).parent.parent / "learners" / "data"
HEAD = "code;voornaam;achternaam;geboortedatum;doelgroep;ngt;hoortechnologie;logopedie;"
HEAD += "andere behoefte;school;niveau;leerjaar;woongemeente\n"


@pytest.fixture
def school(region):
    Gemeente.objects.create(name="Importdorp", code="7701")
    return SchoolFactory(brin="77AA", swv=region.swvs.first(), gemeente=region.gemeenten.first())


@pytest.fixture
def beheerder_user(db):
    return user_with_role(Role.BEHEERDER)


def pupil_file(n: int, *, start: int = 0) -> bytes:
    rows = [
        f";Kind{i};Achternaam{i};01-02-2012;tos;nee;ja;nee;geheime wens {i};77AA00;havo;2;7701"
        for i in range(start, start + n)
    ]
    return (HEAD + "\n".join(rows)).encode()


def upload(client, raw, region, name="f.csv"):
    url = reverse("learners:pupil_import")
    file = SimpleUploadedFile(name, raw)
    return client.post(url, {"kind": "leerlingen", "region": region.pk, "file": file})


def test_job_lifecycle_upload_preview_confirm_done(client, school, region, alice):
    client.force_login(alice)
    response = upload(client, pupil_file(3), region)
    job = ImportJob.objects.get()
    assert job.user == alice and job.region == region and job.status == "preview_ready"
    assert job.preview["totals"]["new"] == 3 and job.rows_total == 3
    assert b"geheime wens" not in bytes(job.upload) or b"andere behoefte" in bytes(job.upload)
    assert "Bevestigen en importeren" in response.text
    assert not Pupil.objects.filter(first_name="Kind0").exists()  # the preview wrote nothing

    response = client.post(reverse("learners:pupil_import"), {"confirm": "1"}, follow=True)
    job.refresh_from_db()
    assert job.status == "done" and job.finished_at and bytes(job.upload) == b""
    assert "Import klaar: 3 nieuw, 0 bijgewerkt." in response.text
    assert Pupil.objects.filter(region=region, first_name__startswith="Kind").count() == 3
    # Confirming again does nothing: the job is done and its rows are gone.
    client.post(reverse("learners:pupil_import"), {"confirm": "1", "job": job.pk})
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 3


def test_bulk_import_keeps_the_audit_trail(client, school, region, alice):
    client.force_login(alice)
    Pupil.objects.create(code="LL-OUD1", region=region, target_group="tos", first_name="Oud")
    raw = (HEAD + "LL-OUD1;Oud;Kind;01-02-2012;cmb;nee;nee;nee;;77AA00;havo;2;7701\n").encode()
    upload(client, raw + pupil_file(2, start=5).split(b"\n", 1)[1], region)
    client.post(reverse("learners:pupil_import"), {"confirm": "1"})
    entries = LogEntry.objects.filter(content_type__model="pupil")
    created = entries.filter(action=LogEntry.Action.CREATE, actor=alice)
    assert created.count() == 2
    changes = created.first().changes
    assert changes["need_other"][1] == "[afgeschermd]"  # free text masked
    assert "first_name" not in changes and "date_of_birth" not in changes  # identity left out
    assert changes["region"][1] == str(region.pk) or changes["region"][1] == str(region)
    [updated] = entries.filter(
        action=LogEntry.Action.UPDATE, object_pk=str(Pupil.objects.get(code="LL-OUD1").pk)
    )
    assert updated.actor == alice and updated.changes["target_group"] == ["tos", "cmb"]
    assert updated.additional_data == {"pupil_region": region.pk}
    assert Pupil.objects.get(code="LL-OUD1").version == 1  # a stale form is refused


def test_a_failing_task_writes_nothing_says_why_and_can_start_again(
    client, school, region, alice, monkeypatch
):
    import regions.imports

    client.force_login(alice)
    upload(client, pupil_file(5), region)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The audit entries come after the pupils are inserted: a failure there must undo them.
    monkeypatch.setattr("learners.resources.bulk_audit", broken)
    response = client.post(reverse("learners:pupil_import"), {"confirm": "1"}, follow=True)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "Het importeren is mislukt; er is niets gewijzigd." in response.text
    assert "disk full" not in response.text
    assert not Pupil.objects.filter(first_name__startswith="Kind").exists()
    assert 'name="retry"' in response.text

    monkeypatch.setattr("learners.resources.bulk_audit", regions.imports.bulk_audit)
    response = client.post(
        reverse("learners:pupil_import"), {"retry": "1", "job": job.pk}, follow=True
    )
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 5


def test_an_unreadable_file_fails_with_its_dutch_message(client, school, region, alice):
    client.force_login(alice)
    # A binary file renamed .csv (a NUL byte in the middle of the rows).
    response = upload(client, pupil_file(2).replace(b";", b"\x00;", 1), region)
    job = ImportJob.objects.get()
    assert job.status == "failed" and "NUL-teken" in job.error
    assert "NUL-teken" in response.text
    assert bytes(job.upload) == b""  # nothing of the file is kept


def test_another_users_job_is_not_found(client, school, region, alice, charlie):
    client.force_login(alice)
    upload(client, pupil_file(2), region)
    job = ImportJob.objects.get()
    other = type(alice).objects.create_user("tweede")
    for user in (charlie, other):
        client.force_login(user)
        assert client.get(reverse("regions:import_job", args=[job.pk])).status_code == 404
    client.force_login(charlie)
    page = reverse("learners:pupil_import")
    assert client.post(page, {"confirm": "1", "job": job.pk}).status_code == 404
    assert client.post(page, {"cancel": "1", "job": job.pk}).status_code == 404
    job.refresh_from_db()
    assert job.status == "preview_ready" and not Pupil.objects.filter(first_name="Kind0").exists()


def test_the_polling_partial(client, school, region, alice):
    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(2), region=region, user=alice)
    client.force_login(alice)
    url = reverse("regions:import_job", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'role="status"' in partial.text
    assert 'hx-trigger="every 2s"' in partial.text and f'hx-get="{url}"' in partial.text
    assert "in de wachtrij" in partial.text and f'href="{url}"' in partial.text  # refresh link
    whole = client.get(url)
    assert "<html" in whole.text and 'hx-trigger="every 2s"' in whole.text

    run_preview(job)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in partial.text  # nothing more to wait for
    assert "Bevestigen en importeren" in partial.text and "Annuleren" in partial.text
    assert "Kind0" not in partial.text  # rows by code, never by name


def _pupil_steps(region, user, n):
    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(n), region=region, user=user)
    return job


@pytest.mark.parametrize("rows", [20, 200])
def test_pupil_import_queries_do_not_grow_with_rows(
    rows, school, region, alice, django_assert_max_num_queries
):
    job = _pupil_steps(region, alice, rows)
    with django_assert_max_num_queries(20):
        preview = run_preview(job)
    assert not preview.has_errors, preview.row_errors
    job.refresh_from_db()
    # One bound for 20 and 200 rows; SQLite splits a bulk INSERT of 200 pupils by its
    # variable limit, which is the only part that grows (per batch, not per row).
    with django_assert_max_num_queries(34):
        run_confirm(job)
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == rows


def duo_file(n: int, swv_code: str) -> bytes:
    head = "INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;PLAATSNAAM;GEMEENTENUMMER;"
    head += "GEMEENTENAAM;BEVOEGD GEZAG NUMMER;ONDERWIJSSTRUCTUUR;SAMENWERKINGSVERBAND\n"
    rows = [
        f"{10 + i // 26:02d}Z{chr(65 + i % 26)};00;College {i};Stad;{1 + i % 7:04d};"
        f"Gemeente {i % 7};{20000 + i % 5};HAVO/VWO;{swv_code}"
        for i in range(n)
    ]
    return (head + "\n".join(rows)).encode()


@pytest.mark.parametrize("rows", [20, 200])
def test_duo_import_queries_do_not_grow_with_rows(
    rows, region, beheerder_user, django_assert_max_num_queries
):
    code = region.swvs.first().code
    job = create_job(
        DUO_IMPORT, kind="scholen-vo", raw=duo_file(rows, code), region=None, user=beheerder_user
    )
    with django_assert_max_num_queries(25):
        preview = run_preview(job)
    assert not preview.has_errors, preview.row_errors
    job.refresh_from_db()
    with django_assert_max_num_queries(40):
        run_confirm(job)
    assert School.objects.filter(name__startswith="College").count() == rows
    school = School.objects.get(name="College 0")
    assert set(school.levels.values_list("code", flat=True)) == {"havo", "vwo"}
    assert (
        LogEntry.objects.filter(object_pk=str(school.pk), content_type__model="school").count() == 2
    )


def test_an_import_marks_the_regions_cached_pages_out_of_date(client, school, region, alice):
    """The rows go in bulk, past the signals that drop cached figures and plans."""
    from regions.data_version import versions_key

    client.force_login(alice)
    upload(client, pupil_file(3), region)
    before = versions_key([region.pk])
    client.post(reverse("learners:pupil_import"), {"confirm": "1"})
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 3
    assert versions_key([region.pk]) != before


def test_a_job_cancelled_while_its_preview_runs_stays_cancelled(
    client, school, region, alice, monkeypatch
):
    """The uploader cancels while the worker is still checking the rows: the preview that
    finishes afterwards keeps nothing, and the job cannot be confirmed."""
    from regions.imports import cancel_job

    real_dry_run = type(PUPIL_IMPORT).dry_run

    def cancelled_meanwhile(self, **kwargs):
        outcome = real_dry_run(self, **kwargs)
        cancel_job(ImportJob.objects.get())  # what the cancel button does, mid-preview
        return outcome

    monkeypatch.setattr(type(PUPIL_IMPORT), "dry_run", cancelled_meanwhile)
    client.force_login(alice)
    upload(client, pupil_file(3), region)
    job = ImportJob.objects.get()
    assert job.status == "cancelled" and bytes(job.upload) == b""
    client.post(reverse("learners:pupil_import"), {"confirm": "1", "job": job.pk})
    assert not Pupil.objects.filter(first_name__startswith="Kind").exists()
    assert ImportJob.objects.get().status == "cancelled"


def _worker_died(job, status, minutes):
    """The job's worker stopped `minutes` ago while the job was at `status`."""
    from datetime import timedelta

    from django.utils import timezone

    ImportJob.objects.filter(pk=job.pk).update(
        status=status, updated_at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.parametrize("status", ["queued", "previewing"])
def test_a_preview_whose_worker_died_stops_polling_and_can_start_again(
    client, school, region, alice, status
):
    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(2), region=region, user=alice)
    client.force_login(alice)
    url = reverse("regions:import_job", args=[job.pk])

    _worker_died(job, status, minutes=5)  # slow, not stuck: keep asking
    assert 'hx-trigger="every 2s"' in client.get(url, headers={"HX-Request": "true"}).text

    _worker_died(job, status, minutes=16)
    partial = client.get(url, headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in partial and "<progress" not in partial
    assert "De verwerking is gestopt" in partial and 'name="retry"' in partial

    client.post(reverse("learners:pupil_import"), {"retry": "1", "job": job.pk})
    job.refresh_from_db()
    assert job.status == "preview_ready", job.error
    assert "Bevestigen en importeren" in client.get(url).text


def test_an_import_whose_worker_died_can_start_again_and_writes_once(client, school, region, alice):
    client.force_login(alice)
    upload(client, pupil_file(3), region)
    job = ImportJob.objects.get()
    _worker_died(job, "importing", minutes=16)  # the transaction died with it: nothing in
    page = client.get(reverse("learners:pupil_import")).text
    assert "De verwerking is gestopt" in page and "every 2s" not in page

    client.post(reverse("learners:pupil_import"), {"retry": "1", "job": job.pk})
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 3


def test_a_running_job_cannot_be_started_twice(client, school, region, alice):
    client.force_login(alice)
    upload(client, pupil_file(3), region)
    job = ImportJob.objects.get()
    _worker_died(job, "importing", minutes=1)  # its worker is still at it
    client.post(reverse("learners:pupil_import"), {"retry": "1", "job": job.pk})
    job.refresh_from_db()
    assert job.status == "importing"
    assert not Pupil.objects.filter(first_name__startswith="Kind").exists()


def test_the_errors_of_one_duo_row_are_a_list_in_the_preview(client, beheerder_user, region):
    """Two messages of one row do not run together into one sentence."""
    client.force_login(beheerder_user)
    # No name and a place longer than the field: two messages for one row.
    swv = region.swvs.first().code
    row = f"12AB;00;;{'Stad' * 60};0363;Gemeente;20001;HAVO/VWO;{swv}"
    head = duo_file(0, swv).split(b"\n")[0] + b"\n"
    file = SimpleUploadedFile("duo.csv", head + row.encode())
    client.post(reverse("regions:duo_import"), {"kind": "scholen-vo", "file": file})
    job = ImportJob.objects.get()
    errors = dict(job.preview["row_errors"]) if job.preview.get("row_errors") else {}
    page = client.get(reverse("regions:import_job", args=[job.pk])).text
    assert 'class="row-errors"' in page
    cell = page.split('class="row-errors"')[1].split("</ul>")[0]
    assert len(next(iter(errors.values()))) > 1, errors
    for message in next(iter(errors.values())):
        assert f"<li>{escape(message)}</li>" in cell


def test_two_retries_of_a_stuck_import_start_it_once(school, region, alice, settings):
    """Two requests (a double click, two tabs) hold the stuck job as it was: only the
    first starts it again; the second finds a newer step and does nothing."""
    from regions.imports import retry_job

    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(3), region=region, user=alice)
    run_preview(job)
    _worker_died(job, "importing", minutes=16)
    first, second = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)
    # A worker that has not picked the task up yet: both requests come before it runs.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert retry_job(first) is True
    assert retry_job(second) is False
    from django_tasks import default_task_backend

    assert len(default_task_backend.results) == 1


def test_a_second_task_for_an_imported_job_writes_nothing(school, region, alice):
    """A task that comes to a job another task imported (it waited for the job's lock)
    leaves the rows and their audit trail as they are."""
    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(3), region=region, user=alice)
    run_preview(job)
    job.refresh_from_db()
    ImportJob.objects.filter(pk=job.pk).update(status="importing")
    late = ImportJob.objects.get(pk=job.pk)  # loaded before the first task finished
    run_confirm(ImportJob.objects.get(pk=job.pk))
    entries = LogEntry.objects.count()

    assert run_confirm(late) is None
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 3
    assert LogEntry.objects.count() == entries


def test_the_preview_does_not_show_a_code_the_import_will_not_give(school, region, alice):
    """A new pupil's code is drawn when the rows are written; the preview's own draw would
    name a pupil that never exists (and a decision file made with it would fail)."""
    job = create_job(PUPIL_IMPORT, kind="leerlingen", raw=pupil_file(2), region=region, user=alice)
    preview = run_preview(job)
    objects = [row["object"] for row in preview.rows]
    assert objects == ["nieuwe leerling (de code volgt bij het importeren)"] * 2
    job.refresh_from_db()
    run_confirm(job)
    assert Pupil.objects.filter(first_name__startswith="Kind").count() == 2
