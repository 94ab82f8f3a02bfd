"""A school moving into another region puts its approved roles back before four eyes.

A school leader's approval covers the regions the school was in when approved
(RoleAssignment.approved_regions); get_scope ignores the role once the school reaches
another one. This module writes that moment into the audit trail, so the coordinators
of the new region read it under "Rolwijzigingen" (regions.selectors.role_changes).
A school moves when its SWV or municipality changes (form, admin, DUO import) or when a
region gains an SWV or municipality (region form, admin, SWV import).
"""

from django.db.models.signals import m2m_changed, post_save, pre_save

from .models import ROLES_NEEDING_APPROVAL, Region, RoleAssignment, School, school_region_ids


def uncovered_roles(school_ids) -> dict:
    """{approved school role: regions it reaches that its approval does not cover}."""
    roles = list(
        RoleAssignment.objects.filter(
            school_id__in=school_ids,
            approved_at__isnull=False,
            role__in=ROLES_NEEDING_APPROVAL,
        ).select_related("user", "school")
    )
    if not roles:
        return {}
    current = school_region_ids({role.school_id for role in roles})
    return {role: role.unapproved_region_ids(current[role.school_id]) for role in roles}


def log_newly_uncovered(before: dict, school_ids) -> None:
    from auditlog.models import LogEntry

    earlier = {role.pk: regions for role, regions in before.items()}
    for role, regions in uncovered_roles(school_ids).items():
        if regions - earlier.get(role.pk, set()):
            role._school_moved = True
            LogEntry.objects.log_create(role, action=LogEntry.Action.UPDATE, force_log=True)


def school_before_save(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._uncovered_before = uncovered_roles([instance.pk])


def school_after_save(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_uncovered_before", None)
    if before is not None:
        del instance._uncovered_before
        log_newly_uncovered(before, [instance.pk])


def region_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Region.swvs or Region.gemeenten changed, from either side."""
    column = "swv_id" if sender is Region.swvs.through else "gemeente_id"
    if action.startswith("pre_"):
        if reverse:  # an SWV or municipality gained or lost regions
            links = [instance.pk]
        elif pk_set is None:  # clear
            field = "swvs" if column == "swv_id" else "gemeenten"
            links = list(getattr(instance, field).values_list("pk", flat=True))
        else:
            links = list(pk_set)
        school_ids = list(
            School.objects.filter(**{f"{column}__in": links}).values_list("pk", flat=True)
        )
        instance._uncovered_before = (school_ids, uncovered_roles(school_ids) if school_ids else {})
    elif action.startswith("post_"):
        school_ids, before = getattr(instance, "_uncovered_before", ([], {}))
        if school_ids:
            log_newly_uncovered(before, school_ids)


def connect():
    pre_save.connect(school_before_save, sender=School, dispatch_uid="role_moves_pre")
    post_save.connect(school_after_save, sender=School, dispatch_uid="role_moves_post")
    for through in (Region.swvs.through, Region.gemeenten.through):
        m2m_changed.connect(
            region_links_changed, sender=through, dispatch_uid=f"role_moves_{through}"
        )
