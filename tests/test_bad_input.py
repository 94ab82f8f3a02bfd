"""Arbitrary text in the main forms (hypothesis): never a 500, and a post that the form
must refuse writes nothing, whatever junk the other fields carry.

Each target posts a valid body with one field replaced by generated text (control
characters, NULs, huge strings, unicode digits, right-to-left marks). The second property
adds a change that makes the form invalid for sure and checks that no table and not the
edited record changed.
"""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives.models import CooperationType
from regions.models import Level
from tests.checklists.factories import assignment_for
from tests.learners.factories import PupilFactory
from tests.toolkit.factories import item
from toolkit.models import WerkagendaLine

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
SETTINGS = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

NASTY = "\x00\x01\x08\x0b\x1b\x7f\u200e\u200f\u202e\u2066\ufeff\u0663\u06f3\u0967\uff11 '\"<>&;=@+-"
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(st.sampled_from(NASTY), max_size=40),
    # A huge value: far over every field's max_length and the text limit.
    st.builds(
        lambda ch, n: ch * n, st.sampled_from("a9\u0663\u202e "), st.integers(5_000, 100_000)
    ),
)


def _state(target_obj, *, skip=()):
    """Rows per table (not the sessions, nor what `skip` names) and the edited record."""
    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        # force_login before each post is a login, which axes logs by design.
        if m is not Session and m._meta.label not in {*skip, "axes.AccessLog"}
    }
    if target_obj is not None:
        target_obj.refresh_from_db()
        return counts, model_to_dict(target_obj)
    return counts, None


@pytest.fixture
def world(region, school, alice, leader):
    """Everything the targets post to, made once per test."""
    havo = Level.objects.get(code="havo")
    pupil = PupilFactory(region=region, current_school=school, level=havo)
    return {
        "region": region,
        "school": school,
        "alice": alice,
        "leader": leader,
        "havo": havo,
        "pupil": pupil,
        "assignment": assignment_for(school, region),
        "line": WerkagendaLine.objects.get(number=1),
    }


def _pupil_body(w):
    return {
        "first_name": "Nieuw",
        "last_name": "Kind",
        "date_of_birth": "2013-05-01",
        "target_group": "tos",
        "is_active": "on",
        "current_school": w["school"].pk,
        "level": w["havo"].pk,
        "year_group": "2",
        "need_other": "",
    }


