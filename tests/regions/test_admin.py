"""The functional admin (Django admin at /beheer/) cannot reach pupil data or escalate.

Nobody grants staff, superuser, groups or permissions, or sets another user's password,
from the web; the beheerder gives no role to himself; pupil models are not in the admin;
the database refuses role assignments that do not fit; every role change is shown to the
coordinators of the region it reaches.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from regions.accounts import ADMIN_GROUP, make_beheerder
from regions.models import Role, RoleAssignment
from regions.selectors import role_changes
from tests.factories import SchoolFactory, UserFactory, coordinator_of, school_in
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db


def beheerder():
    user = UserFactory(first_name="Bea", last_name="Beheerder")
    return make_beheerder(user)


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def staff_with_all_auth_permissions():
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    return user


ADMINS = [beheerder, superuser, staff_with_all_auth_permissions]


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- users: no escalation from the web ----------------------------------------------


@pytest.mark.parametrize("make_admin", ADMINS)
@pytest.mark.parametrize("on_self", [False, True])
def test_nobody_grants_staff_superuser_groups_or_permissions_in_admin(
    client, region, make_admin, on_self
):
    acting = make_admin()
    target = acting if on_self else coordinator_of(region)
    before = (target.is_staff, target.is_superuser)
    group = Group.objects.get_or_create(name=ADMIN_GROUP)[0]
    pupil_permission = Permission.objects.get(codename="view_pupil")
    client.force_login(acting)

    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": target.username,
            "first_name": "Nieuw",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "user_permissions": [pupil_permission.pk],
            "password": "md5$x$y",
            # The roles inline on the page (tests/regions/test_admin_inline.py), unchanged.
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    target.refresh_from_db()
    assert target.first_name == "Nieuw"  # the form was accepted, only those fields ignored
    assert (target.is_staff, target.is_superuser) == before
    assert pupil_permission not in target.user_permissions.all()
    if not on_self:
        assert not target.groups.exists()
        assert target.has_usable_password() and target.check_password("geheim-wachtwoord-123")


def test_user_page_shows_staff_and_superuser_read_only_and_no_permissions(client, region):
    acting = superuser()
    target = coordinator_of(region)
    client.force_login(acting)
    page = client.get(reverse("admin:auth_user_change", args=[target.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="groups"' not in page
    assert 'name="user_permissions"' not in page
    assert "/password/" not in page


def test_beheerder_still_creates_users_and_opens_the_admin_pages(client, region):
    acting = beheerder()
    client.force_login(acting)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nieuw",
            "usable_password": "true",
            "password1": "Een-lang-wachtwoord-42",
            "password2": "Een-lang-wachtwoord-42",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    nieuw = get_user_model().objects.get(username="nieuw")
    assert not (nieuw.is_staff or nieuw.is_superuser)
    for name, args in [
        ("admin:index", []),
        ("admin:auth_user_changelist", []),
        ("admin:auth_user_change", [nieuw.pk]),
        ("admin:auth_group_changelist", []),
        ("admin:regions_roleassignment_add", []),
        ("admin:regions_roleassignment_changelist", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


@pytest.mark.parametrize("make_admin", ADMINS)
def test_admin_password_change_for_another_user_is_refused(client, region, make_admin):
    acting = make_admin()
    target = coordinator_of(region)
    client.force_login(acting)
    url = reverse("admin:auth_user_password_change", args=[target.pk])

    assert client.get(url).status_code == 302
    response = client.post(
        url,
        {"password1": "Nieuw-wachtwoord-987", "password2": "Nieuw-wachtwoord-987"},
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:auth_user_changelist")
    assert any("opdrachtregel" in m for m in messages_of(response))
    target.refresh_from_db()
    assert target.check_password("geheim-wachtwoord-123")
    assert not target.check_password("Nieuw-wachtwoord-987")


def test_own_password_goes_through_the_normal_password_change(client):
    acting = beheerder()
    client.force_login(acting)
    response = client.get(reverse("admin:auth_user_password_change", args=[acting.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:password_change")
    assert client.get(reverse("admin:password_change")).status_code == 200


@pytest.mark.parametrize("make_admin", ADMINS)
def test_groups_are_read_only_in_admin(client, make_admin):
    acting = make_admin()
    group = Group.objects.get_or_create(name=ADMIN_GROUP)[0]
    before = set(group.permissions.all())
    client.force_login(acting)

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [Permission.objects.get(codename="view_pupil").pk]},
    )

    assert response.status_code == 403
    assert set(group.permissions.all()) == before
    add = client.post(reverse("admin:auth_group_add"), {"name": "Leerlingen kijken"})
    assert add.status_code == 403
    assert not Group.objects.filter(name="Leerlingen kijken").exists()


# --- roles: never for yourself ------------------------------------------------------


def test_beheerder_cannot_give_himself_a_role(client, region):
    acting = beheerder()
    client.force_login(acting)

    response = client.post(
        reverse("admin:regions_roleassignment_add"),
        {"user": acting.pk, "role": Role.COORDINATOR, "region": region.pk},
    )

    assert response.status_code == 200
    assert "U kunt uzelf geen rol geven" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=acting, role=Role.COORDINATOR).exists()


def test_beheerder_gives_a_role_to_someone_else(client, region):
    acting = beheerder()
    jan = UserFactory(username="jan")
    client.force_login(acting)
    response = client.post(
        reverse("admin:regions_roleassignment_add"),
        {"user": jan.pk, "role": Role.COORDINATOR, "region": region.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=jan, role=Role.COORDINATOR, region=region).exists()


def test_beheerder_cannot_edit_his_own_role(client, region):
    acting = beheerder()
    own = RoleAssignment.objects.get(user=acting)
    client.force_login(acting)
    url = reverse("admin:regions_roleassignment_change", args=[own.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Uw eigen rollen kunt u niet wijzigen" in page.content.decode()
    response = client.post(url, {"user": acting.pk, "role": Role.COORDINATOR, "region": region.pk})

    assert response.status_code == 403
    own.refresh_from_db()
    assert (own.role, own.region_id) == (Role.BEHEERDER, None)


def test_beheerder_cannot_move_someone_elses_role_to_himself(client, region):
    acting = beheerder()
    carla = coordinator_of(region)
    theirs = RoleAssignment.objects.get(user=carla)
    client.force_login(acting)

    response = client.post(
        reverse("admin:regions_roleassignment_change", args=[theirs.pk]),
        {"user": acting.pk, "role": Role.COORDINATOR, "region": region.pk},
    )

    assert response.status_code == 200
    assert "U kunt uzelf geen rol geven" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.user == carla


# --- pupil data stays out of the admin ----------------------------------------------


def test_no_learners_model_is_registered_in_admin():
    assert [m for m in admin.site._registry if m._meta.app_label == "learners"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/learners/",
        "/beheer/learners/pupil/",
        "/beheer/learners/pupil/1/change/",
        "/beheer/learners/arrangement/",
        "/beheer/learners/accesslog/",
        "/beheer/learners/cvobesluit/",
    ],
)
def test_learners_admin_urls_are_not_found_even_for_a_superuser(client, region, path):
    PupilFactory(region=region)
    client.force_login(superuser())
    assert client.get(path).status_code == 404


def test_audit_log_admin_shows_no_pupil_entries_even_to_a_superuser(client, region):
    pupil = PupilFactory(region=region, diagnosis="Zeer geheime diagnose")
    pupil_entry = LogEntry.objects.get_for_object(pupil).get()
    role_entry = LogEntry.objects.get_for_object(
        RoleAssignment.objects.create(user=UserFactory(), role=Role.COORDINATOR, region=region)
    ).get()
    client.force_login(superuser())

    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert role_entry.object_repr in listing.content.decode()
    assert pupil.code not in listing.content.decode()
    assert f"resource_type={pupil_entry.content_type_id}" not in listing.content.decode()
    searched = client.get(reverse("admin:auditlog_logentry_changelist"), {"q": "geheime"})
    assert "Zeer geheime" not in searched.content.decode()
    assert pupil.code not in searched.content.decode()

    detail = client.get(reverse("admin:auditlog_logentry_change", args=[pupil_entry.pk]))
    assert detail.status_code == 302  # the admin's "does not exist" redirect
    assert "geheime" not in client.get(detail.url).content.decode()


# --- the database refuses role assignments that do not fit --------------------------


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(**fields)


def test_database_refuses_a_role_without_its_scope(region):
    user = UserFactory()
    refused(user=user, role=Role.COORDINATOR)
    refused(user=user, role=Role.BEGELEIDER)
    refused(user=user, role=Role.SCHOOLLEIDER)
    refused(user=user, role=Role.MANAGER)


def test_database_refuses_a_scope_that_does_not_fit_the_role(region):
    user = UserFactory()
    school = school_in(region)
    refused(user=user, role=Role.COORDINATOR, school=school)
    refused(user=user, role=Role.COORDINATOR, region=region, school=school)
    refused(user=user, role=Role.SCHOOLLEIDER, region=region)
    refused(user=user, role=Role.MANAGER, region=region)
    refused(user=user, role=Role.MANAGER, institution=region.institution, region=region)
    refused(user=user, role=Role.BEHEERDER, region=region)
    refused(user=user, role=Role.BEHEERDER, institution=region.institution)
    refused(user=user, role="superheld", region=region)


def test_database_refuses_the_same_role_twice(region, other_region):
    user = UserFactory()
    school = SchoolFactory()
    for scope in (
        {"role": Role.COORDINATOR, "region": region},
        {"role": Role.BEGELEIDER, "region": region},
        {"role": Role.SCHOOLLEIDER, "school": school},
        {"role": Role.MANAGER, "institution": region.institution},
        {"role": Role.BEHEERDER},
    ):
        RoleAssignment.objects.create(user=user, **scope)
        refused(user=user, **scope)
    # The same role elsewhere, or another user, is fine.
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, region=other_region)
    RoleAssignment.objects.create(user=UserFactory(), role=Role.BEHEERDER)
    assert RoleAssignment.objects.filter(user=user).count() == 6


def test_a_duplicate_role_is_a_dutch_form_error_not_a_crash(region):
    carla = coordinator_of(region)
    with pytest.raises(ValidationError, match="heeft deze rol hier al"):
        RoleAssignment(user=carla, role=Role.COORDINATOR, region=region).full_clean()


# --- role changes are shown to the region's coordinators ----------------------------


def descriptions(entries):
    return " ".join(e.description for e in entries)


def test_granting_and_withdrawing_a_role_shows_to_that_regions_coordinator_only(
    client, region, other_region, alice, bob, charlie
):
    acting = beheerder()
    jan = UserFactory(username="jan", first_name="Jan", last_name="Jansen")
    client.force_login(acting)
    client.post(
        reverse("admin:regions_roleassignment_add"),
        {"user": jan.pk, "role": Role.BEGELEIDER, "region": region.pk},
    )
    assignment = RoleAssignment.objects.get(user=jan)
    client.post(
        reverse("admin:regions_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert not RoleAssignment.objects.filter(user=jan).exists()

    client.force_login(alice)
    page = client.get(region.get_absolute_url()).content.decode()
    assert "Rolwijzigingen" in page
    assert f"Bea Beheerder gaf Jan Jansen de rol ambulant begeleider ({region.name})" in page
    assert f"Bea Beheerder nam Jan Jansen de rol ambulant begeleider ({region.name}) af" in page

    client.force_login(charlie)
    other_page = client.get(other_region.get_absolute_url()).content.decode()
    assert "Rolwijzigingen" in other_page
    assert "Jan Jansen" not in other_page
    assert "Jan Jansen" not in descriptions(role_changes(charlie, other_region))
    assert role_changes(charlie, region) == []

    # The manager reads the region, but who got which role is for coordinators.
    client.force_login(bob)
    manager_page = client.get(region.get_absolute_url()).content.decode()
    assert "Rolwijzigingen" not in manager_page and "Jan Jansen" not in manager_page


def test_school_and_institution_roles_reach_the_regions_of_their_scope(
    region, other_region, alice, charlie
):
    leader = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.SCHOOLLEIDER, school=school_in(region)
    )
    manager = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.MANAGER, institution=region.institution
    )
    seen_by_alice = {e.object_pk for e in role_changes(alice, region)}
    assert {str(leader.pk), str(manager.pk)} <= seen_by_alice
    seen_by_charlie = {e.object_pk for e in role_changes(charlie, other_region)}
    assert not {str(leader.pk), str(manager.pk)} & seen_by_charlie


def test_moving_a_role_to_another_region_tells_both(region, other_region, alice, charlie):
    moved = RoleAssignment.objects.create(user=UserFactory(), role=Role.BEGELEIDER, region=region)
    moved.region = other_region
    moved.save()

    def actions_on_moved(user, region):
        return [e.action for e in role_changes(user, region) if e.object_pk == str(moved.pk)]

    assert actions_on_moved(charlie, other_region) == [LogEntry.Action.UPDATE]
    assert sorted(actions_on_moved(alice, region)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]


# --- the first beheerder is made on the command line, without superuser rights -------


def test_create_beheerder_makes_staff_without_superuser_rights():
    call_command("create_beheerder", "bea")
    bea = get_user_model().objects.get(username="bea")
    assert bea.is_staff and not bea.is_superuser
    assert not bea.has_usable_password()
    assert bea.groups.filter(name=ADMIN_GROUP).exists()
    assert RoleAssignment.objects.filter(user=bea, role=Role.BEHEERDER).exists()
    assert not bea.has_perm("learners.view_pupil")
    assert bea.has_perm("regions.add_roleassignment")


def test_create_beheerder_takes_superuser_away_and_is_idempotent():
    UserFactory(username="root", is_staff=True, is_superuser=True)
    call_command("create_beheerder", "root")
    call_command("create_beheerder", "root")
    root = get_user_model().objects.get(username="root")
    assert root.is_staff and not root.is_superuser
    assert RoleAssignment.objects.filter(user=root).count() == 1


@pytest.mark.django_db(transaction=True)
def test_migration_tidies_existing_roles_without_changing_access():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("regions", "0002_levels")])
    old = executor.loader.project_state([("regions", "0002_levels")]).apps
    OldRole = old.get_model("regions", "RoleAssignment")
    user_id = old.get_model("auth", "User").objects.create(username="oud").pk
    region = old.get_model("regions", "Region").objects.create(
        name="Oud", institution=old.get_model("regions", "Institution").objects.create(slug="o")
    )
    OldRole.objects.create(user_id=user_id, role="coordinator", region=region)
    OldRole.objects.create(user_id=user_id, role="coordinator", region=region)  # twice
    OldRole.objects.create(user_id=user_id, role="begeleider")  # granted nothing
    OldRole.objects.create(user_id=user_id, role="beheerder", region=region)  # stray scope

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(
        RoleAssignment.objects.filter(user_id=user_id).values_list("role", "region_id")
    ) == [("beheerder", None), ("coordinator", region.pk)]


def test_who_has_access_follows_where_the_school_is_now(client, region, other_region, alice):
    """An attacker's route: grant a school leader role while the school sits in another
    region, then move the school back. The coordinator still sees who has access today."""
    school = school_in(other_region)
    puppet = UserFactory(first_name="Stil", last_name="Schaap")
    RoleAssignment.objects.grant_directly(user=puppet, role=Role.SCHOOLLEIDER, school=school)
    client.force_login(alice)
    assert "Stil Schaap" not in client.get(region.get_absolute_url()).content.decode()

    school.swv = region.swvs.first()
    school.gemeente = region.gemeenten.first()
    school.save()
    # Approved for the other region only: here it waits for this region's coordinator.
    page = client.get(region.get_absolute_url()).content.decode()
    assert "Stil Schaap" not in access_table(page)
    assert "Stil Schaap" in page.split('id="h-pending"', 1)[1].split('id="h-access"', 1)[0]
    role = RoleAssignment.objects.get(user=puppet)
    client.post(
        reverse("regions:role_decision", args=[region.pk, role.pk]), {"decision": "approve"}
    )
    page = client.get(region.get_absolute_url()).content.decode()
    assert "Stil Schaap" in access_table(page)
    # The other region keeps the grant in its history, but the role no longer reaches it.
    client.force_login(coordinator_of(other_region))
    assert "Stil Schaap" not in access_table(
        client.get(other_region.get_absolute_url()).content.decode()
    )


def access_table(page):
    return page.split('id="h-access"', 1)[1].split('id="h-changes"', 1)[0]


def test_what_regions_fill_in_is_read_only_for_the_admin(client, region):
    """A region's actions feed its plan: the functional admin reads them in admin and
    changes nothing there (the coordinators do, so every change lands in the history)."""
    from tests.toolkit.factories import RegionActionFactory

    action = RegionActionFactory(region=region, title="Eigen titel")
    client.force_login(beheerder())
    url = f"/beheer/toolkit/regionaction/{action.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Overschreven", "region": region.pk})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Eigen titel"
