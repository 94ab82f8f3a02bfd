"""The one place that decides what a user may see and change.

Every view gets its objects through these functions: objects outside the user's
scope answer 404, read-only users get PermissionDenied (403) on writes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    AuditRegion,
    Gemeente,
    Region,
    Role,
    RoleAssignment,
    Samenwerkingsverband,
    School,
    Schoolbestuur,
    school_region_ids,
)

RegionSwv = Region.swvs.through
RegionGemeente = Region.gemeenten.through


@dataclass(frozen=True)
class Scope:
    """What one user's role assignments add up to; computed once per request."""

    coordinator_regions: frozenset = field(default_factory=frozenset)
    begeleider_regions: frozenset = field(default_factory=frozenset)
    manager_regions: frozenset = field(default_factory=frozenset)
    leader_schools: frozenset = field(default_factory=frozenset)
    is_beheerder: bool = False
    user_id: int | None = None

    @property
    def readable_regions(self) -> frozenset:
        return self.coordinator_regions | self.begeleider_regions | self.manager_regions

    @property
    def sees_all_partners(self) -> bool:
        # The functional admin keeps partner data (imports) but never pupils.
        return self.is_beheerder

    # --- regions and partners ------------------------------------------------------

    def can_read_region(self, region_id) -> bool:
        return self.sees_all_partners or region_id in self.readable_regions

    def can_edit_region(self, region_id) -> bool:
        return region_id in self.coordinator_regions

    def can_see_role_changes(self, region_id) -> bool:
        # Who got which role is for the region's coordinators, not its readers.
        return region_id in self.coordinator_regions

    def can_approve_role(self, assignment) -> bool:
        """Four eyes: a pending role is approved (or rejected) by another beheerder, or by a
        coordinator of a region the role reaches and no approval covers yet (a school
        role whose school moved waits for the new region); never by its holder or by who
        granted it."""
        if self.user_id is None or self.user_id in (assignment.user_id, assignment.granted_by_id):
            return False
        if not assignment.awaits_approval():
            return False
        return self.is_beheerder or bool(
            assignment.unapproved_region_ids() & self.coordinator_regions
        )

    @property
    def may_list_partners(self) -> bool:
        """The lists of regions, SWVs and municipalities: only for someone with a region
        (or the admin); a school leader has none and gets 404, not an empty list."""
        return self.sees_all_partners or bool(self.readable_regions)

    @property
    def may_list_schools(self) -> bool:
        return self.may_list_partners or bool(self.leader_schools)

    @property
    def can_import(self) -> bool:
        """DUO import and new schools or SWVs: coordinators (for their regions) and the
        admin (nationally)."""
        return bool(self.coordinator_regions) or self.is_beheerder

    def can_edit_school(self, school) -> bool:
        if self.is_beheerder:
            return True
        if not self.coordinator_regions:
            return False
        return School.objects.filter(
            _region_filter(self.coordinator_regions), pk=school.pk
        ).exists()

    def can_edit_swv(self, swv) -> bool:
        return self._edits_linked(RegionSwv, samenwerkingsverband_id=swv.pk)

    def can_edit_gemeente(self, gemeente) -> bool:
        return self._edits_linked(RegionGemeente, gemeente_id=gemeente.pk)

    def _edits_linked(self, link, **partner) -> bool:
        """The admin, or a coordinator of a region the partner is linked to."""
        return self.is_beheerder or (
            bool(self.coordinator_regions)
            and link.objects.filter(region_id__in=self.coordinator_regions, **partner).exists()
        )

    # --- checklists (regions does not import checklists: rules take ids) ----------

    def can_fill_checklist(self, school_id) -> bool:
        """Answer and submit a school's checklist: the school's own leader only."""
        return school_id in self.leader_schools

    def can_manage_checklists(self, region_id) -> bool:
        """Assign a region's checklists and reopen a submitted one: its coordinator."""
        return region_id in self.coordinator_regions

    # --- pupils (regions does not import learners: rules take the pupil's ids) -----

    @property
    def may_list_pupils(self) -> bool:
        """The pupil list: coordinator, begeleider and school leader; a manager sees
        figures only and the admin never sees pupils."""
        return bool(self.coordinator_regions or self.begeleider_regions or self.leader_schools)

    @property
    def may_see_deadlines(self) -> bool:
        """Deadlines are the work of the coordinator and the begeleider."""
        return bool(self.coordinator_regions or self.begeleider_regions)

    @property
    def may_see_figures(self) -> bool:
        return bool(self.readable_regions or self.leader_schools)

    @property
    def figures_regions(self) -> frozenset:
        """Regions whose figures this user may open (the region tab "Cijfers")."""
        return self.readable_regions

    @property
    def may_import_pupils(self) -> bool:
        return bool(self.coordinator_regions)

    @property
    def may_export_pupils(self) -> bool:
        return bool(self.coordinator_regions)

    @property
    def may_see_pupil_names(self) -> bool:
        """A names column in lists: only roles that see some pupils' identity."""
        return bool(self.coordinator_regions or self.begeleider_regions)

    @property
    def access_log_regions(self) -> frozenset:
        return self.coordinator_regions

    def may_see_access_log(self, region_id) -> bool:
        return region_id in self.access_log_regions

    def can_edit_pupil(self, pupil) -> bool:
        """The pupil's record itself (and decisions, arrangements, placements, duty of
        care, handovers): the coordinator of the pupil's region only."""
        return pupil.region_id in self.coordinator_regions

    def sees_pupil_identity(self, pupil, *, assigned: bool) -> bool:
        """Name, date of birth, diagnosis, notes and conversations: the coordinator of
        the region, and a begeleider of the region while `assigned` to the pupil (the
        caller knows the arrangements; regions does not)."""
        return pupil.region_id in self.coordinator_regions or (
            assigned and pupil.region_id in self.begeleider_regions
        )

    def can_record_for_pupil(self, pupil, *, assigned: bool) -> bool:
        """Check-ins, consultations and conversations: whoever sees the identity."""
        return self.sees_pupil_identity(pupil, assigned=assigned)


