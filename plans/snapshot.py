"""The regional plan as data: everything the plan page and its PDF show, gathered from
the other apps into one JSON-serialisable dict (the contract: /work/plan-schema.md,
summarised in docs/architecture.md).

A frozen version stores this dict and is shown and rendered again from it alone, so it
holds labels already translated (call it inside translation.override) and nothing that
depends on who looks: no pupil name, code, birth date or pk, and every pupil count as a
published string (bands of 5: "<5", "5-9", ...), the rule for whoever does not see every
pupil behind a number. The number of queries does not grow with the region's data.
"""

import re
from collections import Counter, defaultdict

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from checklists.models import Assignment, ChecklistTemplate
from checklists.rollup import build_rollup
from initiatives.models import Agreement, Initiative, Milestone, TransitionPlan
from initiatives.selectors import cohort_counts, cohort_pupils
from learners.models import Pupil
from learners.selectors import compute_deadlines, group_figures, publish
from regions.models import Location
from toolkit import selectors as toolkit_selectors
from toolkit.models import Chapter, Measure, Phase, ProgressStatus, ReviewMoment

from .models import Goal, OutcomeStatus, PlanSection, PlanText, RegionalPlan

SCHEMA = 1
YEAR = re.compile(r"\b(20\d\d)\b")


def iso(day):
    return day.isoformat() if day else None


def published(count) -> str:
    """A pupil count as the plan publishes it: a string, 1-4 as "<5", else its band."""
    return str(publish(count, exact=False))


def build_snapshot(region, *, today=None) -> dict:
    today = today or timezone.localdate()
    texts = {t.section: t for t in PlanText.objects.filter(region=region)}
    # Pupil records are read inside the region's own scope (django-scopes), so this works
    # the same in a request, in the PDF worker and in a command.
    with scope(region=[region.pk]):
        pupils = Pupil.objects.filter(region=region, is_active=True)
        data = {
            PlanSection.CONTEXT: _context(region),
            PlanSection.GOALS: _goals(region),
            PlanSection.PUPILS: _pupils(pupils, today),
            PlanSection.WERKAGENDA: _werkagenda(region, today),
            PlanSection.TOOLKIT: _toolkit(region),
            PlanSection.INITIATIVES: _initiatives(region),
            PlanSection.TRANSITION: _transition(region),
            PlanSection.CHECKLISTS: _checklists(region),
            PlanSection.TIMELINE: _timeline(region, pupils, today),
        }
    sections = []
    for number, (key, title) in enumerate(PlanSection.choices, start=1):
        text = texts.get(key)
        sections.append(
            {
                "key": key,
                "number": number,
                "title": str(title),
                "intro": text.intro if text else "",
                "conclusion": text.conclusion if text else "",
                **data[key],
            }
        )
    return {
        "schema": SCHEMA,
        "region": {"pk": region.pk, "name": region.name, "institution": region.institution.name},
        "date": today.isoformat(),
        "sections": sections,
    }


def _context(region):
    plan = RegionalPlan.objects.filter(region=region).first()
    return {
        "description": region.description,
        "pressures": plan.pressures if plan else "",
        "locations": [
            {
                "name": location.name,
                "place": location.place,
                "status": location.get_status_display(),
                "closing": iso(location.closing_date),
            }
            for location in Location.objects.filter(region=region)
        ],
        "swvs": [{"code": s.code, "name": s.name} for s in region.swvs.order_by("code")],
        "municipalities": list(region.gemeenten.order_by("name").values_list("name", flat=True)),
    }


def _goals(region):
    goals = defaultdict(list)
    for goal in Goal.objects.filter(region=region).prefetch_related(
        "outcomes", "actions", "initiatives"
    ):
        goals[goal.phase_id].append(
            {
                "pk": goal.pk,
                "title": goal.title,
                "description": goal.description,
                "outcomes": [
                    {
                        "text": o.text,
                        "status": o.status,
                        "status_label": o.get_status_display(),
                    }
                    for o in goal.outcomes.all()
                ],
                "actions": sorted(a.title for a in goal.actions.all()),
                "initiatives": sorted(i.name for i in goal.initiatives.all()),
            }
        )
    return {
        "phases": [
            {
                "number": phase.number,
                "name": phase.name,
                "period": f"{phase.start_year}-{phase.end_year}",
                "goals": goals[phase.pk],
            }
            for phase in Phase.objects.all()
        ],
        "legend": [
            {"status": value, "label": str(label)} for value, label in OutcomeStatus.choices
        ],
    }


PUPIL_TABLES = (
    ("target_group", "by_target_group", gettext_lazy("Naar doelgroep")),
    ("arrangement", "by_setting", gettext_lazy("Naar soort arrangement")),
    ("level", "by_level", gettext_lazy("Naar niveau")),
    ("placement", "by_status", gettext_lazy("Naar plaatsingsstatus")),
)


