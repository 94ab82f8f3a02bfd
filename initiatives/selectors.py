"""What a user may see of initiatives, and the pupil figures behind one.

- coordinator of the region: reads and changes the region's initiatives;
- begeleider and manager of the region: read them;
- school leader: reads only the initiatives his school is a partner of;
- anyone else: 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.models import Arrangement, CvoBesluit, PlacementCase, Pupil
from learners.selectors import (
    LESS_THAN_FIVE,
    hides_small_counts,
    incoming_placements,
    publish,
    pupils_at_location,
    pupils_for,
)
from regions.history import describe_changes
from regions.models import Location
from regions.selectors import _get_for, get_scope
from toolkit.models import CooperationType, PracticeExample

from . import viability
from .models import (
    PLACE_WARNING_MONTHS,
    Agreement,
    AgreementConsent,
    AgreementParty,
    AgreementVersion,
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    Initiative,
    InitiativePartner,
    InspectieEvent,
    Milestone,
    TransitionPlan,
    months_between,
)

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


def _region_editor(user):
    """The write check of every record of a region: its coordinator may change it."""
    scope = get_scope(user)
    return lambda obj: scope.can_edit_region(obj.region_id)


def get_initiative_for_user(user, pk, *, write=False) -> Initiative:
    """An initiative the user may see (404 otherwise); with write=True also one he may
    change (403 for a reader)."""
    initiatives = initiatives_for(user).select_related("municipality", "modelled_on")
    return _get_for(initiatives, pk, write and _region_editor(user))


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
        # A new initiative reads "aangemaakt": its first values are on the page itself.
        created = entry.action == LogEntry.Action.CREATE
        changes = [] if created else describe_changes(Initiative, entry.changes_dict)
        if not created and not changes:
            continue
        actor = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else ""
        history.append({"timestamp": entry.timestamp, "actor": actor, "changes": changes})
    return history


# --- transition plans ---
# Readers of the region (coordinator, begeleider, manager) read a plan, its coordinator
# edits it; a school leader, the functional admin and other regions get 404. Pupil codes
# in the cohort only for who sees those pupils (learners.selectors.pupils_for), counts
# for everyone else, rounded by the small-count rule.


# A placement case at one of these steps means the pupil's new place is confirmed: the
# receiving school, the TLV and transport are settled (PlacementCase.enrolment_blockers).
CONFIRMED_PLACE = (
    PlacementCase.Status.READY,
    PlacementCase.Status.ENROLLED,
    PlacementCase.Status.EVALUATED,
)
CLOSING = (Location.Status.PHASING_OUT, Location.Status.CLOSED)


def transition_plans_for(user):
    """Plans in the regions the user reads; none for a school leader or the admin."""
    regions = get_scope(user).readable_regions
    return TransitionPlan.objects.filter(region_id__in=regions).select_related("location", "region")


def get_transition_plan_for_user(user, pk, write=False) -> TransitionPlan:
    """404 outside the user's regions; 403 on write for a reader."""
    return _get_for(transition_plans_for(user), pk, write and _region_editor(user))


def closing_locations_for(user):
    """Locations phasing out or closed in the user's regions, with their plan if any."""
    regions = get_scope(user).readable_regions
    return (
        Location.objects.filter(region_id__in=regions, status__in=CLOSING)
        .select_related("region", "transition_plan")
        .order_by("closing_date", "name")
    )


def get_closing_location_for_user(user, pk) -> Location:
    """A location to make a plan for: the region's coordinator only (readers 403)."""
    locations = Location.objects.select_related("region").filter(
        region_id__in=get_scope(user).readable_regions
    )
    return _get_for(locations, pk, _region_editor(user))


def transition_list(user, today=None):
    """Rows for the list page: location, its plan, months left and late items (one query
    per kind of item, whatever the number of plans)."""
    today = today or timezone.localdate()
    locations = list(closing_locations_for(user))
    plan_ids = [loc.transition_plan.pk for loc in locations if _plan_of(loc)]
    late = _late_counts(plan_ids, today)
    for location in locations:
        location.plan = _plan_of(location)
        location.months_left = (
            months_between(today, location.closing_date) if location.closing_date else None
        )
        location.late_count = late.get(location.plan.pk, 0) if location.plan else 0
    return locations


