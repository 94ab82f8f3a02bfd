"""Writes that touch several models: four eyes on roles (imports: regions.imports)."""

# --- four eyes on roles ------------------------------------------------------------


def approve_role(assignment, *, by) -> None:
    """A second person approves a pending role; from now on it counts (get_scope)."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from .selectors import get_scope

    scope = get_scope(by)
    if not scope.can_approve_role(assignment):
        raise PermissionDenied
    # The approval covers the regions the approver answers for, as the role reaches
    # them now: a coordinator his own, a beheerder all. A school moving elsewhere later
    # makes the role wait for that region (RoleAssignment.unapproved_region_ids).
    reached = assignment.region_ids()
    covered = reached if scope.is_beheerder else reached & scope.coordinator_regions
    assignment.approved_regions = sorted(set(assignment.approved_regions or []) | covered)
    assignment.approved_by = by
    assignment.approved_at = timezone.now()
    assignment.save(update_fields=["approved_by", "approved_at", "approved_regions"])


def reject_role(assignment, *, by) -> None:
    """A second person refuses a pending role: it is deleted, and the audit entry of the
    deletion says it was rejected (shown under "Rolwijzigingen")."""
    from django.core.exceptions import PermissionDenied

    from .selectors import get_scope

    if not get_scope(by).can_approve_role(assignment):
        raise PermissionDenied
    assignment._rejected = True
    assignment.delete()
