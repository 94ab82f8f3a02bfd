"""Logging in that holds: usernames whatever their case (login, lock-out, admin), one's
own password changed or reset by e-mail, the reset limited per address and e-mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from regions.accounts import make_beheerder
from regions.auth import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"  # tests.factories.UserFactory's
NEW_PASSWORD = "Een-ander-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The reset limit counts in the cache: every test starts at zero.
    cache.clear()
    yield
    cache.clear()


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


# --- usernames whatever their case -------------------------------------------------


def test_login_ignores_the_case_of_the_username(client):
    user = UserFactory(username="begeleider")
    response = login(client, "Begeleider")
    assert response.status_code == 302
    assert logged_in_as(client) == str(user.pk)


def test_wrong_password_in_another_case_still_fails(client):
    UserFactory(username="begeleider")
    response = login(client, "BEGELEIDER", "fout")
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_lockout_for_begeleider_also_locks_Begeleider(client):
    UserFactory(username="begeleider")
    for _ in range(5):
        login(client, "begeleider", "fout")
    response = login(client, "Begeleider")
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert logged_in_as(client) is None


def test_lockout_counts_failures_in_mixed_case_together(client):
    UserFactory(username="begeleider")
    for name in ("begeleider", "Begeleider", "BEGELEIDER", "bEgeleider", "BeGeLeIdEr"):
        login(client, name, "fout")
    assert login(client, "begeleider").status_code == 429
    assert logged_in_as(client) is None


def test_admin_login_ignores_the_case_of_the_username(client):
    user = make_beheerder(UserFactory(username="beheerder"))
    response = client.post(
        reverse("admin:login"),
        {"username": "BeHeerder", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert logged_in_as(client) == str(user.pk)


def test_two_old_accounts_differing_in_case_log_in_by_their_exact_name(client):
    UserFactory(username="jan")
    upper = UserFactory(username="Jan")
    assert login(client, "Jan").status_code == 302
    assert logged_in_as(client) == str(upper.pk)


def test_admin_refuses_a_new_user_that_differs_only_in_case(client):
    UserFactory(username="begeleider")
    client.force_login(make_beheerder(UserFactory()))
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "Begeleider",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "bestaat al" in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="begeleider").count() == 1


def test_admin_refuses_renaming_a_user_to_another_name_in_another_case(client):
    UserFactory(username="begeleider")
    target = UserFactory(username="jan")
    client.force_login(make_beheerder(UserFactory()))
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": "BEGELEIDER",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Er bestaat al een gebruiker met de naam" in response.content.decode()
    target.refresh_from_db()
    assert target.username == "jan"


def test_create_beheerder_refuses_a_name_that_differs_only_in_case():
    UserFactory(username="bea")
    with pytest.raises(CommandError, match="Er bestaat al een gebruiker met de naam 'bea'"):
        call_command("create_beheerder", "Bea")
    assert get_user_model().objects.filter(username__iexact="bea").count() == 1


# --- changing one's own password ---------------------------------------------------


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Uw oude wachtwoord is niet juist" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_sets_the_new_password_and_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert "Wachtwoord wijzigen" in page and "utrecht-textbox" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("password_change_done")).status_code == 200


def test_the_header_links_to_the_password_change(client):
    client.force_login(UserFactory())
    page = client.get(reverse("plans:home")).content.decode()
    assert f'href="{reverse("password_change")}"' in page


# --- resetting it by e-mail --------------------------------------------------------


def request_reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_reset_sends_a_dutch_mail_whose_link_sets_a_new_password(client):
    user = UserFactory(username="begeleider", email="beg@example.nl")
    assert "Wachtwoord vergeten?" in client.get(reverse("login")).content.decode()
    response = request_reset(client, "BEG@example.nl")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["beg@example.nl"]
    assert message.subject == "Nieuw wachtwoord voor Route 2035"
    assert "nieuw wachtwoord aangevraagd voor uw account begeleider" in message.body
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    set_page = client.get(link, follow=True)
    assert "Nieuw wachtwoord instellen" in set_page.content.decode()
    form_url = set_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "Deze link werkt niet meer" in again


def test_unknown_email_gets_the_same_answer_and_no_mail(client):
    UserFactory(email="beg@example.nl")
    known = request_reset(client, "beg@example.nl")
    unknown = request_reset(client, "niemand@example.nl")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    done = client.get(unknown["Location"]).content.decode()
    assert "Als dit e-mailadres bij een account hoort" in done


def test_reset_is_limited_per_email_address(client, settings):
    settings.PASSWORD_RESET_LIMIT = 5
    UserFactory(email="beg@example.nl")
    for n in range(5):
        ip = {"REMOTE_ADDR": f"10.0.0.{n}"}
        assert request_reset(client, "beg@example.nl", **ip).status_code == 302
    response = request_reset(client, "beg@example.nl", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "te vaak een nieuw wachtwoord aangevraagd" in response.content.decode()
    assert len(mail.outbox) == 5


def test_reset_is_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_LIMIT = 5
    UserFactory(email="beg@example.nl")
    for n in range(5):
        assert request_reset(client, f"iemand{n}@example.nl").status_code == 302
    response = request_reset(client, "beg@example.nl")
    assert response.status_code == 429
    assert mail.outbox == []


# --- which address counts ----------------------------------------------------------


def test_x_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_added_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client made up 6.6.6.6; the proxy appended what it saw: 1.2.3.4.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    assert client_ip(request) == "1.2.3.4"


def test_guessing_the_old_password_stops_after_five_wrong_ones(client):
    """Someone at a session left open may not guess the password on (and then change it)."""
    user = UserFactory()
    client.force_login(user)
    url = reverse("password_change")
    for n in range(5):
        wrong = {
            "old_password": f"fout{n}",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        }
        assert client.post(url, wrong).status_code == 200
    right = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(url, right)
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
