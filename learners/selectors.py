"""Which pupils a user may see, and what of them; built on regions.selectors.get_scope.

- coordinator: every pupil of their regions, with name and date of birth;
- begeleider: only pupils on an arrangement assigned to them, with name;
- schoolleider: pupils whose current school is theirs, pseudonymised (code, needs and
  arrangement; no name, date of birth, diagnosis, notes or conversations);
- manager: aggregated figures only, never a pupil list or page (404).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.selectors import get_scope

from .models import (
    RETURN_TRANSFER_DAYS,
    AccessLog,
    Arrangement,
    CheckIn,
    CvoBesluit,
    DutyOfCare,
    PlacementCase,
    Pupil,
    duty_of_care_problem,
)

HORIZON = timedelta(weeks=8)
SMALL_COUNT = 5


def today():
    return timezone.localdate()


# --- who sees which pupil -------------------------------------------------------


def assigned_pupil_ids(user):
    """Subquery: pupils on an arrangement this user is assigned to as begeleider."""
    return Arrangement.objects.filter(begeleiders=user, pupil__isnull=False).values("pupil_id")


def may_list_pupils(user) -> bool:
    scope = get_scope(user)
    return bool(scope.coordinator_regions or scope.begeleider_regions or scope.leader_schools)


def pupils_for(user):
    """Every pupil the user may see at all, with `show_identity` telling whether the
    user may also see name, date of birth, diagnosis, notes and conversations."""
    scope = get_scope(user)
    condition = Q(pk__in=[])
    identity = Q(pk__in=[])
    if scope.coordinator_regions:
        condition |= Q(region_id__in=scope.coordinator_regions)
        identity |= Q(region_id__in=scope.coordinator_regions)
    if scope.begeleider_regions:
        mine = Q(region_id__in=scope.begeleider_regions, pk__in=assigned_pupil_ids(user))
        condition |= mine
        identity |= mine
    if scope.leader_schools:
        condition |= Q(current_school_id__in=scope.leader_schools)
    return Pupil.objects.filter(condition).annotate(
        show_identity=Case(
            When(identity, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def latest_placement_status():
    return Subquery(
        PlacementCase.objects.filter(pupil=OuterRef("pk"))
        .order_by("-created", "-pk")
        .values("status")[:1]
    )


def pupil_list(user):
    return (
        pupils_for(user)
        .select_related("current_school", "current_location", "level")
        .annotate(placement_status=latest_placement_status())
        .order_by("code")
    )


def get_pupil_for_user(user, code, *, action="view") -> Pupil:
    """One pupil: 404 outside the scope; 403 when the user may see but not do `action`.

    action "view" reads, "record" adds check-ins and conversations (coordinator or
    the assigned begeleider), "edit" changes the record itself (coordinator only).
    """
    try:
        pupil = (
            pupils_for(user)
            .select_related(
                "region__institution",
                "current_school",
                "current_location",
                "level",
                "home_gemeente",
            )
            .get(code=code)
        )
    except (Pupil.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    scope = get_scope(user)
    pupil.can_edit = pupil.region_id in scope.coordinator_regions
    pupil.can_record = pupil.show_identity
    if action == "edit" and not pupil.can_edit:
        raise PermissionDenied
    if action == "record" and not pupil.can_record:
        raise PermissionDenied
    return pupil


def editable_regions(user):
    from regions.models import Region

    return Region.objects.filter(pk__in=get_scope(user).coordinator_regions)


# --- access log -------------------------------------------------------------------


def access_log_for(user, region):
    if not get_scope(user).can_edit_region(region.pk):
        raise PermissionDenied
    return AccessLog.objects.filter(region=region).select_related("user", "pupil")


# --- duty of care -----------------------------------------------------------------


def unclear_duty_of_care(pupils, day=None):
    """Active pupils of `pupils` for whom nobody holds the duty of care today or for
    whom there was a day without a holder: [(pupil, reason), ...] in two queries."""
    day = day or today()
    active = list(pupils.filter(is_active=True).order_by("code"))
    periods = defaultdict(list)
    for pupil_id, start, end in DutyOfCare.objects.filter(
        pupil_id__in=[p.pk for p in active]
    ).values_list("pupil_id", "start", "end"):
        periods[pupil_id].append((start, end))
    result = []
    for pupil in active:
        problem = duty_of_care_problem(periods[pupil.pk], day)
        if problem:
            result.append((pupil, problem))
    return result


# --- deadlines --------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due: date
    kind: str
    label: str
    pupil_code: str
    pupil_id: int
    overdue: bool


def deadline_pupils(user):
    """Pupils whose deadlines are this user's: coordinator's regions, begeleider's own."""
    scope = get_scope(user)
    condition = Q(pk__in=[])
    if scope.coordinator_regions:
        condition |= Q(region_id__in=scope.coordinator_regions)
    if scope.begeleider_regions:
        condition |= Q(region_id__in=scope.begeleider_regions, pk__in=assigned_pupil_ids(user))
    return Pupil.objects.filter(condition, is_active=True)


