"""Which pupils a user may see, and what of them; built on regions.selectors.get_scope.

- coordinator: every pupil of their regions, with name and date of birth;
- begeleider: only pupils on an arrangement assigned to them, with name;
- schoolleider: pupils whose current school is theirs, pseudonymised (code, needs and
  arrangement; no name, date of birth, diagnosis, notes or conversations);
- manager: aggregated figures only, never a pupil list or page (404).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from math import inf

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Location
from regions.selectors import get_scope

from .disclosure import protect_page
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


def begeleider_grace_days() -> int:
    return int(getattr(settings, "BEGELEIDER_GRACE_DAYS", 30))


def assigned_pupil_ids(user, day=None):
    """Subquery: pupils on an arrangement this user is assigned to as begeleider.

    Access ends with the last such arrangement, after a short grace period for the
    paperwork (settings.BEGELEIDER_GRACE_DAYS)."""
    ended_after = (day or today()) - timedelta(days=begeleider_grace_days())
    return Arrangement.objects.filter(
        Q(end__isnull=True) | Q(end__gte=ended_after), begeleiders=user, pupil__isnull=False
    ).values("pupil_id")


def pupil_regions(user) -> tuple:
    """The regions whose pupils this user can possibly reach, for django-scopes.

    learners.middleware activates `scope(region=...)` with this for every request, so a
    query that forgets its selector still stays inside these regions. Always a tuple
    (possibly empty): django-scopes reads None as "no filter at all".
    The functional admin and anonymous users get no region: no pupil at all.
    """
    scope = get_scope(user)
    regions = set(scope.readable_regions)  # managers: their figures aggregate the regions
    if scope.leader_schools:
        # A school leader sees pupils at his school, wherever they are registered, and
        # those placed toward it.
        regions.update(
            Pupil.objects.with_scopes_disabled()
            .filter(
                Q(current_school_id__in=scope.leader_schools)
                | Q(
                    pk__in=PlacementCase.objects.with_scopes_disabled()
                    .filter(to_school_id__in=scope.leader_schools)
                    .values("pupil_id")
                )
            )
            .order_by()
            .values_list("region_id", flat=True)
            .distinct()
        )
    return tuple(sorted(regions))


def pupils_for(user):
    """Every pupil the user may see at all, with `show_identity` telling whether the
    user may also see name, date of birth, diagnosis, notes and conversations.

    A pupil who is no longer active opens only for the coordinator."""
    scope = get_scope(user)
    condition = Q(pk__in=[])
    identity = Q(pk__in=[])
    if scope.coordinator_regions:
        condition |= Q(region_id__in=scope.coordinator_regions)
        identity |= Q(region_id__in=scope.coordinator_regions)
    if scope.begeleider_regions:
        mine = Q(
            region_id__in=scope.begeleider_regions, pk__in=assigned_pupil_ids(user), is_active=True
        )
        condition |= mine
        identity |= mine
    if scope.leader_schools:
        condition |= Q(current_school_id__in=scope.leader_schools, is_active=True)
        # Pupils on their way to the leader's school, pseudonymised like their own.
        condition |= Q(
            pk__in=incoming_placements(scope.leader_schools).values("pupil_id"), is_active=True
        )
    return Pupil.objects.filter(condition).annotate(
        show_identity=Case(
            When(identity, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def incoming_placements(school_ids):
    """Placements to one of these schools, not yet enrolled and not stopped."""
    return PlacementCase.objects.filter(
        to_school_id__in=school_ids, enrolled_on__isnull=True, cancelled=False
    )


@dataclass(frozen=True)
class IncomingPupil:
    """What a receiving school leader may know ahead: never name, birth date or diagnosis."""

    code: str
    url: str
    target_group: str
    needs: list
    school: str
    expected_start: date | None
    still_open: list


def incoming_pupils_for(user) -> list:
    """Pupils on their way to a school this user leads ("Onderweg naar uw school")."""
    schools = get_scope(user).leader_schools
    if not schools:
        return []
    cases = (
        incoming_placements(schools)
        .select_related("pupil", "to_school")
        .order_by("expected_start", "pupil__code")
    )
    return [
        IncomingPupil(
            code=case.pupil.code,
            url=case.pupil.get_absolute_url(),
            target_group=case.pupil.get_target_group_display(),
            needs=[str(n) for n in case.pupil.needs],
            school=case.to_school.name,
            expected_start=case.expected_start,
            still_open=case.enrolment_blockers(),
        )
        for case in cases
        if case.pupil.is_active
    ]


def after_enrolment_steps(case) -> list:
    """ "Volgende stappen" on an enrolled placement: what enrolment closed and started,
    and what the coordinator still has to do (hours, CvO decision, warm handover)."""
    from django.urls import reverse

    pupil, on = case.pupil, case.enrolled_on
    day_before = on - timedelta(days=1)
    steps = []

    def edit(kind, pk):
        return reverse("learners:record_edit", args=[pupil.code, kind, pk])

    ended = {"d": day_before.strftime("%d-%m-%Y")}
    records = [
        (
            pupil.arrangements.filter(setting=Arrangement.Setting.VSO, end=day_before),
            "arrangement",
            lambda _a: True,
            _("(v)so-arrangement beëindigd op %(d)s") % ended,
        ),
        (
            pupil.decisions.filter(kind=CvoBesluit.Kind.ONDERWIJS, end=day_before),
            "besluit",
            lambda _d: True,
            _("CvO-besluit onderwijsarrangement beëindigd op %(d)s") % ended,
        ),
        (
            pupil.arrangements.filter(setting=Arrangement.Setting.AMBULANT, start=on),
            "arrangement",
            lambda a: bool(a.hours_per_week),
            _("Ambulant arrangement vanaf %(d)s: controleer begeleiders en uren")
            % {"d": on.strftime("%d-%m-%Y")},
        ),
    ]
    for queryset, kind, is_done, text in records:
        steps.extend(
            {"done": is_done(obj), "text": text, "url": edit(kind, obj.pk)} for obj in queryset
        )
    support = pupil.decisions.filter(
        Q(end__gte=on), kind=CvoBesluit.Kind.ONDERSTEUNING, start__lte=on
    ).first()
    steps.append(
        {
            "done": bool(support),
            "text": _("CvO-besluit ondersteuningsarrangement vastgelegd")
            if support
            else _("Leg het CvO-besluit voor het ondersteuningsarrangement vast"),
            "url": edit("besluit", support.pk)
            if support
            else reverse("learners:record_create", args=[pupil.code, "besluit"]),
        }
    )
    handover = case.handovers.order_by("-date").first()
    steps.append(
        {
            "done": bool(handover),
            "text": _("Warme overdracht vastgelegd op %(d)s")
            % {"d": handover.date.strftime("%d-%m-%Y")}
            if handover
            else _("Leg de warme overdracht aan de ontvangende school vast"),
            "url": edit("overdracht", handover.pk)
            if handover
            else reverse("learners:record_create", args=[pupil.code, "overdracht"])
            + f"?plaatsing={case.pk}",
        }
    )
    return steps


def latest_placement_status():
    return Subquery(
        PlacementCase.objects.filter(pupil=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("status")[:1]
    )


def pupil_list(user, *, inactive=False):
    """Active pupils; on request, the inactive pupils of the coordinator's regions.

    Pupils only on their way to a leader's school have their own section
    ("Onderweg naar uw school", incoming_pupils_for), not a row among the school's own.
    """
    if inactive:
        pupils = pupils_for(user).filter(
            is_active=False, region_id__in=get_scope(user).coordinator_regions
        )
    else:
        pupils = pupils_for(user).filter(is_active=True)
    on_their_way = Q(show_identity=False) & ~Q(current_school_id__in=get_scope(user).leader_schools)
    return (
        pupils.exclude(on_their_way)
        .select_related("current_school", "current_location", "level")
        .annotate(placement_status=latest_placement_status())
        .order_by("code")
    )


def of_location(pupils, location):
    """Pupils of a (v)so location: there now, or moving out of it (the closure work list)."""
    return pupils.filter(
        Q(current_location=location)
        | Q(pk__in=PlacementCase.objects.filter(from_location=location).values("pupil_id"))
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
    if action == "edit" and not scope.can_edit_pupil(pupil):
        raise PermissionDenied
    if action == "record" and not scope.can_record_for_pupil(
        pupil, assigned=is_assigned(user, pupil)
    ):
        raise PermissionDenied
    return pupil


def is_assigned(user, pupil) -> bool:
    """Whether `user` is a begeleider on an arrangement of `pupil` (the fact the Scope
    rules for begeleiders need; regions does not know arrangements)."""
    if not get_scope(user).begeleider_regions:
        return False
    return assigned_pupil_ids(user).filter(pupil_id=pupil.pk).exists()


# --- access log -------------------------------------------------------------------


def access_log_for(user, region):
    if not get_scope(user).may_see_access_log(region.pk):
        raise PermissionDenied
    return AccessLog.objects.filter(region=region).select_related("user", "pupil")


# --- duty of care -----------------------------------------------------------------


def unclear_duty_of_care(pupils, day=None):
    """Active pupils of `pupils` for whom nobody holds the duty of care today or for
    whom there was a day without a holder: [(pupil, reason), ...] in two queries.

    The database picks the candidates: no period covers today, or more than one period
    has started (only then can there be a gap). One period covering today is clear, and
    that is nearly every pupil, so only the few candidates reach Python for the reason.
    """
    day = day or today()
    started = DutyOfCare.objects.filter(pupil=OuterRef("pk"), start__lte=day)
    covering = started.filter(Q(end__isnull=True) | Q(end__gte=day))
    n_started = started.order_by().values("pupil").annotate(n=Count("pk")).values("n")
    candidates = list(
        pupils.filter(is_active=True)
        .annotate(covered=Exists(covering), n_started=Subquery(n_started))
        .filter(Q(covered=False) | Q(n_started__gt=1))
        .order_by("code")
    )
    periods = defaultdict(list)
    for pupil_id, start, end in DutyOfCare.objects.filter(
        pupil_id__in=[p.pk for p in candidates]
    ).values_list("pupil_id", "start", "end"):
        periods[pupil_id].append((start, end))
    result = []
    for pupil in candidates:
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
    return _active_pupils(
        (scope.coordinator_regions, Q(region_id__in=scope.coordinator_regions)),
        (
            scope.begeleider_regions,
            Q(region_id__in=scope.begeleider_regions, pk__in=assigned_pupil_ids(user)),
        ),
    )


def _active_pupils(*parts):
    """Active pupils meeting the condition of any (ids, condition) part with ids."""
    condition = Q(pk__in=[])
    for ids, part in parts:
        if ids:
            condition |= part
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

    # Each label translated once, not once per pupil (thousands of gettext calls were
    # half the deadlines page of a large region).
    evaluation_label = _("Jaarlijkse evaluatie CvO-besluit")
    return_label = _("Uiterste datum overstap (8 weken na besluit terugplaatsing)")
    end_label = _("Einde CvO-besluit")
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
            add(evaluation, "evaluatie", evaluation_label, code, pupil_id)
        if returned and not any(d >= returned for d in enrolled[pupil_id]):
            add(
                returned + timedelta(days=RETURN_TRANSFER_DAYS),
                "terugplaatsing",
                return_label,
                code,
                pupil_id,
            )
    for pupil_id, (code, end) in latest_end.items():
        # A decision that ended because the pupil enrolled at the new school (enrolment
        # ends it the day before) is done, not due.
        if any(day >= end for day in enrolled[pupil_id]):
            continue
        add(end, "besluit", end_label, code, pupil_id)
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


def deadline_counts(pupils, day=None, horizon=HORIZON):
    """(overdue, upcoming): how many of compute_deadlines' items there are, counted in the
    database (five COUNT queries) so the home page does not build every deadline. Same
    sources and rules as compute_deadlines; tests/learners/test_deadline_counts.py holds
    them to the same answer."""
    day = day or today()
    limit = day + horizon
    pupil_ids = pupils.values("pk")
    decisions = CvoBesluit.objects.filter(pupil_id__in=pupil_ids)
    enrolled = PlacementCase.objects.filter(pupil=OuterRef("pupil_id"), enrolled_on__isnull=False)
    sources = [
        # Yearly evaluations not yet done.
        (decisions.filter(evaluated_on__isnull=True), "evaluation_date", 0),
        # 8 weeks after a return decision, until the pupil is enrolled on or after it.
        (
            decisions.exclude(
                Exists(enrolled.filter(enrolled_on__gte=OuterRef("return_decision_on")))
            ),
            "return_decision_on",
            RETURN_TRANSFER_DAYS,
        ),
        # The end of each pupil's latest decision, unless an enrolment ended it.
        (
            pupils.annotate(
                due=Subquery(
                    CvoBesluit.objects.filter(pupil=OuterRef("pk"))
                    .order_by("-end")
                    .values("end")[:1]
                )
            )
            .filter(due__isnull=False)
            .exclude(
                Exists(
                    PlacementCase.objects.filter(
                        pupil=OuterRef("pk"), enrolled_on__gte=OuterRef("due")
                    )
                )
            ),
            "due",
            0,
        ),
        (CheckIn.objects.filter(pupil_id__in=pupil_ids, done_on__isnull=True), "due_date", 0),
        (
            pupils.filter(transition__gt="", transition_decision=""),
            "transition_date",
            0,
        ),
    ]
    overdue = upcoming = 0
    for queryset, field, offset in sources:
        # due = field + offset days; compared as field against the shifted bounds.
        first, last = day - timedelta(days=offset), limit - timedelta(days=offset)
        counts = queryset.order_by().aggregate(
            overdue=Count("pk", filter=Q(**{f"{field}__lt": first})),
            upcoming=Count("pk", filter=Q(**{f"{field}__gte": first, f"{field}__lte": last})),
        )
        overdue += counts["overdue"]
        upcoming += counts["upcoming"]
    return overdue, upcoming


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
    return _active_pupils(
        (scope.readable_regions, Q(region_id__in=scope.readable_regions)),
        (scope.leader_schools, Q(current_school_id__in=scope.leader_schools)),
    )


def hides_small_counts(user, pupils) -> bool:
    """Exact counts only for who sees every pupil behind them anyway (a coordinator in
    their region, a school leader at their school): they could count the rows of their
    pupil list. Anyone else gets every number rounded."""
    return pupils.exclude(pk__in=pupils_for(user).values("pk")).exists()


def group_figures(
    pupils,
    *,
    hide_small: bool,
    day=None,
    total_is_public=False,
    by_region=False,
    locations=None,
    schools=True,
):
    """The figures of a page. Rounded (`hide_small`): every number a band of 5, and the
    page passes the publication audit (learners.disclosure.protect_page) before it is
    shown. `total_is_public`: the page total is also a row on the page without a filter.
    `by_region`, `locations` (a queryset of Locations) and `schools` ask for the tables per
    region, per (v)so location and per school: the totals of the filtered pages, published
    here where the audit sees them together with the rest of the page."""
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
    # One query for the page total, the pupils without confirmed enrolment and the pupils
    # in a (v)so location of the page (for the audit of the table per location).
    in_location = Q(pk__in=[])
    if locations is not None:
        in_location = Q(current_location__in=locations) | Q(
            pk__in=PlacementCase.objects.filter(from_location__in=locations).values("pupil_id")
        )
    counts = pupils.aggregate(
        total=Count("pk"),
        not_enrolled=Count(
            "pk",
            filter=Q(
                Exists(PlacementCase.objects.filter(pupil=OuterRef("pk"), status__in=open_statuses))
            ),
        ),
        in_location=Count("pk", filter=in_location),
        no_school_elsewhere=Count("pk", filter=Q(current_school__isnull=True) & ~in_location),
    )
    not_enrolled = counts["not_enrolled"]
    # Per (school, region of its pupils): each row then sits inside one region row, which
    # the audit uses (a school whose pupils span regions gets one row per region).
    per_school_region = (
        list(
            pupils.filter(current_school__isnull=False)
            .values_list("current_school__name", "current_school", "region", "region__name")
            .annotate(n=Count("pk"))
            .order_by("current_school__name", "region__name")
        )
        if schools
        else []
    )
    per_school = _school_rows(per_school_region, per_region_rows=hide_small)
    per_region = (
        list(
            pupils.values_list("region__name", "region")
            .annotate(n=Count("pk"))
            .order_by("region__name")
        )
        if by_region
        else []
    )
    per_location = _per_location(pupils, locations)
    extra_memberships = sum(n for *_row, n in per_location) - counts["in_location"]
    school_rows = [
        {"name": name, "pk": pk, "count": publish(n, exact=exact), "single": exact and n == 1}
        for name, pk, _region, n in per_school
    ]
    status_labels = dict(PlacementCase.Status.choices)
    status_labels[None] = _("geen plaatsing")
    total = counts["total"]
    figures = {
        "total": publish(total, exact=exact),
        "by_target_group": rows(by_group, dict(Pupil._meta.get_field("target_group").choices)),
        "by_level": rows(by_level),
        "by_status": rows(by_status, status_labels),
        "by_setting": rows(by_setting, dict(Arrangement.Setting.choices)),
        "not_enrolled": publish(not_enrolled, exact=exact),
        "schools": school_rows,
        "school_table": schools,
        "region_table": by_region,
        "location_table": locations is not None,
        "by_region": [
            {"label": name, "query": f"regio={pk}", "count": publish(n, exact=exact)}
            for name, pk, n in per_region
        ],
        "by_location": [
            {"label": name, "query": f"locatie={pk}", "count": publish(n, exact=exact)}
            for name, pk, _region, n in per_location
        ],
        "withheld": [],
    }
    if exact:
        figures["single_schools"] = sum(1 for *_row, n in per_school if n == 1)
        figures["several_schools"] = sum(1 for *_row, n in per_school if n > 1)
        return figures
    if 0 < total < ROUNDING:
        # Under a total of "<5" every row is "<5" too, and four of them would each be 1:
        # a group this small is not broken down at all.
        figures["too_few"] = True
        for table in (
            "by_target_group",
            "by_level",
            "by_status",
            "by_setting",
            "schools",
            "by_region",
            "by_location",
        ):
            figures[table] = []
        figures["small_schools"] = figures["larger_schools"] = None
        return figures
    if total:
        true_rows = {
            "by_target_group": dict(enumerate(n for _key, n in by_group)),
            "by_level": dict(enumerate(n for _key, n in by_level)),
            "by_status": dict(by_status),  # keyed by status: the overview adds up the same
            "by_setting": dict(enumerate(n for _key, n in by_setting)),
            "not_enrolled": {0: not_enrolled},
            "schools": {(region, pk): n for _name, pk, region, n in per_school},
        }
        if by_region:
            true_rows["by_region"] = {pk: n for _name, pk, n in per_region}
        if locations is not None:
            true_rows["by_location"] = {pk: n for _name, pk, _region, n in per_location}
            true_rows["location_overlap"] = {
                0: extra_memberships,
                1: counts["no_school_elsewhere"],
            }
        if not schools:
            del true_rows["schools"]
        (low, high), withheld = protect_page(
            true_rows,
            total,
            total_is_public=total_is_public,
            nesting=_nesting(true_rows, per_location) if by_region else (),
        )
        # What the audit knew, for a page that shows more about the same pupils (plans'
        # institution overview joins its own sums to these).
        figures["audit"] = {
            "rows": true_rows,
            "total": (low, high),
            "nesting": _nesting(true_rows, per_location) if by_region else (),
            "withheld": withheld,
        }
        if high == inf:
            figures["total"] = _("%(n)s of meer") % {"n": low}
        else:
            figures["total"] = f"{low}-{high}"
        figures["withheld"] = sorted(withheld)
        for table in withheld:
            figures[table] = []
    # "Exactly one pupil" is itself a small count; counted from the published rows
    # instead, the spread over schools adds nothing the table does not already say.
    if "schools" in figures["withheld"]:
        figures["small_schools"] = figures["larger_schools"] = None
    else:
        small = sum(1 for s in figures["schools"] if s["count"] == LESS_THAN_FIVE)
        figures["small_schools"] = small
        figures["larger_schools"] = len(figures["schools"]) - small
    return figures


def _school_rows(per_school_region, *, per_region_rows):
    """[(name, school pk, region pk, n)]: one row per school, or for rounded pages one per
    (school, region) so that each row lies inside one region row; a school with pupils in
    several regions is then named with the region."""
    if per_region_rows:
        spans = Counter(pk for _name, pk, _region, _rname, _n in per_school_region)
        return [
            (f"{name} ({region_name})" if spans[pk] > 1 else name, pk, region, n)
            for name, pk, region, region_name, n in per_school_region
        ]
    merged = {}
    for name, pk, _region, _rname, n in per_school_region:
        merged[pk] = (name, pk, None, merged.get(pk, (0, 0, 0, 0))[3] + n)
    return list(merged.values())


def _nesting(true_rows, per_location):
    """The rows of the page without a filter that lie inside a region row: its (school,
    region) rows (the rest of the region's pupils have no school) and its (v)so locations
    (they overlap, so each one only bounds the region row from below)."""
    nesting = []
    for region in true_rows.get("by_region", {}):
        schools = [("schools", key) for key in true_rows.get("schools", {}) if key[0] == region]
        nesting.append((("by_region", region), schools))
        for _name, location, location_region, _n in per_location:
            if location_region == region and "by_location" in true_rows:
                nesting.append((("by_region", region), [("by_location", location)]))
    return nesting


def pupils_at_location(pupils, location):
    """A location's pupils: there now, or moving out of it (a placement from it)."""
    return pupils.filter(
        Q(current_location=location)
        | Q(pk__in=PlacementCase.objects.filter(from_location=location).values("pupil_id"))
    )


def _per_location(pupils, locations):
    """[(name, pk, region pk, pupils at the location)] for the locations with pupils, in one
    query."""
    if locations is None:
        return []
    at = pupils.order_by().filter(
        Q(current_location=OuterRef("pk"))
        | Q(
            pk__in=PlacementCase.objects.filter(from_location=OuterRef(OuterRef("pk"))).values(
                "pupil_id"
            )
        )
    )
    counted = (
        locations.annotate(
            n=Subquery(
                at.annotate(one=Value(1)).values("one").annotate(c=Count("pk")).values("c")[:1],
                output_field=IntegerField(),
            )
        )
        .filter(n__gt=0)
        .order_by("name")
        .values_list("name", "pk", "region", "n")
    )
    return list(counted)


def figures_page(user, regions, *, region=None, location=None, school=None):
    """Everything the figures page of `user` shows for one filter (docs/architecture.md,
    "Kleine aantallen", "Filters"). For a role with rounded figures:

    - one filter at a time: a combination is refused (`too_many_filters`), for every
      combination alike, so the refusal says nothing about the pupils;
    - the page without a filter publishes the totals of every filtered page as its tables
      per region (more than one region), per (v)so location and per school, so the audit
      of that one page sees them together;
    - a filtered page shows only its total: its row on that page (`only_total`), no
      breakdown, so filtered pages cannot be played off against each other or against the
      page without a filter (whose audit knows schools and locations lie inside regions);
      when that page withholds the table with the row (or is too small to break down), the
      filtered page is not published either (`unpublished`);
    - a role with one region: ?regio= of that region is the page without a filter.
    Exact roles (a coordinator in his regions, a school leader) keep every breakdown.
    """
    everyone = figure_pupils(user)
    role_rounds = hides_small_counts(user, everyone)
    chosen = [f for f in (region, location, school) if f is not None]
    if role_rounds and len(chosen) > 1:
        return {"too_many_filters": True, "hide_small": True, "figures": None}
    several_regions = len(regions) > 1
    if region is not None and len(chosen) == 1 and not several_regions:
        region = None  # the only region: the same pupils as the page without a filter
        chosen = []
    pupils = everyone
    if region is not None:
        pupils = pupils.filter(region=region)
    if location is not None:
        pupils = pupils_at_location(pupils, location)
    if school is not None:
        pupils = pupils.filter(current_school=school)
    # Exact only for who sees every pupil of the regions on the page (a coordinator in his
    # own region, a school leader): a begeleider whose own pupils happen to be all of a
    # school gets that school rounded too, as its row on the page without a filter.
    # An empty page goes the rounded way too, so that a 0 is not published where the row
    # it stands for is withheld.
    regions_on_page = everyone.filter(region__in=pupils.values("region"))
    hide = role_rounds and (
        not chosen or not regions_on_page.exists() or hides_small_counts(user, regions_on_page)
    )
    locations = Location.objects.filter(region__in=regions)
    top = {"by_region": several_regions, "locations": locations}
    if not chosen:
        figures = group_figures(everyone, hide_small=hide, **top)
    elif not hide:
        figures = group_figures(pupils, hide_small=False)
    else:
        # Every breakdown lives on the page without a filter, where one audit sees them
        # all; a filtered page only repeats its row(s) there, so it adds nothing to it.
        above = group_figures(everyone, hide_small=True, **top)
        table = "by_region" if region else ("by_location" if location else "schools")
        if above.get("too_few") or table in above["withheld"]:
            return {"unpublished": True, "hide_small": True, "figures": None}
        if school is not None:
            counts = [s["count"] for s in above["schools"] if s["pk"] == school.pk]
        else:
            query = f"regio={region.pk}" if region else f"locatie={location.pk}"
            counts = [r["count"] for r in above[table] if r["query"] == query]
        figures = {"total": _sum_of_bands(counts), "only_total": True, "withheld": []}
    return {"figures": figures, "hide_small": hide}


def _sum_of_bands(counts):
    """The published count of a filtered page: its one row on the page without a filter,
    or the range the sum of its rows (a school in several regions) can be."""
    if len(counts) <= 1:
        return counts[0] if counts else 0
    low = high = 0
    for count in counts:
        if count == LESS_THAN_FIVE:
            low, high = low + 1, high + ROUNDING - 1
        else:
            a, b = count.split("-")
            low, high = low + int(a), high + int(b)
    return f"{low}-{high}"