def _pupils(pupils, today):
    # hide_small: the plan is read by boards and partner schools, who do not see the
    # pupils, so every number goes through the publication audit (learners.disclosure).
    figures = group_figures(pupils, hide_small=True, day=today, schools=False)
    tables = []
    for key, name, title in PUPIL_TABLES:
        tables.append(
            {
                "key": key,
                "title": str(title),
                "withheld": name in figures["withheld"] or bool(figures.get("too_few")),
                "rows": [
                    {"label": str(row["label"]), "count": str(row["count"])}
                    for row in figures[name]
                ],
            }
        )
    placement = tables[-1]
    return {
        "total": str(figures["total"]),
        "tables": tables,
        "chart": {"key": "placement", "title": placement["title"], "rows": placement["rows"]},
    }


def _werkagenda(region, today):
    progress = {p.line.pk: p for p in toolkit_selectors.line_progress(region)}
    lines = []
    for block in toolkit_selectors.werkagenda(region, with_links=False):
        p = progress[block.line.pk]
        lines.append(
            {
                "number": block.line.number,
                "title": block.line.title,
                "done": p.with_done_action,
                "total": p.adopted,
                "percent": p.percent,
                "actions_done": p.done_actions,
                "actions_total": p.actions,
                "measures": [
                    {
                        "code": d.measure.code,
                        "title": d.measure.title,
                        "decision": d.decision,
                        "decision_label": d.get_decision_display(),
                    }
                    for d in block.measures
                ],
                "actions": [_action(a, today) for a in block.actions],
            }
        )
    return {"lines": lines}


def _action(action, today):
    return {
        "pk": action.pk,
        "title": action.title,
        "status": action.status,
        "status_label": action.get_status_display(),
        "deadline": iso(action.deadline),
        "overdue": action.is_overdue(today),
        "goal": action.goal,
        "current_situation": action.current_situation,
        "activities": action.activities,
        "consequences_organisation": action.consequences_organisation,
        "consequences_training": action.consequences_training,
        "costs": action.costs,
        "measurable_result": action.measurable_result,
        "evaluation": action.evaluation,
        "safeguarding": action.safeguarding,
    }


def _toolkit(region):
    rows = toolkit_selectors.item_rows(region, users=[], with_history=False)
    per_chapter = defaultdict(Counter)
    for row in rows:
        per_chapter[row.item.chapter_id][row.progress.status] += 1
    chapters = []
    for chapter in Chapter.objects.filter(items__isnull=False).distinct():
        counts = per_chapter[chapter.pk]
        total = sum(counts.values())
        applicable = total - counts[ProgressStatus.NOT_APPLICABLE]
        chapters.append(
            {
                "number": chapter.number,
                "title": chapter.title,
                "done": counts[ProgressStatus.DONE],
                "in_progress": counts[ProgressStatus.IN_PROGRESS],
                "not_started": counts[ProgressStatus.NOT_STARTED],
                "not_applicable": counts[ProgressStatus.NOT_APPLICABLE],
                "total": total,
                "percent": round(100 * counts[ProgressStatus.DONE] / applicable)
                if applicable
                else 0,
            }
        )
    return {
        "chapters": chapters,
        "status_counts": [
            {"status": status, "label": str(label), "count": n}
            for status, label, n in toolkit_selectors.tip_status_counts(region)
        ],
        "items": [
            {
                "code": row.item.section.number if row.item.section_id else "",
                "title": row.item.title,
                "chapter": row.item.chapter.number,
                "status": row.progress.status,
                "status_label": row.progress.get_status_display(),
            }
            for row in rows
        ],
    }


def _initiatives(region):
    initiatives = Initiative.objects.filter(region=region).order_by("name")
    return {
        "initiatives": [
            {
                "pk": i.pk,
                "title": i.name,
                "status": i.status,
                "status_label": i.get_status_display(),
                # The number the coordinator typed against the minimum: the same for
                # every reader (counts from pupil records are for the coordinator only).
                "below_viability": i.pupils_typed is not None
                and i.viability_minimum is not None
                and i.pupils_typed < i.viability_minimum,
                "evaluation": iso(i.evaluation_date),
            }
            for i in initiatives
        ],
        "agreements": [
            {
                "pk": a.pk,
                "title": a.title,
                "status": a.status,
                "status_label": a.get_status_display(),
            }
            for a in Agreement.objects.filter(region=region).order_by("title")
        ],
    }