def compute_deadlines(pupils, day=None, horizon=HORIZON):
    """What is due for `pupils` within `horizon` from `day`, and what is overdue.

    Sources: the end of each pupil's latest CvO decision, yearly evaluations not yet
    done, the 8-week transfer limit after a return decision (until the pupil is
    enrolled elsewhere), planned check-ins not yet done, and transition points
    without an explicit decision on continuing support.
    """
    day = day or today()
    limit = day + horizon
    items = []

    def add(due, kind, label, code, pupil_id):
        if due <= limit:
            items.append(Deadline(due, kind, label, code, pupil_id, due < day))

    pupil_ids = pupils.values("pk")
    latest_end = {}
    decisions = CvoBesluit.objects.filter(pupil_id__in=pupil_ids).values_list(
        "pupil_id", "pupil__code", "end", "evaluation_date", "evaluated_on", "return_decision_on"
    )
    enrolled = defaultdict(list)
    for pupil_id, enrolled_on in PlacementCase.objects.filter(
        pupil_id__in=pupil_ids, enrolled_on__isnull=False
    ).values_list("pupil_id", "enrolled_on"):
        enrolled[pupil_id].append(enrolled_on)
    for pupil_id, code, end, evaluation, evaluated, returned in decisions:
        if pupil_id not in latest_end or end > latest_end[pupil_id][1]:
            latest_end[pupil_id] = (code, end)
        if evaluation and not evaluated:
            add(evaluation, "evaluatie", _("Jaarlijkse evaluatie CvO-besluit"), code, pupil_id)
        if returned and not any(d >= returned for d in enrolled[pupil_id]):
            add(
                returned + timedelta(days=RETURN_TRANSFER_DAYS),
                "terugplaatsing",
                _("Uiterste datum overstap (8 weken na besluit terugplaatsing)"),
                code,
                pupil_id,
            )
    for pupil_id, (code, end) in latest_end.items():
        add(end, "besluit", _("Einde CvO-besluit"), code, pupil_id)
    for pupil_id, code, due, months in CheckIn.objects.filter(
        pupil_id__in=pupil_ids, done_on__isnull=True
    ).values_list("pupil_id", "pupil__code", "due_date", "months_after"):
        label = (
            _("Vervolgcontact %(n)s maanden na inschrijving") % {"n": months}
            if months
            else _("Vervolgcontact")
        )
        add(due, "vervolgcontact", label, code, pupil_id)
    for pupil_id, code, transition, due in pupils.filter(
        transition__gt="", transition_decision="", transition_date__isnull=False
    ).values_list("pk", "code", "transition", "transition_date"):
        label = _("Overgangsmoment %(t)s: besluit over doorlopen ondersteuning") % {
            "t": dict(Pupil.Transition.choices)[transition]
        }
        add(due, "overgang", label, code, pupil_id)
    return sorted(items, key=lambda d: (d.due, d.pupil_code, d.kind))


def deadlines_for(user, day=None):
    return compute_deadlines(deadline_pupils(user), day)


# --- group figures ----------------------------------------------------------------
# One rule for every number that leaves the pupil level (docs/architecture.md, "Kleine
# aantallen"): whoever does not see every pupil behind a page gets EVERY number on it in
# bands of 5 (0, "<5", "5-9", "10-14", ...): each cell, each total, each derived count, on
# every filter. No number is exact, so sums and differences of them give ranges, not counts
# (tests/learners/test_figures_attacker.py tries).

