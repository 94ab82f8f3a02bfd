"""Time the regional plan: the page, the export request and the PDF in a task worker.

Run: .venv/bin/python bench/plan.py      (DATABASE_URL=postgres://... for PostgreSQL)

Two regions: the demo region (seed_demo) and a region of the national benchmark size of
issue 11 (800 pupils, 60 schools, 20 initiatives, 300 actions, 40 checklist responses).
Page times are medians of paired requests against a trivial view in the same process, so
the ratio holds across machines. The PDF is rendered by a real `db_worker` process; its
wall time and peak memory (max RSS) are measured from outside.
"""

import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from common import ROOT, paired, throwaway_django, trivial  # noqa: E402 (bench/ is on the path)

throwaway_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from checklists.models import Answer, Assignment, TemplateVersion  # noqa: E402
from initiatives.models import Initiative  # noqa: E402
from learners.models import CvoBesluit, Pupil  # noqa: E402
from plans.models import PlanDocument  # noqa: E402
from regions.models import (  # noqa: E402
    Gemeente,
    Institution,
    Region,
    Role,
    RoleAssignment,
    Samenwerkingsverband,
    School,
)
from toolkit.models import (  # noqa: E402
    CooperationType,
    RegionAction,
    RegionItemProgress,
    ToolkitItem,
    WerkagendaLine,
)

# The app's own URLs plus a trivial view to measure against.
urlpatterns = [path("bench-trivial/", trivial), path("", include("config.urls"))]

SIZE = {"pupils": 800, "schools": 60, "initiatives": 20, "actions": 300, "responses": 40}


def build_large_region():
    """The national benchmark region, built with bulk writes (fictional data)."""
    rng = random.Random(11)
    institution = Institution.objects.first()
    region, _ = Region.objects.get_or_create(institution=institution, name="Benchmarkregio")
    swv, _ = Samenwerkingsverband.objects.get_or_create(
        code="VO 99-01", defaults={"name": "Bench-swv", "sector": "vo"}
    )
    gemeente, _ = Gemeente.objects.get_or_create(code="9901", defaults={"name": "Benchgemeente"})
    region.swvs.add(swv)
    region.gemeenten.add(gemeente)
    School.objects.bulk_create(
        [
            School(
                brin=f"99{chr(65 + i // 26)}{chr(65 + i % 26)}",
                vestigingsnummer="01",
                name=f"Benchschool {i}",
                sector="vo",
                place="Benchdorp",
                swv=swv,
                gemeente=gemeente,
                is_partner=True,
            )
            for i in range(SIZE["schools"])
        ],
        ignore_conflicts=True,
    )
    schools = list(School.objects.filter(name__startswith="Benchschool"))
    groups = ["tos"] * 17 + ["dsh"] * 2 + ["cmb"]
    Pupil.objects.bulk_create(
        [
            Pupil(
                code=f"BP-{i:05d}",
                region=region,
                target_group=groups[i % len(groups)],
                current_school=schools[i % len(schools)],
            )
            for i in range(SIZE["pupils"])
        ],
        ignore_conflicts=True,
    )
    start = date(2025, 8, 1)
    CvoBesluit.objects.bulk_create(
        [
            CvoBesluit(
                pupil_id=pk,
                institution=institution,
                kind="ondersteuning",
                start=start,
                end=start + timedelta(days=700),
                evaluation_date=start + timedelta(days=300 + pk % 200),
            )
            for pk in Pupil.objects.filter(region=region, decisions__isnull=True).values_list(
                "pk", flat=True
            )
        ]
    )
    kind = CooperationType.objects.first()
    Initiative.objects.bulk_create(
        [
            Initiative(
                region=region,
                name=f"Benchinitiatief {i}",
                type=kind,
                pupils_typed=rng.randint(0, 30),
                viability_minimum=12,
            )
            for i in range(SIZE["initiatives"])
        ]
    )
    lines = list(WerkagendaLine.objects.all())
    RegionAction.objects.bulk_create(
        [
            RegionAction(
                region=region,
                line=lines[i % len(lines)],
                title=f"Benchactie {i}",
                goal="Een doel van deze actie.",
                deadline=date(2026, 1, 1) + timedelta(days=i),
                status=rng.choice(["planned", "in_progress", "done"]),
                measurable_result="Meetbaar resultaat.",
            )
            for i in range(SIZE["actions"])
        ]
    )
    RegionItemProgress.objects.bulk_create(
        [
            RegionItemProgress(
                region=region,
                item=item,
                status=rng.choice(["not_started", "in_progress", "done"]),
            )
            for item in ToolkitItem.objects.all()
        ],
        ignore_conflicts=True,
    )
    version = TemplateVersion.objects.order_by("pk").first()
    questions = list(version.questions.values())
    for school in schools[: SIZE["responses"]]:
        assignment = Assignment.objects.create(
            region=region,
            school=school,
            template_version=version,
            due_date=date(2026, 12, 1),
            status=Assignment.Status.SUBMITTED,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    assignment=assignment,
                    question_key=q.key,
                    value=rng.choice([c for c, _ in q.choices]) if q.choices else "Tekst.",
                )
                for q in questions
            ]
        )
    return region


def worker_render(region, user):
    """Ask for an export through the web view (timed), then let a real worker render it."""
    client = Client()
    client.force_login(user)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        start = time.perf_counter()
        response = client.post(f"/regios/{region.pk}/plan/export/")
        request_ms = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), response.status_code
    document = PlanDocument.objects.filter(region=region).latest("pk")
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own manage.py, no user input)
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch"],
        check=True,
        env={**os.environ, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"},
        stdout=subprocess.DEVNULL,
    )
    render_s = time.perf_counter() - start
    # ru_maxrss of the children: the worker is the only child that ran (kB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    document.refresh_from_db()
    return request_ms, render_s, peak_mb, document.status, len(bytes(document.pdf or b""))


@override_settings(ROOT_URLCONF=__name__)
def main(runs=9):
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        demo = Region.objects.filter(pupils__isnull=False).order_by("pk").first()
        large = build_large_region()
        user, _ = get_user_model().objects.get_or_create(username="bench-coordinator")
        for region in (demo, large):
            RoleAssignment.objects.grant_directly(user=user, role=Role.COORDINATOR, region=region)
        print(f"database: {connection.vendor}")
        print(f"{'region':16} {'page ms':>8} {'trivial ms':>10} {'ratio':>6} {'queries':>8}")
        client = Client()
        client.force_login(user)
        for label, region in (("demo", demo), ("benchmark", large)):
            page, base, queries = paired(client, f"/regios/{region.pk}/plan/", runs)
            print(f"{label:16} {page:8.1f} {base:10.2f} {page / base:6.1f} {queries:8d}")
        print(f"{'region':16} {'request ms':>10} {'render s':>8} {'peak MB':>8} {'status':>8}")
        for label, region in (("demo", demo), ("benchmark", large)):
            request_ms, render_s, peak_mb, status, size = worker_render(region, user)
            print(f"{label:16} {request_ms:10.1f} {render_s:8.1f} {peak_mb:8.0f} {status:>8}")


if __name__ == "__main__":
    main()
