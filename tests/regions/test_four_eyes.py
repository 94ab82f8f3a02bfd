"""Four eyes on roles: a role that opens pupil data, given in /beheer/, counts only once
someone else approved it, so a beheerder cannot make a sock puppet with pupil access.

Another beheerder approves in the admin (action "Goedkeuren"); a coordinator of a region
the role reaches approves or rejects on the region page. Nobody approves his own role or
his own grant. Command-line roles count at once.
"""

from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from regions.accounts import make_beheerder
from regions.models import ROLES_NEEDING_APPROVAL, Role, RoleAssignment
from regions.selectors import Scope, get_scope, pending_roles, role_changes
from tests.factories import UserFactory, coordinator_of, school_in
from tests.learners.factories import PupilFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-42"


def beheerder(first_name="Bea"):
    return make_beheerder(UserFactory(first_name=first_name, last_name="Beheerder"))


def fresh_scope(user):
    return get_scope(type(user).objects.get(pk=user.pk))


def grant_in_admin(client, acting, **fields):
    client.force_login(acting)
    response = client.post(reverse("admin:regions_roleassignment_add"), fields)
    assert response.status_code == 302, response.content[:2000]
    return RoleAssignment.objects.get(user=fields["user"], role=fields["role"])


def approve_in_admin(client, acting, assignment):
    client.force_login(acting)
    return client.post(
        reverse("admin:regions_roleassignment_changelist"),
        {"action": "approve", "_selected_action": [assignment.pk]},
        follow=True,
    )


def log_in(client, username):
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


# --- the sock puppet ----------------------------------------------------------------


