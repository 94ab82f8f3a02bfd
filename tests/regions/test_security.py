import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from regions.models import School

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings):
    from config import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("een-lang-wachtwoord").startswith("argon2$")


def test_login_locks_out_after_repeated_failures(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": alice.username, "password": "fout"})
    response = client.post(url, {"username": alice.username, "password": "geheim-wachtwoord-123"})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()


def test_successful_login_before_the_limit(client, alice):
    url = reverse("login")
    client.post(url, {"username": alice.username, "password": "fout"})
    response = client.post(url, {"username": alice.username, "password": "geheim-wachtwoord-123"})
    assert response.status_code == 302


def test_content_security_policy_forbids_inline_scripts(client, alice):
    client.force_login(alice)
    response = client.get(reverse("plans:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    body = response.content.decode()
    assert "<script>" not in body and "style=" not in body


def test_the_admin_may_use_inline_styles_and_only_the_admin(client, school):
    from regions.accounts import make_beheerder
    from tests.factories import UserFactory

    client.force_login(make_beheerder(UserFactory()))
    admin_page = client.get(reverse("admin:regions_school_change", args=[school.pk]))
    assert admin_page.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in admin_page["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert "unsafe-inline" not in policy["script-src"]
    # The app's own pages keep the strict policy.
    for url in (reverse("plans:home"), reverse("regions:school_detail", args=[school.pk])):
        assert "unsafe-inline" not in client.get(url)["Content-Security-Policy"]


def test_session_expires_after_inactivity():
    from config import settings as project_settings

    assert project_settings.SESSION_COOKIE_AGE <= 30 * 60
    assert not getattr(project_settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_csrf_is_enforced_on_forms(alice, school):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    url = reverse("regions:school_suitability", args=[school.pk])
    assert strict.post(url, {"acoustics": "goed"}).status_code == 403


def test_production_settings_pass_deploy_check(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "k" * 20 + "a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "route2035.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_changes_are_audited_with_who_and_what(client, alice, school):
    client.force_login(alice)
    client.post(
        reverse("regions:school_suitability", args=[school.pk]),
        {
            "acoustics": "goed",
            "low_stimulus_room": "onvoldoende",
            "accessibility": "goed",
            "building_notes": "Geluidsplaten in lokaal 3.",
            "version": 0,
        },
    )
    entry = LogEntry.objects.get_for_object(school).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == alice
    assert entry.changes_dict["acoustics"] == ["onbekend", "goed"]


def test_recent_changes_on_home_are_scoped(client, alice, charlie, school, other_region):
    from tests.factories import school_in

    hidden = school_in(other_region, name="Geheime school")
    School.objects.filter(pk=hidden.pk).update(name="x")  # no audit; the create entry exists
    client.force_login(alice)
    body = client.get(reverse("plans:home")).content.decode()
    assert school.name in body
    assert "Geheime school" not in body


def test_interface_is_dutch_whatever_the_browser_says(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"


def test_user_can_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Password" in response.content.decode()


def test_admin_home_feed_has_no_pupil_records(client, region):
    from learners.models import Pupil
    from regions.models import Role
    from tests.factories import user_with_role

    pupil = Pupil.objects.create(region=region, target_group="tos")
    admin = user_with_role(Role.BEHEERDER)
    client.force_login(admin)
    body = client.get(reverse("plans:home")).content.decode()
    assert pupil.code not in body
    assert region.name in body
