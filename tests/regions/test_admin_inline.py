"""Roles on the user's admin page (RoleAssignmentInline), under the issue-7 rules."""

import pytest
from django.urls import reverse

from regions.accounts import make_beheerder
from regions.models import Role, RoleAssignment
from tests.factories import UserFactory, coordinator_of

pytestmark = pytest.mark.django_db

PREFIX = "role_assignments"


def beheerder():
    return make_beheerder(UserFactory(first_name="Bea", last_name="Beheerder"))


def user_page(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def user_form(user, roles=(), new=()):
    """The POST of the user's page: the account as it is, `roles` (existing role, changes)
    and `new` role dicts in the inline."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        f"{PREFIX}-TOTAL_FORMS": str(len(roles) + len(new)),
        f"{PREFIX}-INITIAL_FORMS": str(len(roles)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    rows = [({"id": r.pk, "user": user.pk, **changes}, r) for r, changes in roles]
    rows += [({"user": user.pk, **fields}, None) for fields in new]
    for i, (fields, role) in enumerate(rows):
        if role is not None:
            fields = {
                "role": role.role,
                "institution": role.institution_id or "",
                "region": role.region_id or "",
                "school": role.school_id or "",
                **fields,
            }
        for name, value in fields.items():
            data[f"{PREFIX}-{i}-{name}"] = value
    return data


def test_the_users_page_shows_and_edits_the_roles(client, region):
    jan = coordinator_of(region)
    client.force_login(beheerder())
    page = client.get(user_page(jan))
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0]
    assert formset.formset.prefix == PREFIX
    assert formset.has_add_permission and formset.has_change_permission
    # The four-eyes fields are shown, never editable.
    form = formset.formset.forms[0]
    assert {"granted_by", "approved_by", "approved_at"}.isdisjoint(form.fields)


def test_a_role_added_on_the_users_page_records_who_gave_it_and_waits(client, region):
    acting = beheerder()
    jan = UserFactory()
    client.force_login(acting)
    response = client.post(
        user_page(jan), user_form(jan, new=[{"role": Role.COORDINATOR, "region": region.pk}])
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    role = RoleAssignment.objects.get(user=jan)
    assert (role.role, role.region, role.granted_by) == (Role.COORDINATOR, region, acting)
    assert role.is_pending  # four eyes: someone else approves
    assert not RoleAssignment.objects.in_force().filter(user=jan).exists()


def test_the_approval_fields_cannot_be_posted(client, region):
    acting = beheerder()
    jan = UserFactory()
    client.force_login(acting)
    forged = {
        "role": Role.COORDINATOR,
        "region": region.pk,
        "approved_by": acting.pk,
        "approved_at": "2025-01-01 10:00",
        "granted_by": "",
    }
    client.post(user_page(jan), user_form(jan, new=[forged]))
    role = RoleAssignment.objects.get(user=jan)
    assert role.approved_at is None and role.approved_by is None and role.granted_by == acting


def test_changing_a_role_on_the_users_page_drops_its_approval(client, region, other_region):
    acting = beheerder()
    jan = coordinator_of(region)
    role = RoleAssignment.objects.get(user=jan)
    assert not role.is_pending
    client.force_login(acting)
    response = client.post(
        user_page(jan), user_form(jan, roles=[(role, {"region": other_region.pk})])
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.region == other_region and role.is_pending and role.granted_by == acting


def test_an_unchanged_role_keeps_its_approval_and_grantor(client, region):
    jan = coordinator_of(region)
    role = RoleAssignment.objects.get(user=jan)
    client.force_login(beheerder())
    client.post(user_page(jan), user_form(jan, roles=[(role, {})]))
    role.refresh_from_db()
    assert not role.is_pending and role.granted_by is None


def test_the_own_page_shows_the_roles_read_only(client):
    acting = beheerder()
    client.force_login(acting)
    formset = client.get(user_page(acting)).context["inline_admin_formsets"][0]
    assert not formset.has_add_permission
    assert not formset.has_change_permission
    assert not formset.has_delete_permission


def test_the_beheerder_cannot_give_himself_a_role_through_his_own_page(client, region):
    acting = beheerder()
    own = RoleAssignment.objects.get(user=acting)
    client.force_login(acting)
    forged = user_form(
        acting,
        roles=[(own, {"role": Role.COORDINATOR, "region": region.pk})],
        new=[{"role": Role.COORDINATOR, "region": region.pk}],
    )
    client.post(user_page(acting), forged)
    assert list(RoleAssignment.objects.filter(user=acting).values_list("role", "region")) == [
        (Role.BEHEERDER, None)
    ]


def test_the_same_role_twice_is_a_form_error_not_a_crash(client, region):
    jan = coordinator_of(region)
    role = RoleAssignment.objects.get(user=jan)
    client.force_login(beheerder())
    twice = {"role": Role.COORDINATOR, "region": region.pk}
    response = client.post(user_page(jan), user_form(jan, roles=[(role, {})], new=[twice, twice]))
    assert response.status_code == 200
    assert RoleAssignment.objects.filter(user=jan).count() == 1


def test_a_stored_role_left_out_of_a_forged_post_and_added_again_is_a_form_error(client, region):
    """A forged POST without the stored row (INITIAL_FORMS=0) that adds the same role as
    new: refused as a form error, never the database's IntegrityError (a 500)."""
    jan = coordinator_of(region)
    client.force_login(beheerder())
    again = {"role": Role.COORDINATOR, "region": region.pk}
    response = client.post(user_page(jan), user_form(jan, new=[again]))
    assert response.status_code == 200
    assert "Deze gebruiker heeft deze rol al." in response.content.decode()
    assert RoleAssignment.objects.filter(user=jan).count() == 1