def test_sock_puppet_sees_no_pupils_until_a_second_beheerder_approves(client, region):
    pupil = PupilFactory(region=region, current_school=school_in(region))
    bea = beheerder()
    client.force_login(bea)
    made = client.post(
        reverse("admin:auth_user_add"),
        {"username": "x", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert made.status_code == 302, made.content[:2000]
    x = get_user_model().objects.get(username="x")
    # The form's hidden extras cannot approve it either.
    role = grant_in_admin(
        client,
        bea,
        user=x.pk,
        role=Role.COORDINATOR,
        region=region.pk,
        approved_at="2020-01-01 00:00:00",
        approved_by=bea.pk,
    )
    assert role.is_pending and role.granted_by == bea and role.approved_by is None

    log_in(client, "x")
    assert client.get(reverse("learners:pupil_list")).status_code == 404
    assert client.get(reverse("learners:pupil_detail", args=[pupil.code])).status_code == 404

    approve_in_admin(client, beheerder("Ben"), role)
    role.refresh_from_db()
    assert not role.is_pending

    log_in(client, "x")
    assert client.get(reverse("learners:pupil_list")).status_code == 200
    assert client.get(reverse("learners:pupil_detail", args=[pupil.code])).status_code == 200


def test_a_pending_role_counts_for_nothing(region):
    school = school_in(region)
    for role, scope in [
        (Role.COORDINATOR, {"region": region}),
        (Role.BEGELEIDER, {"region": region}),
        (Role.SCHOOLLEIDER, {"school": school}),
        (Role.BEHEERDER, {}),
    ]:
        user = UserFactory()
        RoleAssignment.objects.create(user=user, role=role, granted_by=UserFactory(), **scope)
        # Every part of the scope is empty: the role adds nothing until approved.
        assert fresh_scope(user) == Scope(user_id=user.pk), role


def test_the_manager_role_needs_no_approval(region):
    """The manager sees rounded figures only, never pupils: his role counts at once."""
    assert Role.MANAGER not in ROLES_NEEDING_APPROVAL
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.MANAGER, institution=region.institution)
    assert region.pk in fresh_scope(user).manager_regions
    assert not fresh_scope(user).may_list_pupils


# --- who may approve ----------------------------------------------------------------


def test_the_granter_cannot_approve_his_own_grant(client, region):
    bea = beheerder()
    jan = UserFactory()
    role = grant_in_admin(client, bea, user=jan.pk, role=Role.COORDINATOR, region=region.pk)

    page = approve_in_admin(client, bea, role).content.decode()

    assert "Niet goedgekeurd" in page
    role.refresh_from_db()
    assert role.is_pending
    assert region.pk not in fresh_scope(jan).coordinator_regions


def test_nobody_approves_a_role_for_himself(client, region):
    """A beheerder given a (pending) coordinator role cannot approve it, in the admin or as
    a coordinator of the region."""
    bea, ben = beheerder(), beheerder("Ben")
    coordinator = RoleAssignment.objects.grant_directly(
        user=ben, role=Role.COORDINATOR, region=region
    )
    role = grant_in_admin(client, bea, user=ben.pk, role=Role.BEGELEIDER, region=region.pk)
    assert coordinator.approved_at

    approve_in_admin(client, ben, role)
    role.refresh_from_db()
    assert role.is_pending
    client.force_login(ben)
    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    role.refresh_from_db()
    assert role.is_pending


def test_a_second_beheerder_approves_in_the_admin(client, region):
    bea, ben = beheerder(), beheerder("Ben")
    jan = UserFactory()
    role = grant_in_admin(client, bea, user=jan.pk, role=Role.COORDINATOR, region=region.pk)

    pending_list = client.get(
        reverse("admin:regions_roleassignment_changelist"), {"goedkeuring": "wacht"}
    ).content.decode()
    assert jan.username in pending_list and "wacht op goedkeuring" in pending_list

    change_page = client.get(reverse("admin:regions_roleassignment_change", args=[role.pk]))
    assert change_page.status_code == 200
    assert 'name="approved_at"' not in change_page.content.decode()

    page = approve_in_admin(client, ben, role).content.decode()
    assert "1 rol goedgekeurd" in page
    role.refresh_from_db()
    assert (role.approved_by, role.granted_by) == (ben, bea) and role.approved_at
    assert region.pk in fresh_scope(jan).coordinator_regions
    assert (
        jan.username
        not in client.get(
            reverse("admin:regions_roleassignment_changelist"), {"goedkeuring": "wacht"}
        ).content.decode()
    )


def test_a_pending_beheerder_cannot_approve(client, region):
    """A second beheerder made on the web could be a puppet too: his role waits as well,
    and while it waits he approves nothing."""
    bea = beheerder()
    puppet = UserFactory(is_staff=True)
    puppet.groups.set(bea.groups.all())
    beheer_role = grant_in_admin(client, bea, user=puppet.pk, role=Role.BEHEERDER)
    assert beheer_role.is_pending
    jan = UserFactory()
    role = grant_in_admin(client, bea, user=jan.pk, role=Role.COORDINATOR, region=region.pk)

    approve_in_admin(client, puppet, role)

    role.refresh_from_db()
    assert role.is_pending
    assert not fresh_scope(puppet).is_beheerder


# --- changes reset approval ----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"role": Role.BEGELEIDER},
        {"region": "other"},
        {"user": "other"},
    ],
)
def test_changing_user_role_or_scope_in_the_admin_resets_approval(
    client, region, other_region, change
):
    bea = beheerder()
    jan = UserFactory()
    role = RoleAssignment.objects.grant_directly(user=jan, role=Role.COORDINATOR, region=region)
    data = {"user": jan.pk, "role": Role.COORDINATOR, "region": region.pk}
    data.update(change)
    if data["region"] == "other":
        data["region"] = other_region.pk
    if data["user"] == "other":
        data["user"] = UserFactory().pk
    client.force_login(bea)

    response = client.post(reverse("admin:regions_roleassignment_change", args=[role.pk]), data)

    assert response.status_code == 302, response.content[:2000]
    role.refresh_from_db()
    assert role.is_pending and role.approved_by is None and role.granted_by == bea