def _transition(region):
    plans = []
    for plan in (
        TransitionPlan.objects.filter(region=region)
        .select_related("location")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned", "pk"))
        )
    ):
        counts = cohort_counts(cohort_pupils(plan))
        plans.append(
            {
                "pk": plan.pk,
                "location": plan.location.name,
                "closing": iso(plan.location.closing_date),
                "status_label": plan.location.get_status_display(),
                # The cohort's size only: pupils without a place are the institution
                # overview's figure, audited there together with the figures page.
                "pupils": published(counts["total"]),
                "milestones": [
                    {"date": iso(m.when), "title": m.label, "done": bool(m.actual)}
                    for m in plan.milestones.all()
                ],
            }
        )
    return {"plans": plans}


def _checklists(region):
    templates = []
    assignments = Assignment.objects.filter(region=region)
    for template in ChecklistTemplate.objects.filter(
        versions__assignments__region=region
    ).distinct():
        rollup = build_rollup(template, assignments.filter(template_version__template=template))
        templates.append(
            {
                "title": template.title,
                "responses": len(rollup.results),
                "schools": len(rollup.rows),
                "sections": [
                    {"title": s.title, "score": None if s.mean is None else round(s.mean, 2)}
                    for s in rollup.sections
                ],
            }
        )
    return {"templates": templates}


def _timeline(region, pupils, today):
    entries = []

    def add(kind, label, title, *, day=None, year=None):
        entries.append(
            {
                "date": iso(day),
                "year": year or day.year,
                "kind": kind,
                "kind_label": str(label),
                "title": title,
            }
        )

    for phase in Phase.objects.all():
        add(
            "phase",
            _("fase"),
            _("Fase %(n)s: %(name)s (%(start)s-%(end)s)")
            % {
                "n": phase.number,
                "name": phase.name,
                "start": phase.start_year,
                "end": phase.end_year,
            },
            year=phase.start_year,
        )
    for moment in ReviewMoment.objects.all():
        add("review", _("ijkmoment"), moment.title, year=moment.year)
    for measure in Measure.objects.filter(level=Measure.Level.LANDELIJK).exclude(timeline=""):
        # The national timeline is prose ("Schooljaar 2023/2024: ..."): its first year
        # places it; a measure without a year stays off the timeline.
        found = YEAR.search(measure.timeline)
        if found:
            add(
                "national",
                _("landelijke maatregel"),
                f"{measure.code} {measure.title}: {measure.timeline}",
                year=int(found.group(1)),
            )
    for milestone in Milestone.objects.filter(region=region).select_related("plan__location"):
        if milestone.when:
            add(
                "governance",
                _("bestuurlijke mijlpaal"),
                f"{milestone.plan.location.name}: {milestone.label}",
                day=milestone.when,
            )
    for initiative in Initiative.objects.filter(region=region, evaluation_date__isnull=False):
        add(
            "evaluation",
            _("evaluatie initiatief"),
            initiative.name,
            day=initiative.evaluation_date,
        )
    entries.sort(key=lambda e: (e["year"], e["date"] or "", e["kind"], e["title"]))
    return {"entries": entries, "deadlines": _deadlines(pupils, today)}


def _deadlines(pupils, today):
    """Open deadlines per kind, counted, never listed: no pupil is named or coded.

    The kinds of a column add up to its total, which the institution overview publishes
    too (overdue per region): beside a total "<5", four kinds "<5" would each be 1. So a
    column is broken down per kind only when no kind is "<5" (a decision on published
    bands only); otherwise its kinds show "–" and only the total stands."""
    open_, overdue, labels = Counter(), Counter(), {}
    for deadline in compute_deadlines(pupils, today):
        open_[deadline.kind] += 1
        overdue[deadline.kind] += deadline.overdue
        labels.setdefault(deadline.kind, _deadline_label(deadline))
    kinds = sorted(open_)
    shown = {
        name: not any(0 < column[kind] < 5 for kind in kinds)
        for name, column in (("open", open_), ("overdue", overdue))
    }
    rows = [
        {
            "kind": kind,
            "label": labels[kind],
            "open": published(open_[kind]) if shown["open"] else "–",
            "overdue": published(overdue[kind]) if shown["overdue"] else "–",
        }
        for kind in kinds
    ]
    if rows:
        rows.append(
            {
                "kind": "total",
                "label": _("Totaal"),
                "open": published(sum(open_.values())),
                "overdue": published(sum(overdue.values())),
            }
        )
    return rows


DEADLINE_KINDS = {
    "evaluatie": gettext_lazy("Jaarlijkse evaluatie CvO-besluit"),
    "terugplaatsing": gettext_lazy("Overstap na besluit terugplaatsing"),
    "besluit": gettext_lazy("Einde CvO-besluit"),
    "vervolgcontact": gettext_lazy("Vervolgcontact"),
    "overgang": gettext_lazy("Overgangsmoment: besluit over doorlopen ondersteuning"),
}


def _deadline_label(deadline):
    # Per kind, not the deadline's own label (that may name a month count or transition).
    return str(DEADLINE_KINDS.get(deadline.kind, deadline.kind))
