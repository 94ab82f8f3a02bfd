"""The net under the selectors: pupil models sit behind django-scopes.

A query that forgets its selector must fail loudly outside a scope, and return only the
user's regions inside a request. Tests marked `scoped` run without the autouse
scopes_disabled() fixture of tests/conftest.py, as production code does.
"""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Value
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from learners import models as learners_models
from learners import selectors
from learners.middleware import PupilScopeMiddleware
from regions.models import Role
from tests.factories import RegionFactory, coordinator_of, school_in, user_with_role
from tests.learners.factories import (
    ArrangementFactory,
    CvoBesluitFactory,
    PlacementFactory,
    PupilFactory,
)

pytestmark = pytest.mark.django_db


def pupil_models():
    """Every learners model that holds pupil data: the pupil and what points to it."""
    found = []
    for model in apps.get_app_config("learners").get_models():
        points_to_pupil = any(
            f.many_to_one and f.related_model is learners_models.Pupil
            for f in model._meta.concrete_fields
        )
        if model is learners_models.Pupil or points_to_pupil:
            found.append(model)
    return found


def test_the_walk_finds_every_pupil_model():
    names = {m.__name__ for m in pupil_models()}
    assert names >= {
        "Pupil",
        "CvoBesluit",
        "Arrangement",
        "PlacementCase",
        "DutyOfCare",
        "Handover",
        "CheckIn",
        "Conversation",
        "Consultation",
        "AccessLog",
    }


@pytest.mark.scoped
@pytest.mark.parametrize("model", pupil_models(), ids=lambda m: m.__name__)
def test_a_query_outside_any_scope_fails_loudly(model):
    # A new model with a pupil foreign key and Django's plain manager fails here.
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk__gt=0)
    with pytest.raises(ScopeError):
        model.objects.count()
    with scope(), pytest.raises(ScopeError):  # scoping on, but no region chosen
        model.objects.first()


@pytest.fixture
def two_regions(region, other_region):
    """A pupil with one record of every kind in each region (a new kind goes here too)."""
    made = {}
    for r in (region, other_region):
        pupil = PupilFactory(region=r)
        CvoBesluitFactory(pupil=pupil)
        ArrangementFactory(pupil=pupil)
        PlacementFactory(pupil=pupil)
        learners_models.CheckIn.objects.create(pupil=pupil, due_date=date(2026, 1, 5))
        learners_models.DutyOfCare.objects.create(
            pupil=pupil, holder_kind="instelling", institution=r.institution, start=date(2025, 8, 1)
        )
        learners_models.Handover.objects.create(
            pupil=pupil, date=date(2025, 9, 1), to_whom="Mentor"
        )
        learners_models.Conversation.objects.create(
            pupil=pupil, date=date(2025, 9, 1), participants="Ouders"
        )
        learners_models.Consultation.objects.create(
            pupil=pupil, date=date(2025, 9, 1), asked_by="Mentor", question="Hoe verder?"
        )
        learners_models.AccessLog.objects.create(
            user=coordinator_of(r),
            action=learners_models.AccessLog.Action.VIEW,
            pupil=pupil,
            region=r,
        )
        made[r.pk] = pupil
    return made


def test_inside_a_scope_only_its_regions_come_back(region, other_region, two_regions):
    mine, theirs = two_regions[region.pk], two_regions[other_region.pk]
    with scope(region=[region.pk]):
        assert list(learners_models.Pupil.objects.all()) == [mine]
        assert list(learners_models.Pupil.objects.filter(code=theirs.code)) == []
        assert {c.pupil_id for c in learners_models.CheckIn.objects.all()} == {mine.pk}
        assert {d.pupil_id for d in learners_models.CvoBesluit.objects.all()} == {mine.pk}
        assert {a.pupil_id for a in learners_models.Arrangement.objects.all()} == {mine.pk}
        assert {a.region_id for a in learners_models.AccessLog.objects.all()} == {region.pk}
        for model in pupil_models():
            assert model.objects.count() == 1, model
        # Related managers inherit the scope: the other pupil's records stay out.
        assert list(theirs.checkins.all()) == []
        assert list(region.pupils.all()) == [mine]
        assert list(other_region.pupils.all()) == []
    with scope(region=[]):
        for model in pupil_models():
            assert not model.objects.exists(), model


def test_foreign_keys_and_deletes_stay_unscoped(region, other_region, two_regions):
    """Django's base manager (FK access, cascading deletes) ignores the scope."""
    theirs = two_regions[other_region.pk]
    checkin_pk = theirs.checkins.get().pk
    with scope(region=[region.pk]):
        assert learners_models.CheckIn._base_manager.get(pk=checkin_pk).pupil == theirs
        theirs.delete()
    assert not learners_models.CheckIn.objects.filter(pk=checkin_pk).exists()


