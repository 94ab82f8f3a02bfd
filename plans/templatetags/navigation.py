"""The two menus: the main menu in the header and the tabs of a region's pages.

They link to every app, so they live on the top floor (plans) and nowhere else. Each
entry says which pages count as "here" (namespace:url_name patterns), so a page deep in
a section still marks its menu entry with aria-current.
"""

from dataclasses import dataclass
from fnmatch import fnmatch

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from checklists.selectors import may_see_checklists
from initiatives.selectors import may_list_initiatives
from plans.overview import may_see_overview
from regions.selectors import get_scope

register = template.Library()


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    pages: tuple  # namespace:url_name patterns that count as this entry
    shown: object = ""  # a Scope property that must be true, or a test of the user

    def is_shown(self, scope, user) -> bool:
        if callable(self.shown):
            return self.shown(user)
        return not self.shown or bool(getattr(scope, self.shown))


MAIN_MENU = [
    Entry(_("Start"), "plans:home", ("plans:home",)),
    Entry(
        _("Instelling"),
        "plans:institution_overview",
        ("plans:institution_overview",),
        may_see_overview,
    ),
    Entry(
        _("Regio's"),
        "regions:region_list",
        (
            "regions:region_*",
            "regions:location_*",
            "regions:role_*",
            "toolkit:dashboard",
            "toolkit:toolkit",
            "toolkit:item_*",
            "toolkit:werkagenda",
            "toolkit:measure_*",
            "toolkit:action_*",
            "learners:access_log",
            "initiatives:region_attention",
            "plans:plan",
            "plans:plan_*",
            "plans:goal_*",
        ),
        "may_list_partners",
    ),
    Entry(
        _("Scholen"),
        "regions:school_list",
        ("regions:school_*", "regions:contact_*"),
        "may_list_schools",
    ),
    Entry(_("Samenwerkingsverbanden"), "regions:swv_list", ("regions:swv_*",), "may_list_partners"),
    Entry(_("Gemeenten"), "regions:gemeente_list", ("regions:gemeente_*",), "may_list_partners"),
    Entry(
        _("Leerlingen"),
        "learners:pupil_list",
        ("learners:pupil_*", "learners:placement_*", "learners:record_*"),
        "may_list_pupils",
    ),
    Entry(
        _("Initiatieven"),
        "initiatives:initiative_list",
        (
            "initiatives:initiative_*",
            "initiatives:status_*",
            "initiatives:partner_*",
            "initiatives:agreement_*",
            "initiatives:transition_*",
            "toolkit:example_*",
        ),
        may_list_initiatives,
    ),
    Entry(_("Checklists"), "checklists:assignment_list", ("checklists:*",), may_see_checklists),
    Entry(_("Deadlines"), "learners:deadlines", ("learners:deadlines",), "may_see_deadlines"),
    Entry(_("Cijfers"), "learners:figures", ("learners:figures",), "may_see_figures"),
    Entry(_("DUO-import"), "regions:duo_import", ("regions:duo_import",), "can_import"),
]


def _here(request) -> str:
    match = getattr(request, "resolver_match", None)
    return f"{match.namespace}:{match.url_name}" if match else ""


def _is_here(entry, here) -> bool:
    return any(fnmatch(here, pattern) for pattern in entry.pages)


@register.inclusion_tag("plans/_main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    scope = get_scope(request.user)
    here = _here(request)
    links = [
        {"label": entry.label, "url": reverse(entry.url_name), "current": _is_here(entry, here)}
        for entry in MAIN_MENU
        if entry.is_shown(scope, request.user)
    ]
    return {"links": links, "admin": request.user.is_staff}


# Region tabs; `shown` names the Scope's set of regions that may see the tab ("" = every
# reader of the region, who is already past the page's own selector).
REGION_TABS = [
    Entry(
        _("Overzicht"),
        "regions:region_detail",
        ("regions:region_detail",),
    ),
    Entry(_("Dashboard"), "toolkit:dashboard", ("toolkit:dashboard",)),
    Entry(_("Toolkit"), "toolkit:toolkit", ("toolkit:toolkit", "toolkit:item_*")),
    Entry(
        _("Werkagenda"),
        "toolkit:werkagenda",
        ("toolkit:werkagenda", "toolkit:measure_*", "toolkit:action_*"),
    ),
    Entry(_("Initiatieven"), "initiatives:initiative_list", (), "readable_regions"),
    Entry(
        _("Regioplan"),
        "plans:plan",
        ("plans:plan", "plans:plan_*", "plans:goal_*"),
        "readable_regions",
    ),
    Entry(_("Cijfers"), "learners:figures", ("learners:figures",), "figures_regions"),
    Entry(
        _("Inzagelogboek"), "learners:access_log", ("learners:access_log",), "access_log_regions"
    ),
]
# Pages that filter a national list by region (?regio=) rather than live under it.
REGION_QUERY = {"learners:figures", "initiatives:initiative_list"}


@register.inclusion_tag("plans/_region_tabs.html", takes_context=True)
def region_tabs(context, region):
    request = context["request"]
    scope = get_scope(request.user)
    here = _here(request)
    links = []
    for entry in REGION_TABS:
        if entry.shown and region.pk not in getattr(scope, entry.shown):
            continue
        if entry.url_name in REGION_QUERY:
            url = f"{reverse(entry.url_name)}?regio={region.pk}"
        else:
            url = reverse(entry.url_name, args=[region.pk])
        links.append({"label": entry.label, "url": url, "current": _is_here(entry, here)})
    return {"links": links, "label": _("Regio")}


# The tabs of the initiatives section: cooperation, its agreements, the plans of closing
# locations and the practice examples to learn from.
SECTION_TABS = {
    "initiatieven": [
        Entry(
            _("Initiatieven"),
            "initiatives:initiative_list",
            ("initiatives:initiative_*", "initiatives:status_*", "initiatives:partner_*"),
        ),
        Entry(_("Afspraken"), "initiatives:agreement_list", ("initiatives:agreement_*",)),
        Entry(
            _("Transitieplannen"),
            "initiatives:transition_list",
            ("initiatives:transition_*",),
            "readable_regions",
        ),
        Entry(_("Praktijkvoorbeelden"), "toolkit:example_list", ("toolkit:example_*",)),
    ],
}


@register.inclusion_tag("plans/_region_tabs.html", takes_context=True)
def section_tabs(context, section):
    request = context["request"]
    scope = get_scope(request.user)
    here = _here(request)
    links = [
        {"label": entry.label, "url": reverse(entry.url_name), "current": _is_here(entry, here)}
        for entry in SECTION_TABS[section]
        if entry.is_shown(scope, request.user)
    ]
    return {"links": links, "label": _("Initiatieven en samenwerking")}