EMPTY_SCOPE = Scope()


def get_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_route_scope", None)
    if cached is not None:
        return cached
    coordinator, begeleider, leader, institutions = set(), set(), set(), set()
    is_beheerder = False
    leader_approved = {}
    # Only roles in force: one granted on the web counts once a second person approved it.
    for role, region_id, school_id, institution_id, approved_regions in (
        RoleAssignment.objects.in_force()
        .filter(user=user)
        .values_list("role", "region_id", "school_id", "institution_id", "approved_regions")
    ):
        if role == Role.SCHOOLLEIDER and school_id:
            leader_approved[school_id] = set(approved_regions or [])
            continue
        if role == Role.COORDINATOR and region_id:
            coordinator.add(region_id)
        elif role == Role.BEGELEIDER and region_id:
            begeleider.add(region_id)
        elif role == Role.MANAGER and institution_id:
            institutions.add(institution_id)
        elif role == Role.BEHEERDER:
            is_beheerder = True
    if leader_approved:
        # A school that moved into a region its approval did not cover does not count
        # until a coordinator there approves (one query for all the leader's schools).
        current = school_region_ids(leader_approved)
        leader = {pk for pk, approved in leader_approved.items() if current[pk] <= approved}
    manager = set()
    if institutions:
        manager = set(
            Region.objects.filter(institution_id__in=institutions).values_list("pk", flat=True)
        )
    scope = Scope(
        coordinator_regions=frozenset(coordinator),
        begeleider_regions=frozenset(begeleider),
        manager_regions=frozenset(manager),
        leader_schools=frozenset(leader),
        is_beheerder=is_beheerder,
        user_id=user.pk,
    )
    user._route_scope = scope
    return scope


# --- regions -----------------------------------------------------------------


def regions_for(user):
    scope = get_scope(user)
    qs = Region.objects.select_related("institution")
    if scope.sees_all_partners:
        return qs
    return qs.filter(pk__in=scope.readable_regions)


def editable_regions(user):
    """Regions whose pupils and partners this user may change (form choices)."""
    return Region.objects.filter(pk__in=get_scope(user).coordinator_regions)


def get_region_for_user(user, pk, *, write=False) -> Region:
    """A region the user may see (404 otherwise); with write=True also may change (403)."""
    return _get_for(regions_for(user), pk, write and get_scope(user).can_edit_region, "pk")


def _get_for(queryset, pk, may_edit=None, of="self"):
    """One object of the user's queryset (404 otherwise); with `may_edit` (a Scope
    check) also one they may change (403 otherwise)."""
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if may_edit and not may_edit(obj if of == "self" else obj.pk):
        raise PermissionDenied
    return obj


# --- partners ----------------------------------------------------------------


def _region_filter(ids):
    """Schools belong to a region through their SWV or their municipality."""
    return Q(
        swv_id__in=RegionSwv.objects.filter(region_id__in=ids).values("samenwerkingsverband_id")
    ) | Q(gemeente_id__in=RegionGemeente.objects.filter(region_id__in=ids).values("gemeente_id"))


def schools_for(user):
    scope = get_scope(user)
    qs = School.objects.select_related("swv", "gemeente", "bestuur")
    if scope.sees_all_partners:
        return qs
    condition = Q(pk__in=scope.leader_schools)
    if scope.readable_regions:
        condition |= _region_filter(scope.readable_regions)
    return qs.filter(condition)


