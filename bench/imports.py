"""Time the imports: 20,000 pupil rows and 7,000 DUO school rows, preview and confirm.

Run: .venv/bin/python -u bench/imports.py            (DATABASE_URL=postgres://... for PostgreSQL)
     .venv/bin/python -u bench/imports.py --pupils 2000 --duo 700   (a smaller run)

Builds fictional data in a throw-away database: a region with 60 schools, 10 (v)so
locations and 5,000 pupils; a pupil file of 15,000 new pupils and 5,000 updates by code
(school by BRIN, location, level, municipality on every row); a DUO file of 7,000 vo
school locations of 3,500 BRINs in 150 SWVs and 350 municipalities (a national import,
as the functional admin does it). Each step runs through the real task code (the
`preview_import` and `import_rows` tasks, with the inline backend) and prints wall time,
query count and peak memory (RSS sampled every 20 ms during the step).
"""

import argparse
import random
import threading
import time
from datetime import date, timedelta

from common import throwaway_django  # noqa: E402 (bench/ is on the path)

throwaway_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from learners.models import Pupil  # noqa: E402
from learners.resources import PUPIL_IMPORT  # noqa: E402
from regions.models import (  # noqa: E402
    Gemeente,
    Institution,
    Location,
    Region,
    Role,
    RoleAssignment,
    Samenwerkingsverband,
    School,
)
from regions.resources import DUO_IMPORT  # noqa: E402

settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Step:
    """Wall time, queries and peak RSS of one step."""

    def __init__(self, name):
        self.name, self.queries, self.peak = name, 0, 0.0

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __enter__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self._wrapper.__exit__(*exc)
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        print(
            f"{self.name:<28} {self.seconds:8.1f} s {self.queries:9d} queries "
            f"{self.peak:8.0f} MB peak",
            flush=True,
        )


def build_region(existing: int):
    rng = random.Random(12)
    institution = Institution.objects.create(name="Benchinstelling", slug="bench")
    region = Region.objects.create(institution=institution, name="Benchregio import")
    swv = Samenwerkingsverband.objects.create(code="VO 99-01", name="Bench-swv", sector="vo")
    gemeente = Gemeente.objects.create(code="9901", name="Benchgemeente")
    region.swvs.add(swv)
    region.gemeenten.add(gemeente)
    School.objects.bulk_create(
        School(
            brin=f"99{chr(65 + i // 26)}{chr(65 + i % 26)}",
            vestigingsnummer="01",
            name=f"Benchschool {i}",
            sector="vo" if i % 3 else "po",
            place="Benchdorp",
            swv=swv,
            gemeente=gemeente,
        )
        for i in range(60)
    )
    Location.objects.bulk_create(
        Location(institution=institution, region=region, name=f"Benchlocatie {i}", place="X")
        for i in range(10)
    )
    schools = list(School.objects.filter(swv=swv))
    with scopes_disabled():
        Pupil.objects.bulk_create(
            Pupil(
                code=f"BI{i:05d}",
                region=region,
                first_name=f"Bestaand{i}",
                last_name="Benchkind",
                date_of_birth=date(2010, 1, 1) + timedelta(days=rng.randrange(3000)),
                target_group="tos",
                current_school=schools[i % len(schools)],
                level_id=None,
            )
            for i in range(existing)
        )
    user = get_user_model().objects.create_user("bench-coordinator", password=None)
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, region=region)
    return region, user, schools


def pupil_file(total: int, existing: int, schools) -> bytes:
    rng = random.Random(20)
    lines = [
        "code;voornaam;achternaam;geboortedatum;doelgroep;ngt;hoortechnologie;logopedie;"
        "andere behoefte;school;locatie;niveau;leerjaar;woongemeente"
    ]
    updates = min(existing, total // 4)
    for i in range(total):
        code = f"BI{i:05d}" if i < updates else ""
        born = date(2008, 1, 1) + timedelta(days=rng.randrange(4000))
        if i % 10 == 9:
            place = f";Benchlocatie {i % 10};;"  # a (v)so location, no school
        else:
            school = schools[i % len(schools)]
            level = "havo" if school.sector == "vo" else ""
            place = f"{school.brin}{school.vestigingsnummer};;{level};{1 + i % 6}"
        lines.append(
            f"{code};Voornaam{i};Achternaam{i % 977};{born:%d-%m-%Y};"
            f"{rng.choice(['tos', 'dsh', 'cmb'])};nee;{rng.choice(['ja', 'nee'])};ja;"
            f"bench;{place};9901"
        )
    return "\n".join(lines).encode()


def duo_files(total: int) -> tuple[bytes, bytes]:
    swvs = ["SAMENWERKINGSVERBAND;NAAM SAMENWERKINGSVERBAND;PLAATSNAAM"]
    codes = [f"VO {20 + i // 10:02d}-{1 + i % 10:02d}" for i in range(150)]
    swvs += [f"{code};Bench-swv {code};Benchstad" for code in codes]
    head = (
        "INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
        "POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;BEVOEGD GEZAG NUMMER;"
        "ONDERWIJSSTRUCTUUR;SAMENWERKINGSVERBAND"
    )
    lines = [head]
    for i in range(total):
        j = i // 2
        brin = f"{j // 676:02d}{chr(65 + (j // 26) % 26)}{chr(65 + j % 26)}"
        lines.append(
            f"{brin};{brin}{i % 2:02d};Benchcollege {i};Schoolstraat;{1 + i % 200};"
            f"{1000 + i % 8000} AB;Benchstad {i % 350};{1 + i % 350:04d};Gemeente {i % 350};"
            f"{10000 + i % 1000};VMBO-B/VMBO-K/HAVO/VWO;{codes[i % len(codes)]}"
        )
    return "\n".join(swvs).encode(), "\n".join(lines).encode()


def run(pipeline, name, *, kind, raw, filename, region, user):
    """Preview and confirm through the tasks, as the worker runs them."""
    from regions.imports import create_job, enqueue_import, enqueue_preview

    job = create_job(pipeline, kind=kind, raw=raw, filename=filename, region=region, user=user)
    with Step(f"{name}: preview"):
        enqueue_preview(job)
    job.refresh_from_db()
    assert job.status == job.Status.PREVIEW_READY and not job.preview["has_errors"], (
        job.error,
        job.preview.get("row_errors", [])[:5],
    )
    with Step(f"{name}: confirm"):
        enqueue_import(job)
    job.refresh_from_db()
    assert job.status == job.Status.DONE, (job.error, job.outcome.get("row_errors", [])[:5])
    print(f"{'':<28} {job.outcome['message']}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--existing", type=int, default=5_000)
    parser.add_argument("--duo", type=int, default=7_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {args.pupils} pupil rows, {args.duo} DUO rows")
    region, user, schools = build_region(args.existing)
    raw = pupil_file(args.pupils, args.existing, schools)
    run(
        PUPIL_IMPORT,
        "pupils",
        kind="leerlingen",
        raw=raw,
        filename="leerlingen.csv",
        region=region,
        user=user,
    )
    swv_raw, school_raw = duo_files(args.duo)
    admin = get_user_model().objects.create_user("bench-beheerder", password=None, is_staff=True)
    run(DUO_IMPORT, "DUO swv", kind="swv", raw=swv_raw, filename="swv.csv", region=None, user=admin)
    run(
        DUO_IMPORT,
        "DUO schools",
        kind="scholen-vo",
        raw=school_raw,
        filename="vestigingen.csv",
        region=None,
        user=admin,
    )


if __name__ == "__main__":
    main()