def _plan_of(location):
    try:
        return location.transition_plan
    except TransitionPlan.DoesNotExist:
        return None


def _late_filters(today):
    """(model, condition) of each kind of late row that is not pupil data."""
    return (
        (Milestone, Q(planned__lt=today, actual__isnull=True)),
        (CommunicationItem, Q(date__lt=today, done=False)),
        (InspectieEvent, Q(deadline__lt=today, done=False)),
        (BoardQuestion, Q(status=BoardQuestion.Status.OPEN, answer_due__lt=today)),
    )


def _late_counts(plan_ids, today) -> dict:
    counts = {}
    if not plan_ids:
        return counts
    for model, condition in _late_filters(today):
        rows = (
            model.objects.filter(condition, plan_id__in=plan_ids)
            .values("plan_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["plan_id"]] = counts.get(row["plan_id"], 0) + row["n"]
    return counts


# --- the cohort -------------------------------------------------------------------


def cohort_pupils(plan):
    """The location's active pupils (there now, or moving out with a placement from it),
    each with their latest placement case that is not cancelled and the plan's outflow."""
    latest = PlacementCase.objects.filter(pupil=OuterRef("pk"), cancelled=False).order_by(
        "-created_at", "-pk"
    )
    entry = CohortEntry.objects.filter(plan=plan, pupil=OuterRef("pk"))
    return (
        pupils_at_location(Pupil.objects.filter(is_active=True), plan.location)
        .annotate(
            case_id=Subquery(latest.values("pk")[:1]),
            case_status=Subquery(latest.values("status")[:1]),
            outflow=Subquery(entry.values("outflow")[:1]),
        )
        .order_by("code")
    )


def without_confirmed_place():
    """Cohort pupils (of cohort_pupils) who need a place and have no confirmed one yet; a
    pupil the plan does not describe yet counts as needing one."""
    # Spelled out, not ~Q(outflow=natural): the annotation is NULL for an undescribed
    # pupil, and NOT (NULL = ...) is not true in SQL.
    return (Q(outflow__isnull=True) | Q(outflow=CohortEntry.Outflow.PLACEMENT)) & (
        Q(case_status__isnull=True) | ~Q(case_status__in=CONFIRMED_PLACE)
    )


def cohort_counts(pupils) -> dict:
    return pupils.aggregate(
        total=Count("pk"),
        natural=Count("pk", filter=Q(outflow=CohortEntry.Outflow.NATURAL)),
        placement=Count("pk", filter=Q(outflow=CohortEntry.Outflow.PLACEMENT)),
        unknown=Count("pk", filter=Q(outflow__isnull=True)),
        no_place=Count("pk", filter=without_confirmed_place()),
    )


@dataclass
class CohortView:
    rows: list  # pupils whose code the user may see, each with .entry and .no_place
    counts: dict  # published numbers (exact or banded)
    exact: bool
    breakdown: bool  # False when the total is hidden: no split of a "<5"
    hidden_others: bool  # some cohort pupils are not among the rows


def cohort_for(user, plan) -> CohortView:
    """What `user` sees of the cohort: the rows of the pupils they see (all for the
    coordinator, their own for a begeleider, none for a manager) and the counts."""
    cohort = cohort_pupils(plan)
    visible_ids = pupils_for(user).values("pk")
    rows = list(
        cohort.filter(pk__in=visible_ids).select_related("current_school", "current_location")
    )
    entries = {
        e.pupil_id: e
        for e in CohortEntry.objects.filter(
            plan=plan, pupil_id__in=[p.pk for p in rows]
        ).select_related("destination_school")
    }
    for pupil in rows:
        pupil.entry = entries.get(pupil.pk)
        pupil.no_place = pupil.outflow != CohortEntry.Outflow.NATURAL and (
            pupil.case_status not in CONFIRMED_PLACE
        )
        pupil.case_status_label = (
            PlacementCase.Status(pupil.case_status).label if pupil.case_status else ""
        )
    raw = cohort_counts(cohort)
    exact = not hides_small_counts(user, cohort)
    counts = {key: publish(n, exact=exact) for key, n in raw.items()}
    return CohortView(
        rows=rows,
        counts=counts,
        exact=exact,
        breakdown=exact or counts["total"] != LESS_THAN_FIVE,
        hidden_others=len(rows) < raw["total"],
    )


# --- late items -------------------------------------------------------------------


@dataclass
class LateItem:
    plan: TransitionPlan
    kind: str  # mijlpaal, communicatie, inspectie, vraag, leerling
    label: str
    due: date  # for a pupil: the closing date, still ahead
    url: str
    pupil: object = None  # a cohort pupil without a confirmed place

    @property
    def is_pupil(self) -> bool:
        return self.pupil is not None


def late_transition_items(region, today=None, *, user=None, plans=None) -> list:
    """What is late in the region's transition plans, oldest first: milestones past their
    planned date without an actual date, communication steps past their date and not
    done, Inspectie deadlines passed and not done, open board questions past their
    answer date, and, once fewer than PLACE_WARNING_MONTHS months remain until the closing
    date, cohort pupils without a confirmed place.

    Pupil items only for the pupils `user` sees (learners.selectors.pupils_for): pass the
    user; without one (or for a manager) there are none, so a page for readers of the
    region shows no pupil codes or counts."""
    today = today or timezone.localdate()
    if plans is None:
        plans = TransitionPlan.objects.filter(region=region).select_related("location")
    plans = {plan.pk: plan for plan in plans}
    if not plans:
        return []
    items = []
    kinds = {
        Milestone: ("mijlpaal", "planned", "mijlpalen"),
        CommunicationItem: ("communicatie", "date", "communicatie"),
        InspectieEvent: ("inspectie", "deadline", "inspectie"),
        BoardQuestion: ("vraag", "answer_due", "vragen"),
    }
    for model, condition in _late_filters(today):
        kind, due_field, anchor = kinds[model]
        for row in model.objects.filter(condition, plan_id__in=plans):
            plan = plans[row.plan_id]
            items.append(
                LateItem(
                    plan=plan,
                    kind=kind,
                    label=_late_label(kind, row),
                    due=getattr(row, due_field),
                    url=f"{plan.get_absolute_url()}#{anchor}-{row.pk}",
                )
            )
    if user is not None:
        items += _late_pupils(user, plans.values(), today)
    return sorted(items, key=lambda item: (item.due, item.kind, item.label))


def _late_label(kind, row) -> str:
    if kind == "mijlpaal":
        return _("Mijlpaal: %(label)s") % {"label": row.label}
    if kind == "communicatie":
        return _("Communicatie aan %(audience)s") % {"audience": row.audience}
    if kind == "inspectie":
        return _("Inspectie: %(label)s") % {"label": row}
    return _("Vraag van de regio: %(question)s") % {"question": str(row)}


def _late_pupils(user, plans, today) -> list:
    items = []
    visible = pupils_for(user).values("pk")
    for plan in plans:
        closing = plan.location.closing_date
        if not closing or months_between(today, closing) >= PLACE_WARNING_MONTHS:
            continue
        pupils = cohort_pupils(plan).filter(without_confirmed_place(), pk__in=visible)
        for pupil in pupils:
            items.append(
                LateItem(
                    plan=plan,
                    kind="leerling",
                    label=_("Leerling %(code)s: nog geen bevestigde plaats") % {"code": pupil.code},
                    due=closing,
                    url=f"{plan.get_absolute_url()}#leerling-{pupil.code}",
                    pupil=pupil,
                )
            )
    return items


# --- agreements ------------------------------------------------------------------------


PARTY_RELATED = ("school", "bestuur", "swv", "gemeente")


def agreements_for(user):
    """Agreements the user may read: all of a region they read (coordinator, begeleider,
    manager), and for a school leader only those where his school is a party. Agreements
    are regional work, not partner data: none for the functional admin."""
    scope = get_scope(user)
    qs = Agreement.objects.select_related("region")
    condition = Q(region_id__in=scope.readable_regions)
    if scope.leader_schools:
        condition |= Q(
            pk__in=AgreementParty.objects.filter(school_id__in=scope.leader_schools).values(
                "agreement_id"
            )
        )
    return qs.filter(condition)


def get_agreement_for_user(user, pk, *, write=False) -> Agreement:
    """One agreement the user may read (404 otherwise); with write=True one he may change:
    the region's coordinator (403 for who only reads)."""
    return _get_for(agreements_for(user), pk, write and _region_editor(user))


def agreement_rows(queryset):
    """The list's rows: parties (with their partner) and the latest version number in
    a fixed number of queries, whatever the page size."""
    return queryset.annotate(latest_version=Max("versions__number")).prefetch_related(
        Prefetch("parties", AgreementParty.objects.select_related(*PARTY_RELATED))
    )


@dataclass(frozen=True)
class NeedsAttention:
    agreement: Agreement
    reasons: list  # Dutch phrases: "betwist", "loopt binnen 3 maanden af", ...

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def agreements_needing_attention(region, today=None) -> list:
    """The region's agreements that are disputed, end within 3 months (or passed their
    end date without being ended), or have been draft for more than 2 months (counted
    from the day the status became draft), each with its reasons; soonest end first."""
    today = today or timezone.localdate()
    agreements = (
        Agreement.objects.filter(region=region)
        .filter(Agreement.attention_q(today))
        .order_by("end", "pk")
    )
    return [NeedsAttention(a, a.attention_reasons(today)) for a in agreements]


def agreement_versions(agreement):
    """All versions, oldest first, with who recorded them and which parties agreed."""
    consents = AgreementConsent.objects.select_related(
        *(f"party__{name}" for name in PARTY_RELATED)
    ).order_by("agreed_on", "pk")
    return list(
        agreement.versions.select_related("recorded_by").prefetch_related(
            Prefetch("consents", consents)
        )
    )


def agreement_parties(agreement):
    return list(
        agreement.parties.select_related(*PARTY_RELATED).prefetch_related(
            Prefetch("consents", AgreementConsent.objects.select_related("version"))
        )
    )


@dataclass
class HistoryLine:
    """One line of templates/_history.html: (label, from, to) changes."""

    timestamp: object
    actor: str
    changes: list


def agreement_history(agreement, *, limit=15) -> list:
    """The audit trail of the agreement, its parties, versions and consents (also of a
    party since removed), newest first, as readable lines."""
    types = ContentType.objects.get_for_models(
        Agreement, AgreementParty, AgreementVersion, AgreementConsent
    )
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Agreement], object_id=agreement.pk)
            | Q(
                content_type__in=[
                    types[AgreementParty],
                    types[AgreementVersion],
                    types[AgreementConsent],
                ],
                additional_data__agreement=agreement.pk,
            )
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    lines = []
    for entry in entries:
        model = entry.content_type.model_class()
        created = entry.action == LogEntry.Action.CREATE
        deleted = entry.action == LogEntry.Action.DELETE
        if model is Agreement:
            if created:
                changes = [(_("afspraak"), "–", entry.object_repr)]
            else:
                changes = describe_changes(Agreement, entry.changes_dict)
        elif model is AgreementVersion:
            changes = [(_("nieuwe versie"), "–", entry.object_repr)]
        elif model is AgreementConsent:
            changes = [(_("instemming"), "–", _("vastgelegd"))]
        else:
            changes = [
                (_("partij"), entry.object_repr, "–")
                if deleted
                else (_("partij"), "–" if created else entry.object_repr, entry.object_repr)
            ]
        changes = [c for c in changes if c[1] != c[2]]
        if not changes:
            continue
        actor = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else ""
        lines.append(HistoryLine(entry.timestamp, actor, changes))
    return lines


# --- what needs attention in a region (region page, home page) -------------------------


@dataclass
class RegionAttention:
    region: object
    agreements: list  # NeedsAttention
    late: list  # LateItem of the transition plans
    below_minimum: list  # initiatives whose typed pupil count is under their minimum

    def __bool__(self):
        return bool(self.agreements or self.late or self.below_minimum)


def region_attention(region, user, today=None) -> RegionAttention:
    """What a reader of `region` should look at: agreements that need attention, what is
    late in the transition plans (pupils only those the user sees) and initiatives under
    their viability minimum (the typed number, so no pupil count is given away)."""
    scope = get_scope(user)
    reads = region.pk in scope.readable_regions
    below = []
    if reads:
        below = [
            initiative
            for initiative in Initiative.objects.filter(region=region)
            .exclude(status__in=["gestopt", "geevalueerd"])
            .exclude(viability_minimum=None)
            .order_by("name")
            if initiative.typed_below_minimum
        ]
    return RegionAttention(
        region=region,
        agreements=agreements_needing_attention(region, today=today) if reads else [],
        late=late_transition_items(region, today, user=user) if reads else [],
        below_minimum=below,
    )
