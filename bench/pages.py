"""Time the main pages on a national-scale dataset. Run: .venv/bin/python bench/pages.py"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from regions.models import Region, Role, RoleAssignment  # noqa: E402


def main(runs=7):
    call_command("migrate", verbosity=0)
    call_command("generate_scale_data")
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-coordinator")
    region = Region.objects.filter(name="Schaalregio 0").get()
    RoleAssignment.objects.grant_directly(user=user, role=Role.COORDINATOR, region=region)
    admin, _ = get_user_model().objects.get_or_create(username="bench-beheerder")
    RoleAssignment.objects.grant_directly(user=admin, role=Role.BEHEERDER)
    pages = [
        ("coordinator", user, "/"),
        ("coordinator", user, "/scholen/"),
        ("coordinator", user, "/scholen/?q=Plaats+1"),
        ("coordinator", user, f"/regios/{region.pk}/"),
        ("coordinator", user, f"/regios/{region.pk}/dashboard/"),
        ("coordinator", user, f"/regios/{region.pk}/toolkit/"),
        ("coordinator", user, f"/regios/{region.pk}/werkagenda/"),
        ("coordinator", user, "/leerlingen/"),
        ("coordinator", user, "/leerlingen/deadlines/"),
        ("coordinator", user, f"/leerlingen/cijfers/?regio={region.pk}"),
        ("beheerder", admin, "/scholen/"),
        ("beheerder", admin, "/samenwerkingsverbanden/"),
    ]
    print(f"{'user':12} {'page':40} {'median ms':>10} {'queries':>8}")
    for label, who, url in pages:
        client = Client()
        client.force_login(who)
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:12} {url:40} {statistics.median(timings):10.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
