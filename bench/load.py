"""Throughput: coordinators on a mixed page set against a trivial view (issue 12).

Start the server (bench/README.md: gunicorn bench.server:application, 2 workers), make
the benchmark users once (`bench/writes.py setup` on the demo data, or on the national
dataset of bench/pages.py `bench/load.py setup --region "Schaalregio 1"`; same database
environment as the server), then:

    .venv/bin/python bench/load.py --host http://127.0.0.1:PORT [--users 20 50 --seconds 60]

For each number of connections it runs locust headless twice, bounded by --seconds:
every virtual user (a benchmark coordinator, signed in through the login form) asks
only for the trivial view, then only for the mixed pages (home, region page, toolkit,
werkagenda, pupil list, deadlines, plan page), each with no wait between requests. It
reports errors, the median and 95th percentile, and the mixed-page rate as a fraction
of the trivial view's rate. The figures start once every user has signed in (locust's
statistics are reset then); the run lasts --seconds plus 2 s per user for signing in.

The same file is the locust file (`locust -f bench/load.py`; BENCH_PAGES=trivial|mixed).
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = {
    "home": "/",
    "region": "/regios/{region}/",
    "toolkit": "/regios/{region}/toolkit/",
    "werkagenda": "/regios/{region}/werkagenda/",
    "pupils": "/leerlingen/",
    "deadlines": "/leerlingen/deadlines/",
    "plan": "/regios/{region}/plan/",
}
PLAN = Path(tempfile.gettempdir()) / "route2035-bench-writes.json"  # made by writes.py setup
LOGIN_URL = "/inloggen/"
VERIFY_URL = "/account/tweestapsverificatie/controleren/"


if "locust" in sys.modules or os.environ.get("BENCH_PAGES"):
    import itertools

    from locust import HttpUser, task

    sys.path.insert(0, str(HERE))
    from common import login

    _plan = json.loads(PLAN.read_text())
    _names = itertools.cycle(_plan["coordinators"])
    _urls = [url.format(region=_plan["region"]) for url in PAGES.values()]

    from gevent.event import Event

    _everyone_in = Event()
    _signed_in = [0]

    class Coordinator(HttpUser):
        def on_start(self):
            """Sign in, then wait for the others: the figures start when everyone is in
            (signing in hashes a password, which would swamp the first seconds)."""
            self.client.cookies.clear()
            self.pages = itertools.cycle(_urls)
            try:
                if not login(self.client, "", next(_names)):
                    raise RuntimeError("login failed")  # counted by locust as an error
            finally:
                _signed_in[0] += 1
                if _signed_in[0] >= self.environment.parsed_options.num_users:
                    self.environment.runner.stats.reset_all()
                    _everyone_in.set()
            _everyone_in.wait(timeout=300)

        @task
        def ask(self):
            trivial = os.environ.get("BENCH_PAGES") == "trivial"
            url = "/bench-trivial/" if trivial else next(self.pages)
            name = "trivial" if trivial else url
            with self.client.get(
                url, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:  # a redirect to the login page is an error
                    response.failure(f"status {response.status_code}")


def one_run(host, users, seconds, pages, out):
    """One bounded headless locust run; the aggregated figures without the logins."""
    prefix = out / f"{pages}-{users}"
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "-u",
        str(users),
        "-r",
        "10",
        "-t",
        f"{seconds + 2 * users}s",  # about the time everyone needs to sign in, then `seconds`
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
    ]
    subprocess.run(  # noqa: S603 - our own fixed command line
        command,
        env={**os.environ, "BENCH_PAGES": pages},
        timeout=seconds + 2 * users + 120,
        check=False,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv") as f:
        # Signing in (password and code) happened before the statistics were reset.
        rows = [
            r
            for r in csv.DictReader(f)
            if r["Name"] not in ("Aggregated", LOGIN_URL, VERIFY_URL) and int(r["Request Count"])
        ]
    requests = sum(int(r["Request Count"]) for r in rows)
    failures = sum(int(r["Failure Count"]) for r in rows)
    # Percentiles over all pages: weighted by the number of requests of each page.
    p95 = max(float(r["95%"]) for r in rows) if rows else 0
    median = (
        sum(float(r["50%"]) * int(r["Request Count"]) for r in rows) / requests if requests else 0
    )
    with open(f"{prefix}_stats.csv") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return {
        "requests": requests,
        "failures": failures,
        "rate": sum(float(r["Requests/s"]) for r in rows),
        "median_ms": median,
        "p95_ms": p95,
        "p95_all_ms": float(total["95%"]),
        "per_page": {r["Name"]: (int(r["Request Count"]), float(r["95%"])) for r in rows},
    }


def setup(region_name, count):
    """Benchmark coordinators of the region whose name starts with region_name."""
    from common import benchmark_users, django_setup

    django_setup()
    from regions.models import Region, Role

    region = Region.objects.filter(name__startswith=region_name).order_by("name").first()
    coordinators = benchmark_users(Role.COORDINATOR, count, "bench-coord", region=region)
    PLAN.write_text(json.dumps({"region": region.pk, "coordinators": coordinators}))
    print(f"{len(coordinators)} coordinators of {region.name} -> {PLAN}")


def main():
    import argparse

    if sys.argv[1:2] == ["setup"]:
        parser = argparse.ArgumentParser(description="benchmark coordinators of one region")
        parser.add_argument("setup")
        parser.add_argument("--region", required=True, help="the start of the region's name")
        parser.add_argument("--users", type=int, default=50)
        args = parser.parse_args()
        sys.path.insert(0, str(HERE))
        return setup(args.region, args.users)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="route2035-load-"))
    seconds = min(args.seconds, 300)
    print(
        f"{'users':>5} {'pages':8} {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'median ms':>9} {'p95 ms':>7}"
    )
    results = {}
    for users in args.users:
        for pages in ("trivial", "mixed"):
            # The same users sign in again: an app code works once per 30 s step.
            time.sleep(31)
            r = results[(users, pages)] = one_run(args.host, users, seconds, pages, out)
            print(
                f"{users:5d} {pages:8} {r['requests']:8d} {r['failures']:6d} {r['rate']:7.1f} "
                f"{r['median_ms']:9.0f} {r['p95_ms']:7.0f}",
                flush=True,
            )
        ratio = results[(users, "mixed")]["rate"] / max(results[(users, "trivial")]["rate"], 1e-9)
        print(f"{users:5d} mixed-page rate / trivial rate = {ratio:.2f}", flush=True)
    for users in args.users:
        print(f"per page at {users} users (requests, p95 ms):")
        for name, (count, p95) in results[(users, "mixed")]["per_page"].items():
            print(f"  {name:32} {count:6d} {p95:7.0f}")
    print(f"locust CSV files: {out}")


if __name__ == "__main__" and not os.environ.get("BENCH_PAGES"):
    main()
