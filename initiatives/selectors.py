"""What a user may see of initiatives, and the pupil figures behind one.

- coordinator of the region: reads and changes the region's initiatives;
- begeleider and manager of the region: read them;
- school leader: reads only the initiatives his school is a partner of;
- anyone else: 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from learners.models import Arrangement, CvoBesluit, PlacementCase
from learners.selectors import incoming_placements, pupils_for
from regions.selectors import get_scope
from toolkit.models import CooperationType, PracticeExample

from . import viability
from .models import Initiative, InitiativePartner

# --- initiatives ----------------------------------------------------------------------


def may_list_initiatives(user) -> bool:
    scope = get_scope(user)
    return bool(scope.readable_regions or scope.leader_schools)


def initiatives_for(user):
    scope = get_scope(user)
    condition = Q(region_id__in=scope.readable_regions)
    if scope.leader_schools:
        condition |= Q(
            pk__in=InitiativePartner.objects.filter(school_id__in=scope.leader_schools).values(
                "initiative_id"
            )
        )
    return Initiative.objects.filter(condition).select_related("region", "type")


def get_initiative_for_user(user, pk, *, write=False) -> Initiative:
    """An initiative the user may see (404 otherwise); with write=True also one he may
    change (403 for a reader)."""
    try:
        initiative = initiatives_for(user).select_related("municipality", "modelled_on").get(pk=pk)
    except (Initiative.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not get_scope(user).can_edit_region(initiative.region_id):
        raise PermissionDenied
    return initiative


def initiative_list(user):
    """The list: each initiative with its number of partners, one query."""
    return initiatives_for(user).annotate(n_partners=Count("partners")).order_by("name", "pk")


def partner_school_ids(initiative) -> list:
    return list(
        initiative.partners.filter(school__isnull=False).values_list("school_id", flat=True)
    )


def example_initial(slug) -> dict:
    """Form initial values for an initiative "modelled on" a practice example: the
    example itself, its cooperation form and its construction (404 for an unknown one)."""
    example = get_object_or_404(PracticeExample, slug=slug)
    initial = {"modelled_on": example.pk}
    kind = getattr(example, "type", None)
    if isinstance(kind, CooperationType):
        initial["type"] = kind.pk
    elif kind:
        # Older examples store the form as a choice ("school_in_school"): its slug.
        found = CooperationType.objects.filter(slug=str(kind).replace("_", "-")).first()
        if found:
            initial["type"] = found.pk
    # PracticeExample.construction comes with the practice-example library (issue 9).
    construction = getattr(example, "construction", "")
    if construction:
        initial["construction"] = construction
    return initial


# --- pupils in an initiative ----------------------------------------------------------


def may_count_pupils(user, initiative) -> bool:
    """Counts from pupil records only for who sees every pupil of the region: its
    coordinator. A begeleider, manager or school leader would learn a count of pupils
    hidden from him (a school leader of one partner school: those of the others), so
    they get the typed number only."""
    return initiative.region_id in get_scope(user).coordinator_regions


@dataclass
class PupilFigures:
    typed: int | None
    minimum: int | None
    may_count: bool = False
    uses_records: bool = False
    now: int | None = None  # active pupils at the partner schools
    incoming: int | None = None  # open placements heading there
    outlook: list = field(default_factory=list)

    @property
    def counted(self):
        return None if self.now is None else self.now + self.incoming

    @property
    def number(self):
        """The number the page uses: counted from records, or the typed one."""
        return self.counted if self.uses_records else self.typed

    @property
    def below_minimum(self) -> bool:
        return self.number is not None and self.minimum is not None and self.number < self.minimum

    @property
    def outlook_below(self) -> bool:
        return any(year.below_minimum for year in self.outlook)


def pupil_figures(user, initiative, *, today=None) -> PupilFigures:
    """Typed and counted pupils and the outlook of the next two school years. Counted
    from records only for the region's coordinator, and only where the region keeps
    pupil records and the initiative has partner schools."""
    figures = PupilFigures(typed=initiative.pupils_typed, minimum=initiative.viability_minimum)
    if not may_count_pupils(user, initiative):
        return figures
    figures.may_count = True
    today = today or timezone.localdate()
    schools = partner_school_ids(initiative)
    visible = pupils_for(user).filter(is_active=True)
    now = list(visible.filter(current_school_id__in=schools).values_list("pk", "transition_date"))
    now_ids = {pk for pk, _t in now}
    incoming = list(
        incoming_placements(schools)
        .filter(pupil__in=visible.values("pk"))
        .exclude(pupil_id__in=now_ids)
        .values_list("pupil_id", "expected_start", "pupil__transition_date")
    )
    figures.now, figures.incoming = len(now), len({pupil for pupil, *_rest in incoming})
    figures.uses_records = bool(schools) and (
        bool(now or incoming) or visible.filter(region_id=initiative.region_id).exists()
    )
    starts = viability.school_year_starts(today)
    figures.outlook = viability.outlook(
        _stays(now, incoming, schools, starts[0]), starts, initiative.viability_minimum
    )
    return figures


def _stays(now, incoming, schools, next_year):
    """One viability.Stay per pupil, from his arrangements, decisions and placements."""
    ids = {pk for pk, _t in now} | {pupil for pupil, *_rest in incoming}
    arrangement_ends, decision_ends, moves_away = (defaultdict(list) for _ in range(3))
    for pupil, end in Arrangement.objects.filter(pupil_id__in=ids).values_list("pupil_id", "end"):
        arrangement_ends[pupil].append(end)
    for pupil, end in CvoBesluit.objects.filter(pupil_id__in=ids).values_list("pupil_id", "end"):
        decision_ends[pupil].append(end)
    # A pupil now at a partner school on his way to a school outside the initiative.
    for pupil, start in (
        PlacementCase.objects.filter(
            pupil_id__in=ids, enrolled_on__isnull=True, cancelled=False, to_school__isnull=False
        )
        .exclude(to_school_id__in=schools)
        .values_list("pupil_id", "expected_start")
    ):
        moves_away[pupil].append(start or next_year)

    def stay(pupil, arrives, transition):
        return viability.Stay(
            arrives=arrives,
            leaves=viability.leave_date(
                arrives=arrives,
                transition_date=transition,
                arrangement_ends=arrangement_ends[pupil],
                decision_ends=decision_ends[pupil],
                moves_away=moves_away[pupil],
            ),
        )

    stays = [stay(pk, None, transition) for pk, transition in now]
    arrivals = {}
    for pupil, expected_start, transition in incoming:
        arrivals.setdefault(pupil, (expected_start or next_year, transition))
    stays += [stay(pupil, arrives, transition) for pupil, (arrives, transition) in arrivals.items()]
    return stays


# --- history ------------------------------------------------------------------------


def status_history(initiative):
    return initiative.status_changes.select_related("changed_by")


def change_history(initiative, *, limit=10):
    """The last audited changes of the initiative itself, for templates/_history.html."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative),
            object_id=initiative.pk,
        )
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )
    history = []
    for entry in entries:
        changes = []
        for name, change in (entry.changes_dict or {}).items():
            if not isinstance(change, (list, tuple)) or name in ("version", "status"):
                continue
            try:
                label = Initiative._meta.get_field(name).verbose_name
            except Exception:  # noqa: S112 - a field since removed from the model
                continue
            old, new = (_short(v) for v in change)
            if old != new:
                changes.append((label, old, new))
        actor = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else ""
        history.append({"timestamp": entry.timestamp, "actor": actor, "changes": changes})
    return history


def _short(value):
    value = "–" if value in (None, "None", "") else str(value)
    return value if len(value) <= 60 else value[:57] + "…"