def schools_in_region(region):
    return School.objects.select_related("swv", "gemeente", "bestuur").filter(
        _region_filter([region.pk])
    )


def get_school_for_user(user, pk, *, write=False) -> School:
    return _get_for(schools_for(user), pk, write and get_scope(user).can_edit_school)


def _linked_for(user, model, link, column):
    """Partners linked to a region the user reads (all of them for who sees all)."""
    scope = get_scope(user)
    if scope.sees_all_partners:
        return model.objects.all()
    linked = link.objects.filter(region_id__in=scope.readable_regions).values(column)
    return model.objects.filter(pk__in=linked)


def swvs_for(user):
    return _linked_for(user, Samenwerkingsverband, RegionSwv, "samenwerkingsverband_id")


def get_swv_for_user(user, pk, *, write=False) -> Samenwerkingsverband:
    return _get_for(swvs_for(user), pk, write and get_scope(user).can_edit_swv)


def gemeenten_for(user):
    return _linked_for(user, Gemeente, RegionGemeente, "gemeente_id")


def boards_for(user):
    """School boards of the schools the user may see (all of them for the admin)."""
    qs = Schoolbestuur.objects.order_by("name")
    if get_scope(user).sees_all_partners:
        return qs
    return qs.filter(pk__in=schools_for(user).values("bestuur_id"))


def link_regions(*, swv=None, gemeente=None) -> set:
    """Ids of the regions a school with this SWV and municipality belongs to."""
    ids = set()
    if swv:
        ids |= set(
            RegionSwv.objects.filter(samenwerkingsverband=swv).values_list("region_id", flat=True)
        )
    if gemeente:
        ids |= set(
            RegionGemeente.objects.filter(gemeente=gemeente).values_list("region_id", flat=True)
        )
    return ids


