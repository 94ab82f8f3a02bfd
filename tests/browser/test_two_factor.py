"""Two-factor set-up in the browser: the coordinator logs in, is sent to set-up, types
the key into "the app" (computed here with django_otp.oath), saves the recovery codes and
lands on the home page; every page passes axe."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from regions.demo import seed
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = [*BROWSER, pytest.mark.two_factor]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OTP_DEMO_EXEMPT = False  # as on a real server: the demo user needs 2FA too
    return seed()


def test_coordinator_sets_up_two_factor_and_lands_on_the_home_page(page, live_server, demo):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/account/tweestapsverificatie/instellen/?next=/")
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    assert_accessible(page)

    page.fill("#id_token", "12345")  # too short: refused
    page.click("button:has-text('Bevestigen')")
    expect(page.locator(".error-summary")).to_contain_text("6 cijfers")
    assert_accessible(page)

    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.fill("#id_token", f"{totp(b32decode(secret)):06d}")
    page.click("button:has-text('Bevestigen')")
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
