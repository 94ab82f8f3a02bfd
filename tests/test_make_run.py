"""`make run` serves the demo with config/settings_demo.py: DEBUG off (the app's own Dutch
error pages), plain http on 127.0.0.1, static files without collectstatic; and it installs
only what running needs."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "finders": settings.WHITENOISE_USE_FINDERS,
}))
"""


def demo_settings(**extra_env):
    # A fresh interpreter: settings read the environment once, at import.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings_demo", **extra_env)
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_demo_runs_without_debug_over_plain_http():
    settings = demo_settings(DEBUG="1")  # even when the shell has DEBUG=1
    assert settings["DEBUG"] is False  # so 404 and 500 are the app's own pages
    assert not settings["SECURE_SSL_REDIRECT"]
    assert not settings["SESSION_COOKIE_SECURE"]
    assert not settings["CSRF_COOKIE_SECURE"]
    assert settings["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert settings["static"].endswith("StaticFilesStorage")
    assert settings["finders"] is True


def test_make_run_installs_no_test_tools():
    makefile = (ROOT / "Makefile").read_text()
    run_install = makefile.split("$(RUN_STAMP): pyproject.toml")[1].split("\n\n")[0]
    assert "pip install --quiet -e .\n" in run_install + "\n"
    assert "[test]" not in run_install
    run_target = makefile.split("\nrun: ")[1].split("\n\n")[0]
    assert run_target.startswith("$(RUN_STAMP)")
    assert "--settings=config.settings_demo" in run_target


def test_make_run_starts_one_task_worker_and_stops_it_with_the_server():
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun: ")[1].split("\n\n")[0]
    assert run_target.count("manage.py db_worker") == 1
    worker_line = run_target.index("db_worker")
    assert run_target.index("trap 'kill $$WORKER") > worker_line
    assert run_target.index("runserver") > run_target.index("trap")
    assert "install_pdf_packages" in run_target  # fonts and pango for the plan's PDF