# name -> (user, url, valid body, a change that makes it invalid, headers, edited record, skip)
def targets(w):
    pupil, region = w["pupil"], w["region"]
    slug_item = item("betrek-ouders-als-volwaardige-partners")
    progress = f"item-{slug_item.pk}"
    return {
        "pupil_create": (
            "alice",
            reverse("learners:pupil_create", args=[region.pk]),
            _pupil_body(w),
            {"date_of_birth": ""},
            {},
            None,
            (),
        ),
        "pupil_edit": (
            "alice",
            reverse("learners:pupil_edit", args=[pupil.code]),
            {**_pupil_body(w), "version": pupil.version},
            {"date_of_birth": ""},
            {},
            pupil,
            ("learners.AccessLog",),  # showing the form again is a view of the pupil
        ),
        "checkin": (
            "alice",
            reverse("learners:record_create", args=[pupil.code, "vervolgcontact"]),
            {"done_on": "2026-01-05", "results": "goed", "wellbeing": "goed", "notes": ""},
            {"done_on": "2999-01-01"},  # a check-in is done in the past
            {},
            None,
            ("learners.AccessLog",),
        ),
        "toolkit_item_status": (
            "alice",
            reverse("toolkit:item_progress", args=[region.pk, slug_item.slug]),
            {f"{progress}-status": "done", f"{progress}-version": "0", f"{progress}-notes": ""},
            {f"{progress}-status": "bestaat-niet"},
            HTMX,
            None,
            (),
        ),
        "werkagenda_action": (
            "alice",
            reverse("toolkit:action_create", args=[region.pk]),
            {"line": w["line"].pk, "title": "Nieuw", "status": "planned", "version": "0"},
            {"title": ""},
            {},
            None,
            (),
        ),
        "checklist_answer": (
            "leader",
            reverse("checklists:answer_save", args=[w["assignment"].pk, "visie-1"]),
            {"q-visie-1-value": "ja", "q-visie-1-version": "0"},
            {"q-visie-1-value": "bestaat-niet"},
            HTMX,
            None,
            (),
        ),
        "initiative": (
            "alice",
            reverse("initiatives:initiative_create", args=[region.pk]),
            {
                "name": "Nieuw initiatief",
                "type": CooperationType.objects.get(slug="symbiose").pk,
                "construction": "symbioseovereenkomst",
                "start_date": "2027-08-01",
                "evaluation_date": "2028-06-01",
                "pupils_typed": "7",
                "viability_minimum": "5",
            },
            {"name": ""},
            {},
            None,
            (),
        ),
        "partner_school": (
            "alice",
            reverse("regions:school_create"),
            {
                "name": "Nieuwe school",
                "brin": "12AB",
                "vestigingsnummer": "00",
                "sector": "vo",
                "swv": region.swvs.first().pk,
                "acoustics": "onbekend",
                "low_stimulus_room": "onbekend",
                "accessibility": "onbekend",
            },
            {"name": ""},
            {},
            None,
            (),
        ),
        "login": (
            None,
            reverse("login"),
            {"username": "alice", "password": "fout"},
            {"password": "niet-het-wachtwoord"},
            {},
            None,
            # A failed login is counted for the lock-out: that is the point of it.
            tuple(m._meta.label for m in apps.get_models() if "attempt" in m._meta.model_name),
        ),
    }


NAMES = [
    "pupil_create",
    "pupil_edit",
    "checkin",
    "toolkit_item_status",
    "werkagenda_action",
    "checklist_answer",
    "initiative",
    "partner_school",
    "login",
]


def _post(client, w, name, data):
    user, url, _body, _invalid, headers, _obj, _skip = targets(w)[name]
    if user:
        client.force_login(w[user])
    return client.post(url, data, headers=headers)


@pytest.mark.parametrize("name", NAMES)
def test_the_valid_body_is_valid(client, world, name):
    """The bodies below are accepted as they are, so the properties test the field."""
    user, url, body, _invalid, headers, _obj, _skip = targets(world)[name]
    if name == "login":
        return
    before = _state(None)
    response = _post(client, world, name, body)
    errors = re.findall(r"error[^>]*>\s*([^<]+)", response.content.decode())
    assert response.status_code in (200, 204, 302), errors
    assert _state(None) != before, errors


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_arbitrary_text_never_gives_a_500(client, world, name, data):
    user, url, body, _invalid, headers, _obj, _skip = targets(world)[name]
    field = data.draw(st.sampled_from(sorted(body)))
    value = data.draw(TEXT)
    response = _post(client, world, name, {**body, field: value})
    assert response.status_code < 500


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_arbitrary_text_in_an_invalid_post_writes_nothing(client, world, name, data):
    user, url, body, invalid, headers, obj, skip = targets(world)[name]
    field = data.draw(st.sampled_from(sorted(set(body) - set(invalid))))
    value = data.draw(TEXT)
    before = _state(obj, skip=skip)
    response = _post(client, world, name, {**body, field: value, **invalid})
    assert response.status_code < 500
    assert response.status_code != 302 or name == "login"
    after = _state(obj, skip=skip)
    changed = {k: (n, after[0].get(k)) for k, n in before[0].items() if after[0].get(k) != n}
    assert not changed
    assert after[1] == before[1]
    if name == "login":
        assert "_auth_user_id" not in client.session


def test_a_huge_username_is_a_failed_login_not_an_error(client, alice):
    """Found by the property above: SQLite refused the case-insensitive match (503)."""
    response = client.post(reverse("login"), {"username": "a" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