def get_gemeente_for_user(user, pk, *, write=False) -> Gemeente:
    try:
        gemeente = gemeenten_for(user).get(pk=pk)
    except (Gemeente.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not get_scope(user).can_edit_gemeente(gemeente):
        raise PermissionDenied
    return gemeente


# --- audit trail ---------------------------------------------------------------


def recent_changes(user, *, limit=10, region=None, days=None):
    """Audit entries on partner data and region work the user may see, newest first.

    Region-bound records put their region id in the entry's additional_data (see
    `get_additional_data` on those models); AuditRegion holds it in an indexed column, so
    the newest entries of the regions are found without walking the log. Changes to the
    region's schools, SWVs and the region itself are found by object, per kind; the page
    shows the newest `limit` of both.
    """
    from datetime import timedelta

    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from .pupil_data import pupil_data_content_types

    scope = get_scope(user)
    region_ids = [region.pk] if region else list(scope.readable_regions)
    # Pupil records of any app (learners, a transition plan's cohort, ...) never show here.
    pupil_data = pupil_data_content_types()
    since = timezone.now() - timedelta(days=days) if days else None
    if not region and scope.sees_all_partners:
        # The functional admin sees partner and content changes, never pupil records.
        entries = LogEntry.objects.exclude(content_type__in=pupil_data)
        if since:
            entries = entries.filter(timestamp__gte=since)
        return list(entries.select_related("actor", "content_type").order_by("-timestamp")[:limit])
    cts = ContentType.objects.get_for_models(School, Samenwerkingsverband, Region)
    visible_schools = schools_in_region(region) if region else schools_for(user)
    visible_swvs = Samenwerkingsverband.objects.filter(regions=region) if region else swvs_for(user)
    tagged = AuditRegion.objects.filter(region_id__in=region_ids).exclude(
        log_entry__content_type__in=pupil_data
    )
    # Each term can use the object_id index, so the database does not walk the log.
    by_object = (
        Q(content_type=cts[School], object_id__in=visible_schools.values("pk"))
        | Q(content_type=cts[Samenwerkingsverband], object_id__in=visible_swvs.values("pk"))
        | Q(content_type=cts[Region], object_id__in=region_ids)
    )
    if scope.leader_schools and not region:
        by_object |= Q(content_type=cts[School], object_id__in=scope.leader_schools)
    partners = LogEntry.objects.filter(by_object)
    if since:
        tagged = tagged.filter(timestamp__gte=since)
        partners = partners.filter(timestamp__gte=since)
    found = set(tagged.order_by("-timestamp").values_list("log_entry_id", flat=True)[:limit])
    found.update(partners.order_by("-timestamp").values_list("pk", flat=True)[:limit])
    return list(
        LogEntry.objects.filter(pk__in=found)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )


def role_changes(user, region, *, limit=20):
    """Roles granted, changed or withdrawn in the region, newest first, each with a
    readable line; only for the region's coordinators (see RoleAssignment.get_additional_data).
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not get_scope(user).can_see_role_changes(region.pk):
        return []
    entries = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(RoleAssignment),
            additional_data__role_regions__has_key=str(region.pk),
        )
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )
    for entry in entries:
        entry.description = describe_role_change(entry)
    return entries


def roles_with_access(user, region):
    """Every role in force that reaches the region now (its own, its schools' and its
    institution's), for its coordinators: who can look at this region's pupils today.
    Worked out from where schools are now, so a school moved in after a role was granted
    still shows its school leader here."""
    if not get_scope(user).can_see_role_changes(region.pk):
        return []
    assignments = list(
        RoleAssignment.objects.in_force()
        .filter(
            Q(region=region)
            | Q(school__in=schools_in_region(region).values("pk"))
            | Q(institution_id=region.institution_id)
        )
        .select_related("user", "region", "school", "institution", "approved_by")
        .order_by("role", "user__last_name", "user__username")
    )
    # A school role whose school moved beyond its approval waits (pending_roles), as in
    # get_scope.
    current = school_region_ids({a.school_id for a in assignments if a.school_id})
    return [
        a
        for a in assignments
        if not a.school_id or not a.unapproved_region_ids(current[a.school_id])
    ]


def pending_roles(user, region):
    """Roles waiting for approval that reach the region, for its coordinators; each with
    `can_approve` for this user (not for his own role or his own grant)."""
    scope = get_scope(user)
    if not scope.can_see_role_changes(region.pk):
        return []
    pending = [
        assignment
        for assignment in RoleAssignment.objects.pending()
        .select_related("user", "granted_by", "institution", "region", "school")
        .order_by("pk")
        if region.pk in assignment.region_ids()
    ]
    # Approved school roles whose school moved into this region: approved elsewhere only.
    moved = (
        RoleAssignment.objects.filter(
            approved_at__isnull=False, school__in=schools_in_region(region).values("pk")
        )
        .select_related("user", "granted_by", "institution", "region", "school")
        .order_by("pk")
    )
    pending += [a for a in moved if region.pk in a.unapproved_region_ids()]
    for assignment in pending:
        assignment.can_approve = scope.can_approve_role(assignment)
        granter = assignment.granted_by
        assignment.granter = (granter.get_full_name() or granter.get_username()) if granter else ""
    return pending


def get_pending_role_for_user(user, region, pk):
    """A pending role of the region this user may approve or reject; 404 for anything else
    (not pending, not of this region, or not this user's to decide)."""
    for assignment in pending_roles(user, region):
        if str(assignment.pk) == str(pk) and assignment.can_approve:
            return assignment
    raise Http404


def describe_role_change(entry) -> str:
    """'Bea gaf Jan de rol AD-coördinator (Regio X)' from one audit entry."""
    from auditlog.models import LogEntry

    data = entry.additional_data or {}
    role = data.get("role", "")
    params = {
        "actor": (entry.actor.get_full_name() or entry.actor.get_username())
        if entry.actor
        else _("het systeem"),
        "user": data.get("user", ""),
        "role": Role(role).label if role in Role.values else role,
        "scope": data.get("scope", ""),
    }
    approval = data.get("approval", "")
    if approval == "moved":
        return (
            _(
                "De school van %(user)s (rol %(role)s, %(scope)s) is naar een andere regio "
                "verhuisd door %(actor)s; de rol wacht daar op goedkeuring"
            )
            % params
        )
    if entry.action == LogEntry.Action.CREATE:
        if approval == "pending":
            return (
                _("%(actor)s gaf %(user)s de rol %(role)s (%(scope)s); wacht op goedkeuring")
                % params
            )
        return _("%(actor)s gaf %(user)s de rol %(role)s (%(scope)s)") % params
    if entry.action == LogEntry.Action.DELETE:
        if approval == "rejected":
            return _("%(actor)s wees de rol %(role)s (%(scope)s) voor %(user)s af") % params
        return _("%(actor)s nam %(user)s de rol %(role)s (%(scope)s) af") % params
    if approval == "approved":
        return _("%(actor)s keurde de rol %(role)s (%(scope)s) van %(user)s goed") % params
    if approval == "pending":
        return (
            _(
                "%(actor)s wijzigde een rol van %(user)s in %(role)s (%(scope)s); "
                "wacht op goedkeuring"
            )
            % params
        )
    return _("%(actor)s wijzigde een rol van %(user)s in %(role)s (%(scope)s)") % params
