"""Time the main pages on the national dataset against a trivial view in the same process.

Run: .venv/bin/python -u bench/pages.py      (DATABASE_URL=postgres://... for PostgreSQL)

Builds the national dataset (`generate_scale_data`: 31 regions, 7,000 schools, 20,000
pupils plus one large region of 5,000, toolkit progress, actions, initiatives,
checklists, audit and access-log entries) in a throw-away database, then for every main
page and for two regions (a normal one and the large one) requests the page and a trivial
view in turns (RUNS pairs) and reports the median of each, their ratio and the queries of
the page. Ratios taken side by side hold on a busy or shared machine; milliseconds do not.
Set BENCH_RUNS to change the number of pairs, BENCH_SMALL=1 for a quick smoke run.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import paired, throwaway_django, trivial  # noqa: E402 (bench/ is on the path)

throwaway_django()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from checklists.models import TemplateVersion  # noqa: E402
from learners.models import Pupil  # noqa: E402
from regions.models import Region, Role, RoleAssignment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
SMALL = os.environ.get("BENCH_SMALL") == "1"
# --pages werkagenda,"pupil list": only those pages (names as in the table, by prefix).
# With SQLITE_PATH pointing at a database that already holds the dataset, it is reused.
ONLY = []
if "--pages" in sys.argv:
    ONLY = [name.strip() for name in sys.argv[sys.argv.index("--pages") + 1].split(",")]


class PupilAdmin(admin.ModelAdmin):
    """The reference: Django admin's changelist of the same pupils. The app registers no
    pupil model in its own admin (learners/admin.py), so this site exists only here."""

    list_display = ["code", "target_group", "current_school", "is_active"]
    list_select_related = ["current_school"]
    list_filter = ["region"]


reference_site = admin.AdminSite(name="bench_admin")
reference_site.register(Pupil, PupilAdmin)

urlpatterns = [
    path("bench-trivial/", trivial),
    path("bench-admin/", reference_site.urls),
    path("", include("config.urls")),
]


def user_with(name, role, **scope):
    user, _ = get_user_model().objects.get_or_create(username=name)
    RoleAssignment.objects.grant_directly(user=user, role=role, **scope)
    return user


def pages(region, coordinator, manager, superuser):
    r = region.pk
    slug = TemplateVersion.objects.order_by("pk").first().template.slug
    return [
        ("home (coordinator)", coordinator, "/"),
        ("home (manager)", manager, "/"),
        ("region page", coordinator, f"/regios/{r}/"),
        ("partner schools", coordinator, "/scholen/"),
        ("toolkit", coordinator, f"/regios/{r}/toolkit/"),
        ("werkagenda", coordinator, f"/regios/{r}/werkagenda/"),
        ("pupil list", coordinator, "/leerlingen/"),
        ("deadlines", coordinator, "/leerlingen/deadlines/"),
        ("figures (manager)", manager, "/leerlingen/cijfers/"),
        ("plan page", coordinator, f"/regios/{r}/plan/"),
        ("initiatives", coordinator, "/initiatieven/"),
        ("checklists", coordinator, "/checklists/"),
        ("checklist roll-up", coordinator, f"/checklists/overzicht/{slug}/"),
        ("institution overview", manager, "/instelling/"),
        ("admin pupil changelist", superuser, f"/bench-admin/learners/pupil/?region={r}"),
    ]


@override_settings(ROOT_URLCONF=__name__)
def main():
    # The bench users sign in without a second factor (force_login): the pages are
    # measured, not the two-factor step (as tests/conftest.py does outside its own tests).
    from regions import two_factor

    two_factor.two_factor_step = lambda user: None
    call_command("migrate", verbosity=0)
    options = (
        {"regions": 4, "schools": 400, "pupils": 800, "large_pupils": 400, "audit": 2000}
        if SMALL
        else {}
    )
    with scopes_disabled():
        built = Region.objects.filter(name="Schaalregio groot").exists()
    if built:
        print("dataset reused")
    else:
        start = time.perf_counter()
        call_command("generate_scale_data", **options)
        print(f"dataset built in {time.perf_counter() - start:.0f} s")
    with scopes_disabled():
        normal = Region.objects.get(name="Schaalregio 1")
        large = Region.objects.get(name="Schaalregio groot")
        superuser, _ = get_user_model().objects.get_or_create(
            username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
        )
        sets = []
        for label, region in (("normal", normal), ("large", large)):
            coordinator = user_with(
                f"bench-coordinator-{region.pk}", Role.COORDINATOR, region=region
            )
            manager = user_with(
                f"bench-manager-{region.pk}", Role.MANAGER, institution=region.institution
            )
            n = Pupil.objects.filter(region=region).count()
            sets.append((label, region, n, pages(region, coordinator, manager, superuser)))
    print(f"database: {connection.vendor}, {RUNS} pairs per page")
    print(f"{'region':7} {'page':24} {'page ms':>8} {'trivial ms':>10} {'ratio':>6} {'queries':>8}")
    for label, region, n, rows in sets:
        print(f"# {region.name}: {n} pupils")
        for name, who, url in rows:
            if ONLY and not any(name.startswith(wanted) for wanted in ONLY):
                continue
            client = Client()
            client.force_login(who)
            client.get(url)  # warm-up: caches and first-request work are not measured
            page, base, queries = paired(client, url, RUNS)
            print(
                f"{label:7} {name:24} {page:8.1f} {base:10.2f} {page / base:6.1f} {queries:8d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
