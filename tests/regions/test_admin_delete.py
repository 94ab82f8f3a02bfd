"""Deleting in Django admin (/beheer/) neither changes nor shows pupil data.

A partner that pupil data point at (school, location, level, gemeente, institution,
bestuur) cannot be deleted: Django would otherwise clear the link in one bulk update,
without an audit entry or a version bump. And no delete page (confirmation, "cannot
delete", "delete selected") lists pupil data by name: it counts it.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError

from learners.models import DutyOfCare, Pupil
from regions.accounts import make_beheerder
from regions.admin_delete import HidesPupilData
from regions.models import Level, Schoolbestuur
from tests.factories import GemeenteFactory, SchoolFactory, SwvFactory, UserFactory, school_in
from tests.learners.factories import (
    ArrangementFactory,
    CvoBesluitFactory,
    LocationFactory,
    PlacementFactory,
    PupilFactory,
)

pytestmark = pytest.mark.django_db


def beheerder():
    return make_beheerder(UserFactory())


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def pupils_at_school(region):
    school = school_in(region)
    pupils = PupilFactory.create_batch(2, region=region, current_school=school)
    PlacementFactory(pupil=PupilFactory(region=region), to_school=school)
    ArrangementFactory(pupil=pupils[0], school=school)
    return school


def pupils_at_location(region):
    location = LocationFactory(region=region)
    PupilFactory.create_batch(2, region=region, current_location=location)
    PlacementFactory(pupil=PupilFactory(region=region), from_location=location)
    return location


def pupils_at_level(region):
    level = Level.objects.create(code="test-niveau", name="Testniveau")
    PupilFactory.create_batch(2, region=region, current_school=school_in(region), level=level)
    return level


def pupils_in_gemeente(region):
    gemeente = GemeenteFactory()
    PupilFactory.create_batch(2, region=region, home_gemeente=gemeente)
    PlacementFactory(pupil=PupilFactory(region=region), transport_gemeente=gemeente)
    return gemeente


def decisions_of_institution(region):
    CvoBesluitFactory.create_batch(2, pupil=PupilFactory(region=region))
    return region.institution


def duty_of_bestuur(region):
    bestuur = Schoolbestuur.objects.create(name="Stichting Test", number="99999")
    DutyOfCare.objects.create(
        pupil=PupilFactory(region=region),
        holder_kind="bestuur",
        bestuur=bestuur,
        start=date(2025, 8, 1),
    )
    return bestuur


PARTNERS = [
    pupils_at_school,
    pupils_at_location,
    pupils_at_level,
    pupils_in_gemeente,
    decisions_of_institution,
    duty_of_bestuur,
]


def admin_url(obj, view):
    return f"/beheer/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def changelist_url(obj):
    return f"/beheer/{obj._meta.app_label}/{obj._meta.model_name}/"


def pupil_data():
    return list(Pupil.objects.order_by("pk").values())


def assert_no_pupil_listed(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert "LL-" not in page
    assert "leerlinggegevens" in page


@pytest.mark.parametrize("make_partner", PARTNERS)
def test_a_partner_that_pupil_data_point_at_cannot_be_deleted(region, make_partner):
    partner = make_partner(region)
    before = pupil_data()
    with pytest.raises(ProtectedError):
        partner.delete()
    assert type(partner).objects.filter(pk=partner.pk).exists()
    assert pupil_data() == before


@pytest.mark.parametrize("make_admin", [beheerder, superuser])
@pytest.mark.parametrize("make_partner", PARTNERS)
def test_admin_refuses_the_delete_and_leaves_pupils_unchanged(
    client, region, make_partner, make_admin
):
    partner = make_partner(region)
    before = pupil_data()
    client.force_login(make_admin())

    response = client.post(admin_url(partner, "delete"), {"post": "yes"})
    assert_no_pupil_listed(response)  # the "cannot delete" page, counting pupil data
    response = client.post(
        changelist_url(partner),
        {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"},
    )
    assert_no_pupil_listed(response)

    assert type(partner).objects.filter(pk=partner.pk).exists()
    assert pupil_data() == before


@pytest.mark.parametrize("make_admin", [beheerder, superuser])
@pytest.mark.parametrize("make_partner", PARTNERS)
def test_delete_pages_count_pupil_data_without_listing_it(client, region, make_partner, make_admin):
    partner = make_partner(region)
    client.force_login(make_admin())

    assert_no_pupil_listed(client.get(admin_url(partner, "delete")))
    assert_no_pupil_listed(
        client.post(
            changelist_url(partner),
            {"action": "delete_selected", "_selected_action": [partner.pk]},
        )
    )


@pytest.mark.parametrize("make_admin", [beheerder, superuser])
def test_user_accounts_are_never_deleted_on_the_web(client, region, make_admin):
    """Deleting a begeleider would silently take him out of his pupils' arrangements
    (and unsign the roles he granted or approved): accounts are deactivated instead."""
    begeleider = UserFactory()
    arrangement = ArrangementFactory(pupil=PupilFactory(region=region))
    arrangement.begeleiders.add(begeleider)
    client.force_login(make_admin())

    assert client.get(admin_url(begeleider, "delete")).status_code == 403
    assert client.post(admin_url(begeleider, "delete"), {"post": "yes"}).status_code == 403
    changelist = client.get(changelist_url(begeleider)).content.decode()
    assert 'value="delete_selected"' not in changelist
    client.post(
        changelist_url(begeleider),
        {"action": "delete_selected", "_selected_action": [begeleider.pk], "post": "yes"},
    )

    assert get_user_model().objects.filter(pk=begeleider.pk).exists()
    assert list(arrangement.begeleiders.all()) == [begeleider]


def test_an_account_is_deactivated_in_the_admin(client):
    user = UserFactory()
    client.force_login(beheerder())
    page = client.get(admin_url(user, "change")).content.decode()
    assert 'name="is_active"' in page


def test_who_granted_or_approved_a_role_stays_on_record(region):
    """Even on the command line: the approver of a role cannot vanish into
    "goedgekeurd (opdrachtregel of installatie)"."""
    from regions.models import Role, RoleAssignment

    granter, approver = beheerder(), beheerder()
    role = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.BEGELEIDER, region=region, granted_by=granter
    )
    RoleAssignment.objects.filter(pk=role.pk).update(approved_by=approver)
    for user in (granter, approver):
        with pytest.raises(ProtectedError):
            user.delete()
    role.refresh_from_db()
    assert (role.granted_by, role.approved_by) == (granter, approver)


@pytest.mark.parametrize("make_admin", [beheerder, superuser])
@pytest.mark.parametrize("link", ["swv", "gemeente"])
def test_an_swv_or_municipality_with_schools_is_not_deleted(client, region, link, make_admin):
    """Deleting it would take its schools out of the region (and change who may edit
    them and whose access list shows them): the admin shows them as protected."""
    school = school_in(region)
    partner = getattr(school, link)
    client.force_login(make_admin())

    response = client.post(admin_url(partner, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert school.name in response.content.decode()
    client.post(
        changelist_url(partner),
        {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"},
    )

    assert type(partner).objects.filter(pk=partner.pk).exists()
    school.refresh_from_db()
    assert getattr(school, link) == partner


@pytest.mark.parametrize("make_partner", [SwvFactory, GemeenteFactory])
def test_an_swv_or_municipality_without_schools_is_deleted(client, region, make_partner):
    partner = make_partner()
    links = region.swvs if make_partner is SwvFactory else region.gemeenten
    links.add(partner)
    client.force_login(beheerder())

    response = client.post(admin_url(partner, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not type(partner).objects.filter(pk=partner.pk).exists()


def test_a_region_with_locations_is_not_deleted(client, region):
    location = LocationFactory(region=region)
    client.force_login(beheerder())

    response = client.post(admin_url(region, "delete"), {"post": "yes"})

    assert response.status_code == 200
    location.refresh_from_db()
    assert location.region == region


@pytest.mark.parametrize("make_admin", [beheerder, superuser])
def test_a_partner_no_pupil_data_point_at_can_still_be_deleted(client, region, make_admin):
    school = SchoolFactory()
    client.force_login(make_admin())

    response = client.post(admin_url(school, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not type(school).objects.filter(pk=school.pk).exists()


def test_every_admin_of_the_project_counts_pupil_data():
    # axes (login attempts) and the task queue (ids and return values of background
    # tasks) have no link to any model of ours.
    unguarded = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in {"axes", "django_tasks_database"}
        and not isinstance(model_admin, HidesPupilData)
    ]
    assert unguarded == []