def test_new_pupil_codes_are_unique_nationally_not_per_scope(
    region, other_region, two_regions, monkeypatch
):
    taken = two_regions[other_region.pk].code
    codes = iter([taken, "LL-FRESH"])
    monkeypatch.setattr(learners_models, "new_pupil_code", lambda: next(codes))
    with scope(region=[region.pk]):
        pupil = PupilFactory(region=region)
    assert pupil.code == "LL-FRESH"


# --- the middleware: each request runs in its user's scope --------------------------


def codes_seen_by(user):
    """The codes an unfiltered query returns inside a request of `user`."""
    seen = []

    def view(request):
        seen.extend(learners_models.Pupil.objects.values_list("code", flat=True))
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    PupilScopeMiddleware(view)(request)
    return set(seen)


@pytest.fixture
def three_regions(region, other_region):
    """Two pupils in each of three regions; one of other_region's attends `school` of
    region, and one of a third region is being placed toward it."""
    third = RegionFactory()
    school = school_in(region)
    codes = {}
    for r in (region, other_region, third):
        codes[r.pk] = {PupilFactory(region=r).code for _ in range(2)}
    visitor = PupilFactory(region=other_region, current_school=school)
    codes[other_region.pk].add(visitor.code)
    incoming = PupilFactory(region=third)
    PlacementFactory(pupil=incoming, to_school=school)
    codes[third.pk].add(incoming.code)
    return school, third, codes


def test_middleware_scopes_each_role_to_its_regions(region, other_region, three_regions):
    school, third, codes = three_regions
    leader_elsewhere = user_with_role(Role.SCHOOLLEIDER, school=school_in(RegionFactory()))
    assert codes_seen_by(coordinator_of(region)) == codes[region.pk]
    assert codes_seen_by(coordinator_of(other_region)) == codes[other_region.pk]
    assert codes_seen_by(user_with_role(Role.BEGELEIDER, region=third)) == codes[third.pk]
    assert (
        codes_seen_by(user_with_role(Role.MANAGER, institution=region.institution))
        == (codes[region.pk])
    )
    # The school leader's school has pupils of two regions and one coming from a third.
    assert codes_seen_by(user_with_role(Role.SCHOOLLEIDER, school=school)) == (
        codes[other_region.pk] | codes[third.pk]
    )
    assert codes_seen_by(leader_elsewhere) == set()
    assert codes_seen_by(user_with_role(Role.BEHEERDER)) == set()
    assert codes_seen_by(AnonymousUser()) == set()


def test_the_scope_is_always_a_list_never_none(region):
    # django-scopes reads None as "no filter": an empty scope must stay a sequence.
    assert selectors.pupil_regions(AnonymousUser()) == ()
    assert selectors.pupil_regions(user_with_role(Role.BEHEERDER)) == ()


def test_a_forgotten_filter_in_a_view_stays_in_the_users_region(
    client, region, other_region, charlie, two_regions, monkeypatch
):
    """As if a selector forgot its filter: charlie still sees only his own region."""
    monkeypatch.setattr(
        selectors,
        "pupils_for",
        lambda user: learners_models.Pupil.objects.annotate(show_identity=Value(True)),
    )
    client.force_login(charlie)
    response = client.get("/leerlingen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert two_regions[other_region.pk].code in html
    assert two_regions[region.pk].code not in html


# --- commands declare their scope ----------------------------------------------------


@pytest.mark.scoped
def test_seed_demo_runs_as_a_national_job():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    with scopes_disabled():
        assert learners_models.Pupil.objects.exists()


@pytest.mark.scoped
def test_generate_scale_data_runs_as_a_national_job():
    call_command(
        "generate_scale_data",
        regions=2,
        swvs=2,
        gemeenten=2,
        schools=4,
        pupils=6,
        stdout=open("/dev/null", "w"),
    )
    with scopes_disabled():
        assert learners_models.Pupil.objects.filter(code__startswith="SC-").count() == 6


@pytest.mark.scoped
def test_deadline_digest_builds_each_mail_in_its_readers_scope(
    region, other_region, alice, charlie, mailoutbox
):
    alice.email, charlie.email = "alice@example.org", "charlie@example.org"
    alice.save()
    charlie.save()
    soon = timezone.localdate() + timedelta(days=10)
    mine = PupilFactory(region=region)
    theirs = PupilFactory(region=other_region)
    CvoBesluitFactory(pupil=mine, end=soon)
    CvoBesluitFactory(pupil=theirs, end=soon)
    call_command("send_deadline_digest", stdout=open("/dev/null", "w"))
    body = {m.to[0]: m.body for m in mailoutbox}
    assert mine.code in body["alice@example.org"]
    assert theirs.code not in body["alice@example.org"]
    assert theirs.code in body["charlie@example.org"]
