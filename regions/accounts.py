"""Admin accounts, made on the command line only (Django admin cannot grant them).

A beheerder is a staff user, never a superuser, in the group "Functioneel beheer",
whose permissions cover content, partners, users and roles: never pupil data.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role, RoleAssignment

ADMIN_GROUP = "Functioneel beheer"
# The functional admin keeps content, partners and users, never pupil data.
ADMIN_APPS = ("regions", "toolkit", "initiatives", "checklists", "auth")


def ensure_admin_group():
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    return group


@transaction.atomic
def make_beheerder(user):
    """Staff in the admin group with the beheerder role; superuser status is taken away."""
    user.is_staff = True
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(ensure_admin_group())
    RoleAssignment.objects.grant_directly(user=user, role=Role.BEHEERDER)
    return user