def test_saving_a_role_unchanged_keeps_its_approval(client, region):
    jan = UserFactory()
    role = RoleAssignment.objects.grant_directly(user=jan, role=Role.COORDINATOR, region=region)
    client.force_login(beheerder())
    response = client.post(
        reverse("admin:regions_roleassignment_change", args=[role.pk]),
        {"user": jan.pk, "role": Role.COORDINATOR, "region": region.pk},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert not role.is_pending and role.granted_by is None


# --- the coordinator decides on the region page ---------------------------------------


def test_coordinator_approves_a_pending_role_of_his_region(client, region, alice):
    bea = beheerder()
    jan = UserFactory(first_name="Jan", last_name="Jansen")
    role = grant_in_admin(client, bea, user=jan.pk, role=Role.BEGELEIDER, region=region.pk)

    client.force_login(alice)
    page = client.get(region.get_absolute_url()).content.decode()
    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    assert "Wacht op goedkeuring" in page and url in page
    response = client.post(url, {"decision": "approve"})

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.approved_by == alice
    assert region.pk in fresh_scope(jan).begeleider_regions
    lines = [e.description for e in role_changes(alice, region)]
    assert lines[0] == (
        f"{alice.username} keurde de rol ambulant begeleider ({region.name}) van Jan Jansen goed"
    )
    assert lines[1] == (
        f"Bea Beheerder gaf Jan Jansen de rol ambulant begeleider ({region.name}); "
        "wacht op goedkeuring"
    )


def test_coordinator_rejects_a_pending_role(client, region, alice):
    bea = beheerder()
    jan = UserFactory(first_name="Jan", last_name="Jansen")
    role = grant_in_admin(client, bea, user=jan.pk, role=Role.COORDINATOR, region=region.pk)

    client.force_login(alice)
    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    assert client.post(url, {"decision": "reject"}).status_code == 302

    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    page = client.get(region.get_absolute_url()).content.decode()
    assert f"wees de rol AD-coördinator ({region.name}) voor Jan Jansen af" in page


def test_coordinator_decides_only_for_roles_reaching_his_region(
    client, region, other_region, alice, charlie
):
    bea = beheerder()
    role = grant_in_admin(
        client, bea, user=UserFactory().pk, role=Role.BEGELEIDER, region=region.pk
    )
    beheer_role = grant_in_admin(client, bea, user=UserFactory().pk, role=Role.BEHEERDER)
    client.force_login(charlie)
    for region_pk in (region.pk, other_region.pk):
        url = reverse("regions:role_decision", args=[region_pk, role.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 404
    # The beheerder role reaches no region: only another beheerder approves it.
    client.force_login(alice)
    url = reverse("regions:role_decision", args=[region.pk, beheer_role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    role.refresh_from_db()
    beheer_role.refresh_from_db()
    assert role.is_pending and beheer_role.is_pending
    # The rule itself, not only the page that offers it.
    assert not fresh_scope(charlie).can_approve_role(role)
    assert not fresh_scope(alice).can_approve_role(beheer_role)
    assert fresh_scope(alice).can_approve_role(role)


def test_a_decision_without_approve_or_reject_changes_nothing(client, region, alice):
    role = grant_in_admin(
        client, beheerder(), user=UserFactory().pk, role=Role.BEGELEIDER, region=region.pk
    )
    client.force_login(alice)
    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    response = client.post(url, {"decision": "misschien"})
    assert response.status_code == 400
    assert "Kies goedkeuren of afwijzen" in response.content.decode()
    role.refresh_from_db()
    assert role.is_pending


def test_a_coordinator_who_granted_on_the_command_line_is_fine_but_not_his_own_grant(region, alice):
    """The granter is never the approver, whatever his role."""
    role = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.BEGELEIDER, region=region, granted_by=alice
    )
    assert not fresh_scope(alice).can_approve_role(role)
    assert fresh_scope(coordinator_of(region)).can_approve_role(role)


# --- the command line is trusted ------------------------------------------------------


def test_command_line_roles_count_at_once(region):
    from django.core.management import call_command

    call_command("create_beheerder", "bea")
    bea = get_user_model().objects.get(username="bea")
    assert not RoleAssignment.objects.get(user=bea).is_pending
    assert fresh_scope(bea).is_beheerder
    assert not fresh_scope(coordinator_of(region)).can_approve_role(
        RoleAssignment.objects.get(user=bea)
    )


def test_create_beheerder_approves_a_pending_beheerder_role(client):
    from django.core.management import call_command

    ben = UserFactory(username="ben")
    role = grant_in_admin(client, beheerder(), user=ben.pk, role=Role.BEHEERDER)
    assert role.is_pending
    call_command("create_beheerder", "ben")
    role.refresh_from_db()
    assert not role.is_pending


@contextmanager
def before_migration(name):
    """The models as they were before the regions migration `name`, with a user "oud" and
    a region "Oud"; leaving the block runs every migration again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("regions", name)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user_id = old.get_model("auth", "User").objects.create(username="oud").pk
    region = old.get_model("regions", "Region").objects.create(
        name="Oud", institution=old.get_model("regions", "Institution").objects.create(slug="o")
    )
    yield old, user_id, region
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_approves_the_roles_given_before_four_eyes():
    with before_migration("0004_postcode_validation") as (old, user_id, region):
        old.get_model("regions", "RoleAssignment").objects.create(
            user_id=user_id, role="coordinator", region=region
        )

    role = RoleAssignment.objects.get(user_id=user_id)
    assert role.approved_at and role.approved_by is None and not role.is_pending
    assert region.pk in fresh_scope(role.user).coordinator_regions


def test_a_pending_begeleider_is_offered_nowhere(region):
    """Dropdowns and owner lists offer only roles in force, like the scope."""
    from learners.forms import ArrangementForm
    from tests.learners.factories import PupilFactory
    from toolkit.selectors import region_user_ids, region_users

    waiting = UserFactory(first_name="Wachtend")
    RoleAssignment.objects.create(user=waiting, role=Role.BEGELEIDER, region=region)
    approved = UserFactory(first_name="Goedgekeurd")
    RoleAssignment.objects.grant_directly(user=approved, role=Role.BEGELEIDER, region=region)
    form = ArrangementForm(pupil=PupilFactory(region=region), user=approved)
    offered = set(form.fields["begeleiders"].queryset)
    assert approved in offered and waiting not in offered
    assert approved in region_users(region) and waiting not in region_users(region)
    assert approved.pk in region_user_ids(region) and waiting.pk not in region_user_ids(region)


# --- a school role's approval covers the regions it reached (finding B) ----------------


def move(school, region, *, by=None):
    """As the beheerder does in the admin: the school's SWV and municipality of `region`."""
    from auditlog.context import set_actor

    with set_actor(by):
        school.swv = region.swvs.first()
        school.gemeente = region.gemeenten.first()
        school.save()


def sees_pupil(client, user, pupil):
    client.force_login(user)
    return client.get(reverse("learners:pupil_detail", args=[pupil.code])).status_code == 200


def test_another_regions_coordinator_cannot_approve_a_school_role_into_this_region(
    client, region, other_region, alice, charlie
):
    """The attack: move Het Baken (Havenstad) to Noordkust, give a puppet the school leader
    role there, let the Noordkust coordinator approve it, move the school back."""
    school = school_in(region, name="Het Baken College")
    pupil = PupilFactory(region=region, current_school=school)
    bea = beheerder()
    move(school, other_region, by=bea)
    puppet = UserFactory(first_name="Stil", last_name="Schaap")
    role = grant_in_admin(client, bea, user=puppet.pk, role=Role.SCHOOLLEIDER, school=school.pk)
    client.force_login(charlie)
    url = reverse("regions:role_decision", args=[other_region.pk, role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert sees_pupil(client, puppet, PupilFactory(region=other_region, current_school=school))

    move(school, region, by=bea)

    assert school.pk not in fresh_scope(puppet).leader_schools
    assert not sees_pupil(client, puppet, pupil)
    # Havenstad's coordinators see it waiting, with the reason, and in their history.
    client.force_login(alice)
    page = client.get(region.get_absolute_url()).content.decode()
    waiting = page.split('id="h-pending"', 1)[1].split('id="h-access"', 1)[0]
    assert "Stil Schaap" in waiting and "school is naar een andere regio verhuisd" in waiting
    assert "Stil Schaap" not in page.split('id="h-access"', 1)[1].split('id="h-changes"', 1)[0]
    assert role_changes(alice, region)[0].description == (
        f"De school van Stil Schaap (rol schoolleider, {school.name}) is naar een andere regio "
        "verhuisd door Bea Beheerder; de rol wacht daar op goedkeuring"
    )
    # Noordkust's coordinator decides nothing here any more; the granter neither.
    assert not fresh_scope(charlie).can_approve_role(role)
    assert not fresh_scope(bea).can_approve_role(role)

    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert sees_pupil(client, puppet, pupil)


def test_another_beheerder_may_approve_the_moved_school_role(client, region, other_region):
    school = school_in(other_region)
    pupil = PupilFactory(region=region, current_school=school)
    puppet = UserFactory()
    role = RoleAssignment.objects.grant_directly(user=puppet, role=Role.SCHOOLLEIDER, school=school)
    move(school, region)
    assert not sees_pupil(client, puppet, pupil)
    client.force_login(beheerder())
    pending = client.get(
        reverse("admin:regions_roleassignment_changelist"), {"goedkeuring": "wacht"}
    ).content.decode()
    assert puppet.username in pending and "school is naar een andere regio verhuisd" in pending

    assert "1 rol goedgekeurd" in approve_in_admin(client, beheerder("Ben"), role).content.decode()

    role.refresh_from_db()
    assert set(role.approved_regions) == {region.pk, other_region.pk}
    assert sees_pupil(client, puppet, pupil)


def test_a_school_reaching_a_second_region_waits_for_that_region_too(
    client, region, other_region, alice, charlie
):
    """A coordinator's approval covers his own regions: a school in two regions needs
    both (or a beheerder), so Noordkust cannot approve for Havenstad in one go."""
    school = school_in(region)
    school.gemeente = other_region.gemeenten.first()
    school.save()
    role = grant_in_admin(
        client, beheerder(), user=UserFactory().pk, role=Role.SCHOOLLEIDER, school=school.pk
    )
    client.force_login(charlie)
    url = reverse("regions:role_decision", args=[other_region.pk, role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    role.refresh_from_db()
    assert role.approved_regions == [other_region.pk]
    assert school.pk not in fresh_scope(role.user).leader_schools
    assert fresh_scope(alice).can_approve_role(role)

    client.force_login(alice)
    url = reverse("regions:role_decision", args=[region.pk, role.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert school.pk in fresh_scope(role.user).leader_schools


def test_a_school_moving_within_its_approved_regions_keeps_the_role(region, alice):
    from tests.factories import SwvFactory

    second_swv = SwvFactory()
    region.swvs.add(second_swv)
    school = school_in(region)
    leader = UserFactory()
    RoleAssignment.objects.grant_directly(user=leader, role=Role.SCHOOLLEIDER, school=school)

    school.swv = second_swv
    school.save()

    assert school.pk in fresh_scope(leader).leader_schools
    assert not [e for e in role_changes(alice, region) if "verhuisd" in e.description]


def test_a_region_gaining_the_schools_swv_makes_the_role_wait(region, other_region, charlie):
    """The school can also "move" by the region: an SWV added to another region."""
    school = school_in(region)
    leader = UserFactory(first_name="Lies")
    RoleAssignment.objects.grant_directly(user=leader, role=Role.SCHOOLLEIDER, school=school)

    other_region.swvs.add(school.swv)

    assert school.pk not in fresh_scope(leader).leader_schools
    assert [a.user for a in pending_roles(charlie, other_region)] == [leader]
    assert "verhuisd" in role_changes(charlie, other_region)[0].description


def test_a_leaders_scope_takes_the_same_queries_for_one_school_or_many(region, other_region):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_scope(n_schools):
        leader = UserFactory()
        for i in range(n_schools):
            school = school_in(region if i % 2 else other_region)
            RoleAssignment.objects.grant_directly(
                user=leader, role=Role.SCHOOLLEIDER, school=school
            )
        with CaptureQueriesContext(connection) as context:
            scope = fresh_scope(leader)
        assert len(scope.leader_schools) == n_schools
        return len(context)

    assert queries_for_scope(1) == queries_for_scope(6)


@pytest.mark.django_db(transaction=True)
def test_migration_covers_the_regions_approved_roles_reach_today():
    with before_migration("0005_role_approval") as (old, user_id, region):
        swv = old.get_model("regions", "Samenwerkingsverband").objects.create(
            code="VO 99-01", name="Oud", sector="VO"
        )
        region.swvs.add(swv)
        school = old.get_model("regions", "School").objects.create(
            brin="99AA", vestigingsnummer="00", name="Oud", sector="vo", swv=swv
        )
        old.get_model("regions", "RoleAssignment").objects.create(
            user_id=user_id, role="schoolleider", school=school, approved_at="2025-01-01T00:00Z"
        )

    role = RoleAssignment.objects.get(user_id=user_id)
    assert role.approved_regions == [region.pk]
    assert school.pk in fresh_scope(role.user).leader_schools
