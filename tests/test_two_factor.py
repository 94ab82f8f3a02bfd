"""Two-factor login (regions/two_factor.py): required for coordinators, begeleiders and
the functional admin, voluntary for school leaders and managers, demo users exempt only
in demo mode; every URL (also htmx and /beheer/) waits for it; wrong codes count."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core import checks
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions import two_factor
from regions.accounts import make_beheerder
from tests.factories import UserFactory, coordinator_of
from tests.learners.factories import PupilFactory, begeleider_of

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]
PASSWORD = "geheim-wachtwoord-123"  # tests.factories.UserFactory's
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def token_for(device):
    """The code the app shows now; one step on if this step's code was used already
    (a TOTP code works once; the device accepts one step of drift)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    drift = device.drift + max(0, device.last_t + 1 - totp.t())
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, drift).token():06d}"


def login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client, user):
    """Log in, follow to set-up and confirm the app with its first code."""
    login(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": token_for(device), "next": "/"})
    assert response.status_code == 302
    return TOTPDevice.objects.get(user=user, confirmed=True)


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def beheerder():
    return make_beheerder(UserFactory(username="beheer-test"))


FORCED = {
    "coordinator": lambda region: coordinator_of(region),
    "begeleider": lambda region: begeleider_of(region),
    "beheerder": lambda region: beheerder(),
}


# --- who must ------------------------------------------------------------------------


@pytest.mark.parametrize("role", FORCED)
def test_forced_role_goes_to_setup_then_to_verify_after_a_new_login(client, region, role):
    user = FORCED[role](region)
    login(client, user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    page = client.get(SETUP)
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and 'autocomplete="one-time-code"' in content
    assert 'inputmode="numeric"' in content
    device = TOTPDevice.objects.get(user=user)
    secret = content.split('id="otp-secret">')[1].split("<")[0].replace(" ", "")
    assert secret  # the key as text, for who cannot scan

    response = client.post(SETUP, {"token": token_for(device), "next": "/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    assert len(StaticToken.objects.filter(device__user=user)) == 10
    for token in StaticToken.objects.filter(device__user=user):
        assert token.token in codes_page.content.decode()
    assert client.get("/").status_code in (200, 302)
    assert not client.get("/").get("Location", "").startswith(VERIFY)

    client.post(reverse("logout"))
    login(client, user)
    response = client.get("/")
    assert response["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"token": token_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_codes_are_shown_once(client, region):
    user = coordinator_of(region)
    set_up(client, user)
    first = client.get(reverse("two_factor_codes")).content.decode()
    again = client.get(reverse("two_factor_codes")).content.decode()
    token = StaticToken.objects.filter(device__user=user).first().token
    assert token in first
    assert token not in again


def test_a_wrong_token_fails_and_the_page_says_so(client, region):
    user = coordinator_of(region)
    device = confirmed_device(user)
    login(client, user)
    right = token_for(device)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_after_wrong_tokens_the_user_is_told_to_wait(client, region):
    user = coordinator_of(region)
    device = confirmed_device(user)
    device.throttling_failure_count = 5  # the next try waits 16 seconds
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    login(client, user)
    response = client.post(VERIFY, {"token": token_for(device)})
    content = response.content.decode()
    assert "Te veel onjuiste codes. Wacht" in content
    assert "seconden" in content
    assert client.get("/")["Location"].startswith(VERIFY)
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)
    device.save()
    assert client.post(VERIFY, {"token": token_for(device)}).status_code == 302


def test_a_recovery_code_works_once_only(client, region):
    user = coordinator_of(region)
    confirmed_device(user)
    code = two_factor.new_recovery_codes(user)[0]
    login(client, user)
    response = client.post(VERIFY, {"recovery_code": code.upper(), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))

    login(client, user)
    response = client.post(VERIFY, {"recovery_code": code})
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


def test_new_recovery_codes_invalidate_the_old_ones(client, region):
    user = coordinator_of(region)
    set_up(client, user)
    old = {t.token for t in StaticToken.objects.filter(device__user=user)}
    client.get(reverse("two_factor_codes"))  # the set-up's codes, shown once
    response = client.post(reverse("two_factor_codes"))
    new = {t.token for t in StaticToken.objects.filter(device__user=user)}
    assert len(new) == 10 and not (new & old)
    for token in new:
        assert token in response.content.decode()


def test_an_unverified_user_cannot_replace_the_app_with_the_password_alone(client, region):
    user = coordinator_of(region)
    device = confirmed_device(user)
    login(client, user)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    client.post(SETUP, {"token": "123456"})
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert client.post(reverse("two_factor_codes")).status_code == 302
    assert not StaticDevice.objects.filter(user=user).exists()


def test_a_lost_phone_with_a_recovery_code_sets_up_a_new_app(client, region):
    user = coordinator_of(region)
    old = confirmed_device(user)
    code = two_factor.new_recovery_codes(user)[0]
    login(client, user)
    client.post(VERIFY, {"recovery_code": code})
    new = set_up(client, user)
    assert new.pk != old.pk
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- not forced ------------------------------------------------------------------------


def test_school_leader_and_manager_are_not_forced(client, region, school, leader, bob):
    for user in (leader, bob):
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, user
        assert client.get(reverse("two_factor")).status_code == 200


def test_a_manager_who_set_it_up_verifies_at_the_next_login(client, bob):
    device = set_up(client, bob)
    client.post(reverse("logout"))
    login(client, bob)
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": token_for(device)})
    assert client.get("/").status_code == 200


# --- no way around it ------------------------------------------------------------------


def test_no_url_is_open_before_verification(client, region, alice):
    confirmed_device(alice)
    pupil = PupilFactory(region=region)
    login(client, alice)
    for url in (
        "/",
        reverse("learners:pupil_detail", args=[pupil.pk]),
        reverse("learners:pupil_list"),
        reverse("password_change"),
        reverse("two_factor"),
        "/bestaat-niet/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    response = client.post(reverse("learners:pupil_edit", args=[pupil.pk]), {"first_name": "X"})
    assert response["Location"].startswith(VERIFY)
    for url in (reverse("login"), reverse("password_reset"), reverse("health"), VERIFY):
        assert not client.get(url).get("Location", "").startswith(VERIFY), url


def test_htmx_gets_a_client_redirect_not_a_fragment(client, alice):
    confirmed_device(alice)
    login(client, alice)
    response = client.get(
        reverse("learners:pupil_list"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/leerlingen/?q=a"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(VERIFY)
    assert "next=/leerlingen/%3Fq%3Da" in response["HX-Redirect"]
    assert response.content == b""


def test_beheer_needs_verification(client):
    user = beheerder()
    device = confirmed_device(user)
    login(client, user)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": token_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_user(rf):
    from django.contrib import admin

    user = beheerder()
    confirmed_device(user)
    request = rf.get("/beheer/")
    user.is_verified = lambda: False
    request.user = user
    assert not admin.site.has_permission(request)
    user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_session_verified_by_another_users_device_is_not_verified(client, region, alice):
    other = coordinator_of(region)
    device = confirmed_device(other)
    login(client, alice)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get("/")["Location"].startswith(SETUP)


# --- demo ------------------------------------------------------------------------------


def test_demo_users_are_exempt_only_with_the_demo_setting(client, settings, region):
    user = coordinator_of(region)
    user.username = "coordinator"
    user.save()
    login(client, user)
    assert client.get("/")["Location"].startswith(SETUP)
    settings.OTP_DEMO_EXEMPT = True
    assert client.get("/").status_code == 200
    other = coordinator_of(region)  # not one of the five demo names
    client.force_login(other)
    assert client.get("/")["Location"].startswith(SETUP)


def setting_in(module, **env):
    """OTP_DEMO_EXEMPT as a fresh process reads it from `module` (the settings read the
    environment once, at import)."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DEBUG", "TESTING")
    }
    environment.update(env)
    code = f"import {module} as s; print(s.OTP_DEMO_EXEMPT)"
    result = subprocess.run(  # noqa: S603 (our own interpreter, a fixed module name)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_demo_exemption_is_off_in_production_settings():
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert setting_in("config.settings", **production) == "False"
    assert setting_in("config.settings", **production, DEBUG="1") == "True"  # local dev
    assert setting_in("config.settings_demo") == "True"
    # The demo settings force DEBUG off, even with DEBUG=1 in the shell.
    assert setting_in("config.settings_demo", DEBUG="1") == "True"


def test_the_demo_exemption_outside_the_demo_fails_the_system_check(settings):
    settings.DEBUG = False
    settings.OTP_DEMO_EXEMPT = True
    errors = two_factor.demo_exemption_only_in_demo(None)
    assert [e.id for e in errors] == ["route2035.E001"]
    assert any(e.id == "route2035.E001" for e in checks.run_checks(tags=[checks.Tags.security]))
    settings.SETTINGS_MODULE = "config.settings_demo"
    assert two_factor.demo_exemption_only_in_demo(None) == []
    settings.SETTINGS_MODULE = "config.settings"
    settings.OTP_DEMO_EXEMPT = False
    assert two_factor.demo_exemption_only_in_demo(None) == []


# --- the beheerder's reset -------------------------------------------------------------


def test_beheerder_resets_a_users_two_factor_in_the_admin(client, region, alice):
    admin_user = beheerder()
    admin_device = confirmed_device(admin_user)
    confirmed_device(alice)
    two_factor.new_recovery_codes(alice)
    login(client, admin_user)
    client.post(VERIFY, {"token": token_for(admin_device)})
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [alice.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert AdminLogEntry.objects.filter(object_id=str(alice.pk), user=admin_user).exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, actor=admin_user)
    assert deleted.count() == 2
    assert all("key" not in (entry.changes or "") for entry in deleted)

    client.post(reverse("logout"))
    login(client, alice)
    assert client.get("/")["Location"].startswith(SETUP)


def test_beheerder_cannot_reset_a_superuser_or_himself(client, region):
    """Else a stolen beheerder password could take the second factor off a superuser (or
    off the beheerder himself) and enrol a new app with the password alone."""
    admin_user = beheerder()
    admin_device = confirmed_device(admin_user)
    root = type(admin_user).objects.create_superuser("root", password="x")  # noqa: S106
    confirmed_device(root)
    login(client, admin_user)
    client.post(VERIFY, {"token": token_for(admin_device)})
    for target, message in (
        (root, "kan alleen een andere superuser wissen"),
        (admin_user, "Uw eigen tweestapsverificatie kunt u hier niet wissen"),
    ):
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [target.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert message in response.text
        assert TOTPDevice.objects.filter(user=target).exists()


def test_a_recovery_code_goes_first_and_a_refused_code_is_not_shown_again(client, region):
    """The phone is gone: a wrong app code was tried, then a recovery code is typed below
    it. The refused code must not stay in the box and block the recovery code."""
    user = coordinator_of(region)
    confirmed_device(user)
    code = two_factor.new_recovery_codes(user)[0]
    login(client, user)
    response = client.post(VERIFY, {"token": "111111", "next": "/"})
    assert "Deze code klopt niet" in response.text
    assert 'value="111111"' not in response.text
    # What a browser that kept the old value would send, with the recovery code added.
    response = client.post(VERIFY, {"token": "111111", "recovery_code": code, "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("name", ["health", "health_ready"])
def test_health_checks_answer_json_whatever_the_2fa_step(client, alice, name):
    """The load balancer asks without a session; a browser in the middle of 2FA set-up
    (or verification) gets the same JSON answer, never a redirect to set-up."""
    url = reverse(name)
    answers = [client.get(url)]  # no session
    login(client, alice)  # a coordinator without an app: must set one up first
    assert client.get("/")["Location"].startswith(SETUP)
    answers.append(client.get(url))
    confirmed_device(alice)  # and with an app: must verify first
    answers.append(client.get(url))
    for response in answers:
        assert response.status_code in (200, 503)
        assert response["Content-Type"].startswith("application/json")
        assert "database" in response.json()


# --- new recovery codes and switching off ----------------------------------------------

CODES = reverse("two_factor_codes")
SWITCH_OFF = reverse("two_factor_switch_off")


def test_an_exempt_demo_user_is_told_how_to_get_new_recovery_codes(client, settings, region):
    """Let in without a code, he is not verified: no dead page without a button, but the
    way to get there (a code first), or set-up when he has no app."""
    settings.OTP_DEMO_EXEMPT = True
    user = coordinator_of(region)
    user.username = "coordinator"
    user.save()
    login(client, user)
    page = client.get(CODES).text
    assert "nog geen tweestapsverificatie" in page and f'href="{SETUP}"' in page

    device = confirmed_device(user)
    page = client.get(CODES).text
    assert "Eerst een code invullen" in page and f'href="{VERIFY}?next={CODES}"' in page
    client.post(VERIFY, {"token": token_for(device), "next": CODES})
    assert "Nieuwe herstelcodes maken</button>" in client.get(CODES).text


def test_a_manager_switches_voluntary_two_factor_off_with_his_password(client, bob):
    set_up(client, bob)
    assert f'href="{SWITCH_OFF}"' in client.get(reverse("two_factor")).text

    response = client.post(SWITCH_OFF, {"password": "fout"})
    assert response.status_code == 200 and "Dit wachtwoord klopt niet" in response.text
    assert TOTPDevice.objects.filter(user=bob).exists()

    response = client.post(SWITCH_OFF, {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not StaticDevice.objects.filter(user=bob).exists()
    client.post(reverse("logout"))
    login(client, bob)
    assert client.get("/").status_code == 200  # the password alone again


@pytest.mark.parametrize("role", ["coordinator", "beheerder"])
def test_a_role_that_requires_two_factor_cannot_switch_it_off(client, region, role):
    user = FORCED[role](region)
    set_up(client, user)
    assert f'href="{SWITCH_OFF}"' not in client.get(reverse("two_factor")).text
    page = client.get(SWITCH_OFF)
    assert "uitzetten kan niet" in page.text and 'name="password"' not in page.text
    response = client.post(SWITCH_OFF, {"password": PASSWORD})
    assert response.status_code == 403 and "uitzetten kan niet" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_guessing_the_password_to_switch_two_factor_off_stops_after_five_wrong_ones(client, bob):
    set_up(client, bob)
    for n in range(5):
        assert client.post(SWITCH_OFF, {"password": f"fout{n}"}).status_code == 200
    response = client.post(SWITCH_OFF, {"password": PASSWORD})
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.text
    assert TOTPDevice.objects.filter(user=bob).exists()
