"""Reads for the toolkit and werkagenda pages.

Access is decided by regions.selectors.get_region_for_user; everything here takes a
region the caller already may see and answers in a fixed number of queries, whatever
the number of actions or changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from regions.models import Role, RoleAssignment

from .models import (
    ActionStatus,
    Chapter,
    Measure,
    PracticeExample,
    ProgressStatus,
    RegionAction,
    RegionItemProgress,
    RegionMeasure,
    ToolkitItem,
    WerkagendaLine,
)

HISTORY_LENGTH = 3
PROGRESS_FIELDS = {"status", "owner", "due_date", "note"}
DECISION_FIELDS = {"decision", "reason"}


def region_users(region):
    """Users with a role in the region itself: they can own tips and actions."""
    return list(
        get_user_model()
        .objects.filter(
            pk__in=RoleAssignment.objects.in_force()
            .filter(region=region, role__in=[Role.COORDINATOR, Role.BEGELEIDER])
            .values("user_id"),
            is_active=True,
        )
        .order_by("first_name", "last_name", "username")
    )


def region_user_ids(region):
    return set(
        RoleAssignment.objects.in_force()
        .filter(region=region, role__in=[Role.COORDINATOR, Role.BEGELEIDER], user__is_active=True)
        .values_list("user_id", flat=True)
    )


# --- audit history -----------------------------------------------------------------


@dataclass
class HistoryEntry:
    timestamp: object
    actor: str
    changes: list = field(default_factory=list)  # (label, from, to)


def _label_value(model, name, value, users):
    if value in (None, "None", ""):
        return "–"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, DateField):
        try:
            return date_format(date.fromisoformat(str(value)[:10]), "j M Y")
        except ValueError:
            return str(value)
    if name == "owner":
        user = users.get(str(value))
        return (user.get_full_name() or user.username) if user else value
    return str(value)


def histories(model, ids, *, users, limit=HISTORY_LENGTH, fields=None):
    """The last `limit` audit entries per object, in one query (a window function)."""
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=ct, object_id__in=ids)
    if fields:
        condition = Q()
        for name in fields:
            condition |= Q(changes__has_key=name)
        entries = entries.filter(condition)
    ranked = (
        entries.annotate(
            rank=Window(RowNumber(), partition_by=[F("object_id")], order_by=F("timestamp").desc())
        )
        .filter(rank__lte=limit)
        .select_related("actor")
        .order_by("object_id", "-timestamp")
    )
    users_by_pk = {str(u.pk): u for u in users}
    field_order = {f.verbose_name: i for i, f in enumerate(model._meta.get_fields()) if f.concrete}
    result = defaultdict(list)
    for entry in ranked:
        changes = []
        for name, change in (entry.changes_dict or {}).items():
            if fields is not None and name not in fields:
                continue
            try:
                label = model._meta.get_field(name).verbose_name
            except Exception:  # noqa: S112 - a field since removed from the model
                continue
            if isinstance(change, dict):  # m2m changes
                continue
            old, new = change
            if entry.action == LogEntry.Action.CREATE and old in (None, "None"):
                # Rows are created on the first save; before that the field had its default.
                default = model._meta.get_field(name).get_default()
                old = default if default not in (None, "") else old
            old_label = _label_value(model, name, old, users_by_pk)
            new_label = _label_value(model, name, new, users_by_pk)
            if old_label != new_label:
                changes.append((label, old_label, new_label))
        changes.sort(key=lambda change: field_order.get(change[0], 99))
        actor = entry.actor.get_full_name() or entry.actor.username if entry.actor else ""
        result[entry.object_id].append(HistoryEntry(entry.timestamp, actor, changes))
    return result


# --- toolkit ---------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: ToolkitItem
    progress: RegionItemProgress  # unsaved default when the region has not touched it yet
    history: list

    @property
    def overdue(self):
        return self.progress.is_overdue()


def item_rows(region, *, users=None, with_history=True):
    """All toolkit items with the region's progress, in chapter order (`with_history`:
    each row's recent changes, for the page; a plan has no use for them).

    Progress rows are created lazily, on the first save (services.update_item_progress):
    reading a page never writes, and a new item in the content simply shows as
    "niet gestart" in every region.
    """
    users = region_users(region) if users is None else users
    items = list(
        ToolkitItem.objects.select_related("chapter", "section").prefetch_related(
            Prefetch("lines", queryset=WerkagendaLine.objects.order_by("number"))
        )
    )
    progress = {
        p.item_id: p
        for p in RegionItemProgress.objects.filter(region=region).select_related("owner")
    }
    history = {}
    if with_history:
        history = histories(
            RegionItemProgress,
            [p.pk for p in progress.values()],
            users=users,
            fields=PROGRESS_FIELDS,
        )
    rows = []
    for item in items:
        p = progress.get(item.pk) or RegionItemProgress(region=region, item=item)
        p.item = item
        rows.append(ItemRow(item, p, history.get(p.pk, []) if p.pk else []))
    return rows


def item_row(region, item, *, users=None):
    users = region_users(region) if users is None else users
    p = RegionItemProgress.objects.filter(region=region, item=item).select_related(
        "owner"
    ).first() or RegionItemProgress(region=region, item=item)
    p.item = item
    history = (
        histories(RegionItemProgress, [p.pk], users=users, fields=PROGRESS_FIELDS).get(p.pk, [])
        if p.pk
        else []
    )
    return ItemRow(item, p, history)


def filter_rows(rows, data):
    """Apply the toolkit filters (cleaned data of forms.ItemFilterForm) in Python: 38 rows."""
    if data.get("status") == "te_doen":  # forms.NEEDS_ACTION: open, so also all overdue
        rows = [r for r in rows if r.progress.is_open]
    elif data.get("status"):
        rows = [r for r in rows if r.progress.status == data["status"]]
    if data.get("chapter"):
        rows = [r for r in rows if r.item.chapter.number == data["chapter"]]
    if data.get("kind"):
        rows = [r for r in rows if r.item.kind == data["kind"]]
    if data.get("line"):
        rows = [r for r in rows if any(ln.number == data["line"] for ln in r.item.lines.all())]
    if data.get("overdue"):
        rows = [r for r in rows if r.overdue]
    if data.get("owner"):
        owner = data["owner"]
        rows = [r for r in rows if (r.progress.owner_id or 0) == owner]
    return rows


def group_by_chapter(rows):
    chapters = {c.pk: c for c in Chapter.objects.all()}
    groups = defaultdict(list)
    for row in rows:
        groups[row.item.chapter_id].append(row)
    return [(chapters[pk], groups[pk]) for pk in sorted(groups, key=lambda pk: chapters[pk].number)]


# --- werkagenda --------------------------------------------------------------------------


@dataclass
class LineBlock:
    line: WerkagendaLine
    measures: list  # (measure, RegionMeasure) pairs, regional and school level
    actions: list
    national: list = field(default_factory=list)  # the line's landelijke measures, as context
    # The line's actions counted in the database (the page shows a folded line by these).
    n_actions: int = 0
    n_open: int = 0
    n_overdue: int = 0
    is_open: bool = True  # its actions loaded and shown


def werkagenda(region, *, with_links=True, open_lines=None):
    """The werkagenda page's blocks per line (`with_links`: the actions' partners and
    initiatives, for the page; a plan needs neither). `open_lines`: the line numbers whose
    actions are loaded (the page folds the others to their counts: 180 actions rendered
    made the large region's page 25-44 times a trivial view); None: every line's. No change
    history: a row shows it when opened (werkagenda_action, werkagenda_decision)."""
    lines = list(WerkagendaLine.objects.all())
    all_measures = list(Measure.objects.all())
    measures = [m for m in all_measures if m.region_decides]
    decisions = {d.measure_id: d for d in RegionMeasure.objects.filter(region=region)}
    actions = RegionAction.objects.filter(region=region).select_related("owner", "measure")
    if open_lines is not None:
        actions = actions.filter(line__number__in=open_lines)
    if with_links:
        # "initiatives": the reverse link from initiatives (by name; toolkit imports nothing
        # from there).
        actions = _with_links(actions)
    blocks = {
        line.pk: LineBlock(line, [], [], is_open=open_lines is None or line.number in open_lines)
        for line in lines
    }
    if open_lines is not None:
        for line_id, counts in action_counts_per_line(region).items():
            block = blocks[line_id]
            block.n_actions, block.n_open, block.n_overdue = counts
    for m in measures:
        decision = decisions.get(m.pk) or RegionMeasure(region=region, measure=m)
        decision.measure = m
        blocks[m.line_id].measures.append(decision)
    for action in actions:
        blocks[action.line_id].actions.append(action)
    for m in all_measures:
        if not m.region_decides:
            blocks[m.line_id].national.append(m)
    return [blocks[line.pk] for line in lines]


def _with_links(actions):
    """Actions with `partners` (school names, then SWV codes) and `initiative_list`, read
    once each instead of asking every related manager again in the template."""
    for action in actions.prefetch_related("schools", "swvs", "initiatives"):
        action.partners = [s.name for s in action.schools.all()] + [
            swv.code for swv in action.swvs.all()
        ]
        action.initiative_list = list(action.initiatives.all())
        yield action


def action_counts_per_line(region, today=None):
    """{line_id: (actions, open, overdue)} of the region's actions, in one query."""
    today = today or timezone.localdate()
    not_done = ~Q(status=ActionStatus.DONE)
    rows = (
        RegionAction.objects.filter(region=region)
        .values("line_id")
        .annotate(
            n=Count("pk"),
            n_open=Count("pk", filter=not_done),
            n_overdue=Count("pk", filter=not_done & Q(deadline__lt=today)),
        )
        .values_list("line_id", "n", "n_open", "n_overdue")
    )
    return {line_id: (n, n_open, n_overdue) for line_id, n, n_open, n_overdue in rows}


def line_actions(region, line):
    """One werkagenda line of the region with its actions (the line opened in place)."""
    block = LineBlock(line, [], [])
    found = RegionAction.objects.filter(region=region, line=line).select_related("owner", "measure")
    block.actions = list(_with_links(found))
    block.n_actions, block.n_open, block.n_overdue = action_counts_per_line(region).get(
        line.pk, (0, 0, 0)
    )
    return block


def werkagenda_action(region, pk):
    """One action of the region with its links and short status history (the row opened)."""
    found = RegionAction.objects.filter(region=region, pk=pk).select_related(
        "owner", "measure", "line"
    )
    action = next(_with_links(found), None)
    if action is None:
        raise Http404
    action.history = histories(
        RegionAction, [action.pk], users=region_users(region), fields={"status"}
    ).get(action.pk, [])
    return action


# --- dashboard ------------------------------------------------------------------------------


@dataclass
class LineProgress:
    line: WerkagendaLine
    adopted: int
    with_done_action: int
    actions: int
    done_actions: int

    @property
    def share(self):
        return self.with_done_action / self.adopted if self.adopted else 0.0

    @property
    def percent(self):
        return round(self.share * 100)


def line_progress(region):
    """Per line: the share of adopted measures that have at least one done action."""
    return line_progress_by_region([region.pk])[region.pk]


def line_progress_by_region(region_ids):
    """{region_id: line_progress} for many regions in three queries (the overview)."""
    lines = list(WerkagendaLine.objects.all())
    adopted = defaultdict(set)
    for region_id, measure_id, line_id in RegionMeasure.objects.filter(
        region_id__in=region_ids, decision=RegionMeasure.Decision.ADOPTED
    ).values_list("region_id", "measure_id", "measure__line_id"):
        adopted[region_id, line_id].add(measure_id)
    done_measures = defaultdict(set)
    counts = defaultdict(lambda: [0, 0])
    for region_id, line_id, measure_id, status in RegionAction.objects.filter(
        region_id__in=region_ids
    ).values_list("region_id", "line_id", "measure_id", "status"):
        counts[region_id, line_id][0] += 1
        if status == ActionStatus.DONE:
            counts[region_id, line_id][1] += 1
            if measure_id:
                done_measures[region_id, line_id].add(measure_id)
    return {
        region_id: [
            LineProgress(
                line,
                len(adopted[region_id, line.pk]),
                len(adopted[region_id, line.pk] & done_measures[region_id, line.pk]),
                counts[region_id, line.pk][0],
                counts[region_id, line.pk][1],
            )
            for line in lines
        ]
        for region_id in region_ids
    }


def tip_status_counts(region):
    return tip_status_counts_by_region([region.pk])[region.pk]


def tip_status_counts_by_region(region_ids):
    """{region_id: [(status, label, n)]} for many regions in two queries."""
    total = ToolkitItem.objects.count()
    counts = {region_id: dict.fromkeys(ProgressStatus.values, 0) for region_id in region_ids}
    for region_id, status in RegionItemProgress.objects.filter(
        region_id__in=region_ids
    ).values_list("region_id", "status"):
        counts[region_id][status] += 1
    for by_status in counts.values():
        by_status[ProgressStatus.NOT_STARTED] = total - sum(
            n for s, n in by_status.items() if s != ProgressStatus.NOT_STARTED
        )
    return {
        region_id: [
            (status, label, counts[region_id][status]) for status, label in ProgressStatus.choices
        ]
        for region_id in region_ids
    }


def overdue_items(region, today=None):
    today = today or timezone.localdate()
    return list(
        RegionItemProgress.objects.filter(
            region=region,
            due_date__lt=today,
            status__in=[ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS],
        )
        .select_related("item", "owner")
        .order_by("due_date", "item__title")
    )


def overdue_actions(region, today=None):
    today = today or timezone.localdate()
    return list(
        RegionAction.objects.filter(region=region, deadline__lt=today)
        .exclude(status=ActionStatus.DONE)
        .select_related("line", "owner")
        .order_by("deadline", "title")
    )


def werkagenda_decision(region, measure):
    """One measure with the region's decision and its short history (for the htmx partial)."""
    decision = RegionMeasure.objects.filter(region=region, measure=measure).first() or (
        RegionMeasure(region=region, measure=measure)
    )
    decision.measure = measure
    decision.history = (
        histories(
            RegionMeasure, [decision.pk], users=region_users(region), fields=DECISION_FIELDS
        ).get(decision.pk, [])
        if decision.pk
        else []
    )
    return decision


def overdue_counts(region_ids, today=None):
    """{region_id: (overdue tips, overdue actions)} for many regions in two queries."""
    today = today or timezone.localdate()
    counts = {region_id: [0, 0] for region_id in region_ids}
    for region_id, n in (
        RegionItemProgress.objects.filter(
            region_id__in=region_ids,
            due_date__lt=today,
            status__in=[ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS],
        )
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    ):
        counts[region_id][0] = n
    for region_id, n in (
        RegionAction.objects.filter(region_id__in=region_ids, deadline__lt=today)
        .exclude(status=ActionStatus.DONE)
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    ):
        counts[region_id][1] = n
    return {region_id: tuple(pair) for region_id, pair in counts.items()}


# --- practice-example library -----------------------------------------------------------


def practice_examples(filters):
    """The library, narrowed by ExampleFilterForm.filters(): type and construction in the
    database, sectors and clusters (short JSON lists) in Python over the whole list, so
    the same on SQLite and PostgreSQL. One query, whatever the number of examples."""
    examples = PracticeExample.objects.select_related("type")
    if "vorm" in filters:
        examples = examples.filter(type__slug=filters["vorm"])
    if "constructie" in filters:
        examples = examples.filter(construction=filters["constructie"])
    examples = list(examples)
    if "sector" in filters:
        examples = [e for e in examples if filters["sector"] in e.sectors]
    if "cluster" in filters:
        examples = [e for e in examples if filters["cluster"] in e.clusters]
    return examples