ROUNDING = SMALL_COUNT
LESS_THAN_FIVE = "<5"


def publish(count, *, exact: bool):
    """The number shown for `count`: itself for who sees the pupils, else rounded to 5."""
    if exact or count == 0:
        return count
    if count < ROUNDING:
        return LESS_THAN_FIVE
    low = ROUNDING * (count // ROUNDING)
    return f"{low}-{low + ROUNDING - 1}"


def figure_pupils(user):
    """Pupils that feed the figures a user may see (never the pupils themselves)."""
    scope = get_scope(user)
    condition = Q(pk__in=[])
    if scope.readable_regions:
        condition |= Q(region_id__in=scope.readable_regions)
    if scope.leader_schools:
        condition |= Q(current_school_id__in=scope.leader_schools)
    return Pupil.objects.filter(condition, is_active=True)


def may_see_figures(user) -> bool:
    scope = get_scope(user)
    return bool(scope.readable_regions or scope.leader_schools)


def hides_small_counts(user, pupils) -> bool:
    """Exact counts only for who sees every pupil behind them anyway (a coordinator in
    their region, a school leader at their school): they could count the rows of their
    pupil list. Anyone else gets every number rounded."""
    return pupils.exclude(pk__in=pupils_for(user).values("pk")).exists()


def group_figures(pupils, *, hide_small: bool, day=None):
    day = day or today()
    exact = not hide_small

    def rows(pairs, labels=None):
        out = []
        for key, n in pairs:
            label = labels.get(key, key) if labels is not None else key
            out.append({"label": label or _("onbekend"), "count": publish(n, exact=exact)})
        return out

    by_group = pupils.values_list("target_group").annotate(n=Count("pk")).order_by("target_group")
    by_level = pupils.values_list("level__name").annotate(n=Count("pk")).order_by("level__order")
    by_status = (
        pupils.annotate(st=latest_placement_status())
        .values_list("st")
        .annotate(n=Count("pk"))
        .order_by("st")
    )
    active_arrangements = Arrangement.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day), pupil__in=pupils, start__lte=day
    )
    by_setting = (
        active_arrangements.values_list("setting")
        .annotate(n=Count("pupil", distinct=True))
        .order_by("setting")
    )
    open_statuses = [
        s
        for s in PlacementCase.Status.values
        if s not in {"ingeschreven", "geevalueerd", "gestopt"}
    ]
    not_enrolled = pupils.filter(
        Exists(PlacementCase.objects.filter(pupil=OuterRef("pk"), status__in=open_statuses))
    ).count()
    per_school = list(
        pupils.filter(current_school__isnull=False)
        .values_list("current_school__name")
        .annotate(n=Count("pk"))
        .order_by("current_school__name")
    )
    schools = [
        {"name": name, "count": publish(n, exact=exact), "single": exact and n == 1}
        for name, n in per_school
    ]
    status_labels = dict(PlacementCase.Status.choices)
    status_labels[None] = _("geen plaatsing")
    total = pupils.count()
    figures = {
        "total": publish(total, exact=exact),
        "by_target_group": rows(by_group, dict(Pupil._meta.get_field("target_group").choices)),
        "by_level": rows(by_level),
        "by_status": rows(by_status, status_labels),
        "by_setting": rows(by_setting, dict(Arrangement.Setting.choices)),
        "not_enrolled": publish(not_enrolled, exact=exact),
        "schools": schools,
    }
    if exact:
        figures["single_schools"] = sum(1 for _name, n in per_school if n == 1)
        figures["several_schools"] = sum(1 for _name, n in per_school if n > 1)
    else:
        # "Exactly one pupil" is itself a small count; counted from the published rows
        # instead, the spread over schools adds nothing the table does not already say.
        figures["small_schools"] = sum(1 for s in schools if s["count"] == LESS_THAN_FIVE)
        figures["larger_schools"] = len(schools) - figures["small_schools"]
    if not exact and 0 < total < ROUNDING:
        # Under a total of "<5" every row is "<5" too, and four of them would each be 1:
        # a group this small is not broken down at all.
        figures["too_few"] = True
        for table in ("by_target_group", "by_level", "by_status", "by_setting", "schools"):
            figures[table] = []
        figures["small_schools"] = figures["larger_schools"] = None
    return figures
