"""What a user may see of initiatives, agreements and transition plans."""


# --- transition plans ---
# Readers of the region (coordinator, begeleider, manager) read a plan, its coordinator
# edits it; a school leader, the functional admin and other regions get 404. Pupil codes
# in the cohort only for who sees those pupils (learners.selectors.pupils_for), counts
# for everyone else, rounded by the small-count rule.

from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db.models import Count, OuterRef, Q, Subquery  # noqa: E402
from django.http import Http404  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from learners.models import PlacementCase, Pupil  # noqa: E402
from learners.selectors import (  # noqa: E402
    LESS_THAN_FIVE,
    hides_small_counts,
    publish,
    pupils_at_location,
    pupils_for,
)
from regions.models import Location  # noqa: E402
from regions.selectors import get_scope  # noqa: E402

from .models import (  # noqa: E402
    PLACE_WARNING_MONTHS,
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    InspectieEvent,
    Milestone,
    TransitionPlan,
    months_between,
)

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
    try:
        plan = transition_plans_for(user).get(pk=pk)
    except (TransitionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not get_scope(user).can_edit_region(plan.region_id):
        raise PermissionDenied
    return plan


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
    try:
        location = Location.objects.select_related("region").get(
            pk=pk, region_id__in=get_scope(user).readable_regions
        )
    except (Location.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not get_scope(user).can_edit_region(location.region_id):
        raise PermissionDenied
    return location


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
    due: date
    url: str


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
                )
            )
    return items
