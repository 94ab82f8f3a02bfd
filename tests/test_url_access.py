"""The net under every access rule: every named URL, every role, GET and POST, plain and htmx.

The expected answer for each (URL, role, method) comes from ONE table, ACCESS below. A
named URL without a row fails the test ("add url ... to the access table"), so a new view
cannot slip past. Roles:

    coord          coordinator of the region
    coord_other    coordinator of another region
    beg            ambulant begeleider of the region, on an arrangement of the pupil
    beg_none       ambulant begeleider of the region, not linked to the pupil
    leader         school leader of the pupil's school (in the region)
    leader_other   school leader of a school in another region
    manager        manager of the region's institution
    manager_other  manager of another institution
    beheerder      functional admin (staff, no superuser)
    anon           not logged in

An outcome is a status code or LOGIN: 302 to the login page (for htmx: the client
redirect to the login page that FriendlyRedirectsMiddleware sends instead). Every POST
carries a valid CSRF token (the client enforces CSRF checks) and no data unless the case
gives some; an allowed role then gets 200/400 (form errors) or 302, as the row says.
Plain and htmx requests must give the same outcome.
"""

from collections import defaultdict
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from regions.models import Location, Role, RoleAssignment, SchoolContact
from tests.factories import (
    RegionFactory,
    UserFactory,
    coordinator_of,
    leader_of,
    manager_of,
    school_in,
    user_with_role,
)

LOGIN = "login"
CSRF_TOKEN = "a" * 32  # a valid secret: cookie and X-CSRFToken header carry the same
ROLES = (
    "coord",
    "coord_other",
    "beg",
    "beg_none",
    "leader",
    "leader_other",
    "manager",
    "manager_other",
    "beheerder",
    "anon",
)
# Groups that share an outcome on most rows.
GROUPS = {
    # may read the region and its partners, may not change them
    "readers": ("beg", "beg_none", "manager"),
}
# Namespaces tested elsewhere: Django admin (tests/regions/test_security.py and the admin
# tests); its URLs are Django's, not ours.
SKIPPED_NAMESPACES = {"admin"}


def access(default, **overrides):
    """Outcomes for every role: `default` for each logged-in role, anonymous to the login
    page; a keyword overrides one role or a group of GROUPS (later keywords win).

    An outcome is (GET, POST), or (GET, POST, POST with htmx) where htmx answers a
    fragment with another status; GET with htmx always equals plain GET."""
    table = {role: default for role in ROLES}
    table["anon"] = (LOGIN, LOGIN)
    for name, outcome in overrides.items():
        for role in GROUPS.get(name, (name,)):
            table[role] = outcome
    return table


def get_only(table):
    """A page that only shows: every POST of a logged-in user is 405, before any lookup."""
    return {role: o if role == "anon" else (o[0], 405) for role, o in table.items()}


NF = (404, 404)  # outside the scope, or no business on this page
RO = (403, 403)  # may read the object, may not change it (form page)
READ = (200, 403)  # may read; a POST would change it
POST_NF = (405, 404)  # POST-only view: GET 405 for everyone, POST 404 outside the scope
POST_RO = (405, 403)  # POST-only view, read-only role

# The one table: row -> role -> expected outcome. A row is a URL name, or a URL name
# with its variant in brackets (the record kinds, the figures filters).
ACCESS = {
    "home": get_only(access((200, 200))),
    "login": access((302, 302), anon=(200, 200)),  # logged in: on to the start page
    "logout": access((405, LOGIN), anon=(405, LOGIN)),  # POST only; then to the login page
    "set_language": access((302, 302), anon=(302, 302)),  # anyone, back to `next`
    # One's own password: changed when logged in (POST without data: the form's errors);
    # reset by e-mail by anyone (a made-up link: the "link does not work" page).
    "password_change": access((200, 200)),
    "password_change_done": get_only(access((200, 200))),
    "password_reset": access((200, 200), anon=(200, 200)),
    "password_reset_done": access((200, 405), anon=(200, 405)),
    "password_reset_confirm": access((200, 200), anon=(200, 200)),
    "password_reset_complete": access((200, 405), anon=(200, 405)),
    # Two-factor login, one's own (tests/test_two_factor.py proves the rules with the
    # check on; here it is off, so nobody has a device): the overview and set-up for every
    # logged-in user; verification sends on (nothing to verify); new recovery codes only
    # for a verified session (else: to verification).
    "two_factor": get_only(access((200, 200))),
    "two_factor_setup": access((200, 200)),
    "two_factor_verify": access((302, 302)),
    "two_factor_codes": access((200, 302)),
    # Switching it off: voluntary roles (a POST without the password: the form again);
    # the roles that require it read why not, and their POST is refused.
    "two_factor_switch_off": access(
        (200, 200),
        coord=(200, 403),
        coord_other=(200, 403),
        beg=(200, 403),
        beg_none=(200, 403),
        beheerder=(200, 403),
    ),
    # The load balancer's check: anyone, no login, GET only (config/health.py).
    "health": access((200, 405), anon=(200, 405)),
    "health_ready": access((200, 405), anon=(200, 405)),
    # The header search: every logged-in user, each finds what his selectors give.
    "search": get_only(access((200, 200))),
    # The institution overview: managers only (each sees his own institution's regions).
    "institution_overview": get_only(access(NF, manager=(200, 200), manager_other=(200, 200))),
    # --- regions and partners: readers read, coordinators of the region edit -------
    "region_list": get_only(access((200, 200), leader=NF, leader_other=NF)),
    "region_detail": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))
    ),
    # POST without data re-shows the form (200); read-only roles 403, outsiders 404.
    "region_edit": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    # A pending role: only the region's coordinator decides (without a decision: 400);
    # the beheerder approves in /beheer/, everyone else does not know it is there.
    "role_decision": access(POST_NF, coord=(405, 400)),
    "location_create": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "location_edit": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "school_list": get_only(access((200, 200))),  # a school leader sees his own school
    "school_create": access(RO, coord=(200, 200), coord_other=(200, 200), beheerder=(200, 200)),
    "school_detail": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200), beheerder=(200, 200))
    ),
    "school_edit": access(NF, coord=(200, 200), readers=RO, leader=RO, beheerder=(200, 200)),
    "school_suitability": access(
        NF, coord=(200, 200), readers=READ, leader=READ, beheerder=(200, 200)
    ),
    "contact_add": access(
        POST_NF, coord=(405, 400), readers=POST_RO, leader=POST_RO, beheerder=(405, 400)
    ),
    "contact_delete": access(
        POST_NF, coord=(405, 302), readers=POST_RO, leader=POST_RO, beheerder=(405, 302)
    ),
    "swv_list": get_only(access((200, 200), leader=NF, leader_other=NF)),
    "swv_create": access(RO, coord=(200, 200), coord_other=(200, 200), beheerder=(200, 200)),
    "swv_detail": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    "swv_edit": access(NF, coord=(200, 200), readers=RO, beheerder=(200, 200)),
    "gemeente_list": get_only(access((200, 200), leader=NF, leader_other=NF)),
    "gemeente_edit": access(NF, coord=(200, 200), readers=RO, beheerder=(200, 200)),
    "duo_import": access(RO, coord=(200, 200), coord_other=(200, 200), beheerder=(200, 200)),
    # An import job is its uploader's alone (the coordinator's here): everyone else 404.
    "import_job": get_only(access(NF, coord=(200, 200))),
    # --- pupils: never the manager or the admin -----------------------------------
    "pupil_list": get_only(access((200, 200), manager=NF, manager_other=NF, beheerder=NF)),
    "deadlines": get_only(
        access(NF, coord=(200, 200), coord_other=(200, 200), beg=(200, 200), beg_none=(200, 200))
    ),
    "figures": get_only(access((200, 200), beheerder=NF)),
    "figures[regio]": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    "figures[school]": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200))
    ),
    "pupil_import": access(RO, coord=(200, 200), coord_other=(200, 200)),
    # The empty file to fill in: whoever may import pupils.
    "pupil_import_template": get_only(access(RO, coord=(200, 200), coord_other=(200, 200))),
    "pupil_create": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "pupil_export": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "access_log": get_only(access(NF, coord=(200, 200), readers=RO, beheerder=RO)),
    "pupil_detail": get_only(access(NF, coord=(200, 200), beg=(200, 200), leader=(200, 200))),
    "pupil_edit": access(NF, coord=(200, 200), beg=RO, leader=RO),
    # Inzageverzoek: a POST (it is logged) by the region's coordinator only; who may see
    # the pupil gets 403.
    "pupil_access_request": access(POST_NF, coord=(405, 200), beg=POST_RO, leader=POST_RO),
    "placement_detail": get_only(access(NF, coord=(200, 200), beg=(200, 200), leader=RO)),
    # Without data the step fails: back to the placement page with the message (302).
    "placement_step": access(POST_NF, coord=(405, 302), beg=POST_RO, leader=POST_RO),
    # A POST without data leaves the form unbound: 200, the empty form again.
    "record_create[besluit]": access(NF, coord=(200, 200), beg=RO, leader=RO),
    "record_create[gesprek]": access(NF, coord=(200, 200), beg=(200, 200), leader=RO),
    "record_edit[besluit]": access(NF, coord=(200, 200), beg=RO, leader=RO),
    "record_edit[gesprek]": access(NF, coord=(200, 200), beg=(200, 200), leader=RO),
    # --- toolkit and werkagenda: the region's readers read, its coordinator edits --
    "dashboard": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    "toolkit": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    # Without data: 400 with the item page, or 200 with the row (and its errors) for htmx.
    "item_progress": access(NF, coord=(200, 400, 200), readers=READ, beheerder=READ),
    "werkagenda": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    # GET shows the measure (htmx: its row opened); a POST without data: 400, htmx 200.
    "measure_decision": access(NF, coord=(200, 400, 200), readers=READ, beheerder=READ),
    # A table row closed again after editing (htmx); shows only what the page shows.
    "item_row": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    "measure_row": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    "action_create": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "action_edit": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    "action_status": access(POST_NF, coord=(405, 302), readers=POST_RO, beheerder=POST_RO),
    # An action opened (htmx: its row) or closed again: read as the werkagenda.
    "action_detail": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))
    ),
    "action_row": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    # A line's actions opened (htmx: in place) or folded again: read as the werkagenda.
    "line_actions": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))
    ),
    "line_folded": get_only(access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))),
    # --- transition plans: the region's readers read, its coordinator edits; school
    # leaders and the admin have no business there (pupil cohort) ---
    "transition_list": get_only(access((200, 200), leader=NF, leader_other=NF, beheerder=NF)),
    "transition_detail": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    # POST makes the plan and goes to it.
    "transition_create": access(NF, coord=(200, 302), readers=RO),
    # Without data: 400 with the form page, or 200 with the section and its errors (htmx).
    "transition_row_create[mijlpalen]": access(NF, coord=(200, 400, 200), readers=RO),
    "transition_row_create[leerlingen]": access(NF, coord=(200, 400, 200), readers=RO),
    "transition_row_edit[mijlpalen]": access(NF, coord=(200, 400, 200), readers=RO),
    "transition_row_edit[leerlingen]": access(NF, coord=(200, 400, 200), readers=RO),
    "transition_row_delete": access(POST_NF, coord=(405, 302, 200), readers=POST_RO),
    # The practice-example library: national content without region data, read by every
    # logged-in user (also a school leader: initiatives he is party to link to it).
    "example_list": get_only(access((200, 200))),
    "example_detail": get_only(access((200, 200))),
    # --- initiatives: the region's readers read, a school leader those his school is a
    # partner of; the admin has no business here (404). POST without data: 400, and the
    # section again for htmx (200).
    "initiative_list": get_only(access((200, 200), beheerder=NF)),
    "initiative_detail": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200))
    ),
    "initiative_create": access(NF, coord=(200, 400), readers=RO),
    "initiative_edit": access(NF, coord=(200, 400), readers=RO, leader=RO),
    "status_move": access(NF, coord=(200, 400, 200), readers=RO, leader=RO),
    "partner_add": access(NF, coord=(200, 400, 200), readers=RO, leader=RO),
    "partner_remove": access(POST_NF, coord=(405, 302, 200), readers=POST_RO, leader=POST_RO),
    # The initiatives of a werkagenda action: its region's coordinator links them (a POST
    # without data links none: back to the werkagenda); who reads the region gets 403.
    "action_initiatives": access(NF, coord=(200, 302), readers=RO, beheerder=RO),
    # --- checklists: the school leader fills in, the coordinator assigns and reopens;
    # the begeleider of a pupil at the school reads; the manager reads roll-ups only (his
    # list holds only their links: a single school's checklist is 404); the admin keeps
    # templates in /beheer/ only.
    "checklist_list": get_only(access((200, 200), beheerder=NF)),
    # POST without data re-shows the form with its errors (200).
    "checklist_assign": access(NF, coord=(200, 200), readers=RO, beheerder=RO),
    # The begeleider of a pupil at the school reads it once handed in: the world's open
    # checklist is a draft, 404 for him.
    "checklist_detail": get_only(access(NF, coord=(200, 200), leader=(200, 200))),
    # Without data: 400 with the page, or 200 with the question and its error for htmx.
    "checklist_answer": access(POST_NF, coord=POST_RO, leader=(405, 400, 200)),
    "checklist_section": access(POST_NF, coord=POST_RO, leader=(405, 400)),
    # GET: the confirmation with the open questions; POST submits (then to the page).
    "checklist_submit": access(NF, coord=RO, leader=(200, 302)),
    # Without a reason the form comes back (200).
    "checklist_reopen": access(NF, coord=(200, 200), leader=RO),
    # --- agreements: the region's readers read, its coordinator edits; a school leader
    # reads the agreements his school is a party to (the world's agreement has it). The
    # admin has no business here (404): agreements are regional work, not partner data.
    "agreement_list": get_only(access((200, 200), beheerder=NF)),  # what agreements_for gives
    "agreement_detail": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200))
    ),
    "agreement_compare": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200))
    ),
    # The admin still gets the region page's fragment, without agreements.
    "region_attention": get_only(
        access(NF, coord=(200, 200), readers=(200, 200), beheerder=(200, 200))
    ),
    "agreement_create": access(NF, coord=(200, 200), readers=RO),
    # A POST without data leaves the form unbound: 200, the empty form again.
    "agreement_edit": access(NF, coord=(200, 200), readers=RO, leader=RO),
    "agreement_version_create": access(NF, coord=(200, 200), readers=RO, leader=RO),
    "agreement_consent": access(NF, coord=(200, 200), readers=RO, leader=RO),
    "agreement_party_add": access(NF, coord=(200, 200), readers=RO, leader=RO),
    "agreement_party_delete": access(POST_NF, coord=(405, 302), readers=POST_RO, leader=POST_RO),
    # Review of a submitted checklist: its coordinator only; who reads it gets 403 (the
    # manager, who does not read single checklists, 404). An
    # empty remark removes none (back to the page; htmx: the answer again).
    "checklist_remark": access(POST_NF, coord=(405, 302, 200), beg=POST_RO, leader=POST_RO),
    "checklist_reviewed": access(POST_NF, coord=(405, 302), beg=POST_RO, leader=POST_RO),
    # GET: before and after; POST writes the building answers into the school.
    "checklist_building": access(NF, coord=(200, 302), beg=RO, leader=RO),
    # Without a tip or measure: back to the page with a message, nothing made.
    "checklist_next_step": access(POST_NF, coord=(405, 302), beg=POST_RO, leader=POST_RO),
    # Roll-ups: coordinators and managers, each over their own regions (another
    # region's coordinator sees his own, empty here); no school leader, begeleider, admin.
    "checklist_rollup": get_only(
        access(
            NF,
            coord=(200, 200),
            coord_other=(200, 200),
            manager=(200, 200),
            manager_other=(200, 200),
        )
    ),
    "checklist_rollup[regio]": get_only(access(NF, coord=(200, 200), manager=(200, 200))),
    # Export: the coordinator only; a manager reads the roll-up but gets no file.
    "checklist_export": get_only(
        access(NF, coord=(200, 200), coord_other=(200, 200), manager=RO, manager_other=RO)
    ),
    # A werkagenda action of the region: as the werkagenda's own action_create.
    "checklist_rollup_next_step": access(
        POST_NF, coord=(405, 302), readers=POST_RO, beheerder=POST_RO
    ),
    # --- the regional plan: the coordinator edits, begeleider and manager read; a school
    # leader and the admin have no plan page (they see shared frozen versions only).
    "plan": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    # A POST without data saves an empty text: back to the plan (htmx: the text again).
    "plan_text": access(NF, coord=(200, 302, 200), readers=RO),
    "goal_create": access(NF, coord=(200, 400), readers=RO),
    "goal_edit": access(NF, coord=(200, 400), readers=RO),
    "goal_delete": access(NF, coord=(200, 302), readers=RO),
    # --- the regional plan's documents: the region's readers read the frozen versions,
    # compare them and download them; its coordinator also exports, freezes, shares, retries
    # and reads the log. A school leader downloads a version shared with his school and
    # nothing else; the admin has no business with the plan (404).
    "plan_export": access(POST_NF, coord=(405, 302, 200), readers=POST_RO),
    "plan_freeze": access(NF, coord=(200, 302, 200), readers=RO),
    "plan_versions": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    "plan_compare": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    "plan_document": get_only(access(NF, coord=(200, 200), readers=(200, 200))),
    "plan_document[export]": get_only(access(NF, coord=(200, 200))),
    "plan_download": get_only(access(NF, coord=(200, 200), readers=(200, 200), leader=(200, 200))),
    "plan_download[export]": get_only(access(NF, coord=(200, 200))),
    # v1 is ready: nothing to retry (back with a message; htmx: its status again).
    "plan_retry": access(POST_NF, coord=(405, 302, 200), readers=POST_RO, leader=POST_RO),
    # Without a choice nothing changes: back to the versions page with a message.
    "plan_share": access(POST_NF, coord=(405, 302), readers=POST_RO, leader=POST_RO),
    "shared_plans": get_only(access(NF, leader=(200, 200), leader_other=(200, 200))),
}


# --- the world -----------------------------------------------------------------------


def build_world():
    from learners.models import Conversation, CvoBesluit
    from tests.learners.factories import (
        PlacementFactory,
        PupilFactory,
        assign,
        begeleider_of,
    )
    from toolkit.models import Measure, RegionAction, ToolkitItem, WerkagendaLine

    region, other_region = RegionFactory(), RegionFactory()
    school, other_school = school_in(region), school_in(other_region)
    pupil = PupilFactory(region=region, current_school=school)
    users = {
        "coord": coordinator_of(region),
        "coord_other": coordinator_of(other_region),
        "beg": begeleider_of(region),
        "beg_none": begeleider_of(region),
        "leader": leader_of(school),
        "leader_other": leader_of(other_school),
        "manager": manager_of(region.institution),
        "manager_other": manager_of(other_region.institution),
        "beheerder": user_with_role(Role.BEHEERDER),
        "anon": None,
    }
    users["beheerder"].is_staff = True
    users["beheerder"].save()
    assign(pupil, users["beg"])
    location = Location.objects.create(
        institution=region.institution, region=region, name="vso Test", place="X"
    )
    action = RegionAction.objects.create(
        region=region, line=WerkagendaLine.objects.get(number=1), title="Scholing"
    )
    transition = _transition_world(region, users["beg"])
    o = {
        "region": region.pk,
        "school": school.pk,
        "swv": region.swvs.first().pk,
        "gemeente": region.gemeenten.first().pk,
        "location": location.pk,
        "contact": SchoolContact.objects.create(school=school, name="A. IB", role="ib").pk,
        "code": pupil.code,
        "placement": PlacementFactory(pupil=pupil).pk,
        "besluit": CvoBesluit.objects.create(
            pupil=pupil,
            institution=region.institution,
            kind="ondersteuning",
            start=date(2025, 8, 1),
            end=date(2027, 7, 31),
        ).pk,
        "gesprek": Conversation.objects.create(
            pupil=pupil, date=date(2026, 1, 5), participants="ouders"
        ).pk,
        "slug": ToolkitItem.objects.first().slug,
        "measure": Measure.objects.exclude(level=Measure.Level.LANDELIJK).first().code,
        "action": action.pk,
        "action_version": action.version,
        "line": action.line_id,
        "pending_role": RoleAssignment.objects.create(
            user=UserFactory(), role=Role.BEGELEIDER, region=region, granted_by=users["beheerder"]
        ).pk,
        **transition,
    }
    # --- initiatives: one in the region with the leader's school as a partner ---
    from initiatives.models import Initiative, InitiativePartner
    from toolkit.models import CooperationType

    initiative = Initiative.objects.create(
        region=region, name="Samen naar school", type=CooperationType.objects.first()
    )
    o["initiative"] = initiative.pk
    o["initiative_partner"] = InitiativePartner.objects.create(
        initiative=initiative, school=school, role="partnerschool"
    ).pk

    from tests.checklists.factories import assignment_for

    o["checklist"] = assignment_for(school, region).pk

    # --- agreements ---
    from initiatives.models import Agreement, AgreementParty
    from initiatives.services import create_agreement

    agreement = create_agreement(
        agreement=Agreement(region=region, title="Vervoer", subject="vervoer"),
        text="Tekst",
        conditions="",
        user=users["coord"],
    )
    AgreementParty.objects.create(agreement=agreement, school=school)
    o["agreement"] = agreement.pk
    from regions.models import ImportJob

    o["import_job"] = ImportJob.objects.create(
        user=users["coord"], region=region, pipeline="regions.resources.DUO_IMPORT", kind="swv"
    ).pk
    o["agreement_version"] = agreement.versions.get().pk
    o["agreement_party"] = AgreementParty.objects.create(agreement=agreement, other_name="OCW").pk

    from tests.checklists.rollup_data import closed

    o["checklist_done"] = closed(school, region, {"visie-1": "nee", "akoestiek": "3"}).pk

    from plans.models import Goal
    from toolkit.models import Phase

    o["goal"] = Goal.objects.create(region=region, phase=Phase.objects.first(), title="Doel").pk

    # --- the plan's documents: two ready versions (1 shared with the schools), an export.
    from plans.models import PlanDocument

    def document(**fields):
        made = PlanDocument(region=region, snapshot={}, status="ready", **fields)
        made.set_pdf(b"%PDF-1.7 test")
        made.save()
        return made.pk

    o["plan_v1"] = document(number=1, shared_with_schools=True)
    document(number=2)
    o["plan_export"] = document()
    return users, o


def _transition_world(region, begeleider):
    """A closing location with a plan (a milestone, a pupil of the begeleider in its
    cohort) and one without a plan yet."""
    from initiatives.models import CohortEntry, Milestone, TransitionPlan
    from tests.learners.factories import PupilFactory, assign

    def closing(name):
        return Location.objects.create(
            institution=region.institution,
            region=region,
            name=name,
            place="X",
            status=Location.Status.PHASING_OUT,
            closing_date=date(2027, 8, 1),
        )

    plan = TransitionPlan.objects.create(location=closing("vso Afbouw"))
    pupil = PupilFactory(region=region, current_location=plan.location)
    assign(pupil, begeleider)
    return {
        "plan": plan.pk,
        "plan_location": closing("vso Zonder plan").pk,
        "milestone": Milestone.objects.create(plan=plan, kind="plan").pk,
        "cohort_entry": CohortEntry.objects.create(
            plan=plan, pupil=pupil, outflow="plaatsing-nodig"
        ).pk,
    }


# --- the cases: (row in ACCESS, url name, kwargs, POST data) --------------------------


def cases(o):
    yield "home", "plans:home", {}, {}
    yield "login", "login", {}, {}
    yield "set_language", "set_language", {}, {"language": "nl", "next": "/"}
    yield "password_change", "password_change", {}, {}
    yield "password_change_done", "password_change_done", {}, {}
    yield "password_reset", "password_reset", {}, {}
    yield "password_reset_done", "password_reset_done", {}, {}
    made_up = {"uidb64": "MQ", "token": "aaaaaa-bbbbbb"}
    yield "password_reset_confirm", "password_reset_confirm", made_up, {}
    yield "password_reset_complete", "password_reset_complete", {}, {}
    yield "two_factor", "two_factor", {}, {}
    yield "two_factor_setup", "two_factor_setup", {}, {}
    yield "two_factor_verify", "two_factor_verify", {}, {}
    yield "two_factor_codes", "two_factor_codes", {}, {}
    yield "two_factor_switch_off", "two_factor_switch_off", {}, {}

    yield "health", "health", {}, {}
    yield "health_ready", "health_ready", {}, {}
    yield "search", "plans:search", {}, {}
    yield "institution_overview", "plans:institution_overview", {}, {}
    r = "regions:"
    yield "region_list", r + "region_list", {}, {}
    yield "region_detail", r + "region_detail", {"pk": o["region"]}, {}
    yield "region_edit", r + "region_edit", {"pk": o["region"]}, {}
    pending = {"region_pk": o["region"], "pk": o["pending_role"]}
    yield "role_decision", r + "role_decision", pending, {}
    yield "location_create", r + "location_create", {"region_pk": o["region"]}, {}
    loc = {"region_pk": o["region"], "pk": o["location"]}
    yield "location_edit", r + "location_edit", loc, {}
    yield "school_list", r + "school_list", {}, {}
    yield "school_create", r + "school_create", {}, {}
    yield "school_detail", r + "school_detail", {"pk": o["school"]}, {}
    yield "school_edit", r + "school_edit", {"pk": o["school"]}, {}
    yield "school_suitability", r + "school_suitability", {"pk": o["school"]}, {}
    yield "contact_add", r + "contact_add", {"school_pk": o["school"]}, {}
    contact = {"school_pk": o["school"], "pk": o["contact"]}
    yield "contact_delete", r + "contact_delete", contact, {}
    yield "swv_list", r + "swv_list", {}, {}
    yield "swv_create", r + "swv_create", {}, {}
    yield "swv_detail", r + "swv_detail", {"pk": o["swv"]}, {}
    yield "swv_edit", r + "swv_edit", {"pk": o["swv"]}, {}
    yield "gemeente_list", r + "gemeente_list", {}, {}
    yield "gemeente_edit", r + "gemeente_edit", {"pk": o["gemeente"]}, {}
    yield "duo_import", r + "duo_import", {}, {}
    yield "import_job", r + "import_job", {"pk": o["import_job"]}, {}
    le = "learners:"
    yield "pupil_list", le + "pupil_list", {}, {}
    yield "deadlines", le + "deadlines", {}, {}
    yield "figures", le + "figures", {}, {}
    yield "figures[regio]", le + "figures", {}, {}, f"?regio={o['region']}"
    yield "figures[school]", le + "figures", {}, {}, f"?school={o['school']}"
    yield "pupil_import", le + "pupil_import", {}, {}
    yield "pupil_import_template", le + "pupil_import_template", {"kind": "leerlingen"}, {}
    yield "pupil_create", le + "pupil_create", {"region_pk": o["region"]}, {}
    yield "pupil_export", le + "pupil_export", {"region_pk": o["region"]}, {}
    yield "access_log", le + "access_log", {"region_pk": o["region"]}, {}
    code = {"code": o["code"]}
    yield "pupil_detail", le + "pupil_detail", code, {}
    yield "pupil_edit", le + "pupil_edit", code, {}
    yield "pupil_access_request", le + "pupil_access_request", code, {}
    placement = {**code, "pk": o["placement"]}
    yield "placement_detail", le + "placement_detail", placement, {}
    step = {**placement, "step": "options_explored"}
    yield "placement_step", le + "placement_step", step, {}
    yield "record_create[besluit]", le + "record_create", {**code, "kind": "besluit"}, {}
    yield "record_create[gesprek]", le + "record_create", {**code, "kind": "gesprek"}, {}
    besluit = {**code, "kind": "besluit", "pk": o["besluit"]}
    yield "record_edit[besluit]", le + "record_edit", besluit, {}
    gesprek = {**code, "kind": "gesprek", "pk": o["gesprek"]}
    yield "record_edit[gesprek]", le + "record_edit", gesprek, {}
    t = "toolkit:"
    yield "dashboard", t + "dashboard", {"pk": o["region"]}, {}
    yield "toolkit", t + "toolkit", {"pk": o["region"]}, {}
    yield "item_progress", t + "item_progress", {"pk": o["region"], "slug": o["slug"]}, {}
    yield "item_row", t + "item_row", {"pk": o["region"], "slug": o["slug"]}, {}
    yield "werkagenda", t + "werkagenda", {"pk": o["region"]}, {}
    measure = {"pk": o["region"], "code": o["measure"]}
    yield "measure_decision", t + "measure_decision", measure, {}
    yield "measure_row", t + "measure_row", measure, {}
    yield "action_create", t + "action_create", {"pk": o["region"]}, {}
    action = {"region_pk": o["region"], "pk": o["action"]}
    yield "action_edit", t + "action_edit", action, {}
    status = {"done": "1", "version": o["action_version"]}
    yield "action_status", t + "action_status", action, status
    yield "action_detail", t + "action_detail", action, {}
    yield "action_row", t + "action_row", action, {}
    line = {"region_pk": o["region"], "pk": o["line"]}
    yield "line_actions", t + "line_actions", line, {}
    yield "line_folded", t + "line_folded", line, {}
    i = "initiatives:"
    yield "transition_list", i + "transition_list", {}, {}
    yield "transition_detail", i + "transition_detail", {"pk": o["plan"]}, {}
    new_plan = {"location_pk": o["plan_location"]}
    yield "transition_create", i + "transition_create", new_plan, {}
    for kind, row in (("mijlpalen", o["milestone"]), ("leerlingen", o["cohort_entry"])):
        part = {"plan_pk": o["plan"], "kind": kind}
        yield f"transition_row_create[{kind}]", i + "transition_row_create", part, {}
        yield f"transition_row_edit[{kind}]", i + "transition_row_edit", {**part, "pk": row}, {}
    part = {"plan_pk": o["plan"], "kind": "mijlpalen", "pk": o["milestone"]}
    yield "transition_row_delete", i + "transition_row_delete", part, {}

    yield "example_list", t + "example_list", {}, {}
    yield "example_detail", t + "example_detail", {"slug": "kentalis-compas-college-oss"}, {}

    yield "initiative_list", i + "initiative_list", {}, {}
    yield "initiative_detail", i + "initiative_detail", {"pk": o["initiative"]}, {}
    yield "initiative_create", i + "initiative_create", {"region_pk": o["region"]}, {}
    yield "initiative_edit", i + "initiative_edit", {"pk": o["initiative"]}, {}
    yield "status_move", i + "status_move", {"pk": o["initiative"]}, {}
    yield "partner_add", i + "partner_add", {"initiative_pk": o["initiative"]}, {}
    partner = {"initiative_pk": o["initiative"], "pk": o["initiative_partner"]}
    yield "partner_remove", i + "partner_remove", partner, {}
    yield "action_initiatives", i + "action_initiatives", action, {}

    c = "checklists:"
    checklist = {"pk": o["checklist"]}
    yield "checklist_list", c + "assignment_list", {}, {}
    yield "checklist_assign", c + "assign", {"region_pk": o["region"]}, {}
    yield "checklist_detail", c + "assignment_detail", checklist, {}
    yield "checklist_answer", c + "answer_save", {**checklist, "key": "visie-1"}, {}
    yield "checklist_section", c + "section_save", {**checklist, "section": "visie"}, {}
    yield "checklist_submit", c + "submit", checklist, {}
    yield "checklist_reopen", c + "reopen", checklist, {}

    agreement = {"agreement_pk": o["agreement"]}
    yield "agreement_list", i + "agreement_list", {}, {}
    yield "agreement_detail", i + "agreement_detail", {"pk": o["agreement"]}, {}
    yield "agreement_compare", i + "agreement_compare", {"pk": o["agreement"]}, {}
    yield "region_attention", i + "region_attention", {"pk": o["region"]}, {}
    yield "agreement_create", i + "agreement_create", {"region_pk": o["region"]}, {}
    yield "agreement_edit", i + "agreement_edit", {"pk": o["agreement"]}, {}
    yield "agreement_version_create", i + "agreement_version_create", agreement, {}
    consent = {**agreement, "pk": o["agreement_version"]}
    yield "agreement_consent", i + "agreement_consent", consent, {}
    yield "agreement_party_add", i + "agreement_party_add", agreement, {}
    party = {**agreement, "pk": o["agreement_party"]}
    yield "agreement_party_delete", i + "agreement_party_delete", party, {}

    done = {"pk": o["checklist_done"]}
    yield "checklist_remark", c + "remark_save", {**done, "key": "visie-1"}, {"version": 0}
    yield "checklist_reviewed", c + "mark_reviewed", done, {}
    yield "checklist_building", c + "building", done, {}
    yield "checklist_next_step", c + "next_step", done, {}
    slug = {"slug": "voorbeeld-checklist"}
    yield "checklist_rollup", c + "rollup", slug, {}
    yield "checklist_rollup[regio]", c + "rollup", slug, {}, f"?regio={o['region']}"
    yield "checklist_export", c + "rollup_export", slug, {}
    step = {"region_pk": o["region"], **slug}
    yield "checklist_rollup_next_step", c + "rollup_next_step", step, {}
    p = "plans:"
    yield "plan", p + "plan", {"pk": o["region"]}, {}
    text = {"pk": o["region"], "section": "pupils", "part": "inleiding"}
    yield "plan_text", p + "plan_text", text, {}
    yield "goal_create", p + "goal_create", {"region_pk": o["region"]}, {}
    goal = {"region_pk": o["region"], "pk": o["goal"]}
    yield "goal_edit", p + "goal_edit", goal, {}
    yield "goal_delete", p + "goal_delete", goal, {}

    pl = "plans:"
    region_only = {"pk": o["region"]}
    v1 = {"region_pk": o["region"], "pk": o["plan_v1"]}
    export = {"region_pk": o["region"], "pk": o["plan_export"]}
    yield "plan_export", pl + "plan_export", region_only, {}
    yield "plan_freeze", pl + "plan_freeze", region_only, {}
    yield "plan_versions", pl + "plan_versions", region_only, {}
    yield "plan_compare", pl + "plan_compare", region_only, {}, "?a=1&b=2"
    yield "plan_document", pl + "plan_document", v1, {}
    yield "plan_document[export]", pl + "plan_document", export, {}
    yield "plan_download", pl + "plan_download", v1, {}
    yield "plan_download[export]", pl + "plan_download", export, {}
    yield "plan_retry", pl + "plan_retry", v1, {}
    yield "plan_share", pl + "plan_share", v1, {}
    yield "shared_plans", pl + "shared_plans", {}, {}
    # Last: it ends the session of each client that posts to it.
    yield "logout", "logout", {}, {}


def named_urls(resolver=None, prefix=""):
    """Every named URL of the configuration, namespaced (`regions:school_list`)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            yield from named_urls(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


# --- the requests ----------------------------------------------------------------------


def outcome(response):
    login = reverse("login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return LOGIN
    if response.get("HX-Redirect", "").startswith(login):
        return LOGIN
    return response.status_code


def fetch(client, method, url, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "get":
        return client.get(url, headers=headers)
    # Each POST runs in a savepoint that is rolled back: a delete or save by one role
    # must not change what the next role finds.
    with transaction.atomic():
        response = client.post(url, data, headers={**headers, "X-CSRFToken": CSRF_TOKEN})
        transaction.set_rollback(True)
    return response


def client_for(user):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_TOKEN
    if user is not None:
        client.force_login(user)
    return client


def run_all(users, o):
    """{(row, role, method, htmx): outcome} for every case."""
    found = {}
    by_role = {role: client_for(user) for role, user in users.items()}
    for case in cases(o):
        row, name, kwargs, data = case[:4]
        url = reverse(name, kwargs=kwargs) + (case[4] if len(case) > 4 else "")
        for role in ROLES:
            for method in ("get", "post"):
                for htmx in (False, True):
                    client = client_for(users[role]) if row == "logout" else by_role[role]
                    found[row, role, method, htmx] = outcome(fetch(client, method, url, data, htmx))
    return found


def url_name(row):
    return row.split("[")[0]


# Row -> URL name; the placeholder objects only name the rows (nothing is reversed).
ROW_URLS = {row: name for row, name, *_rest in cases(defaultdict(int))}


def test_every_named_url_has_a_row():
    covered = {ROW_URLS[row] for row in ACCESS if row in ROW_URLS}
    missing = sorted(set(named_urls()) - covered)
    assert not missing, [f"add url {name} to the access table (and to cases())" for name in missing]


def test_every_row_is_requested():
    assert set(ACCESS) == set(ROW_URLS), set(ACCESS) ^ set(ROW_URLS)


@pytest.mark.django_db
def test_every_url_answers_every_role_as_the_table_says():
    users, o = build_world()
    found = run_all(users, o)
    mismatches = []
    for (row, role, method, htmx), got in found.items():
        expected = ACCESS[row][role]
        if method == "get":
            want = expected[0]
        else:
            want = expected[2] if htmx and len(expected) == 3 else expected[1]
        if got != want:
            how = f"{method.upper()}{' htmx' if htmx else ''}"
            mismatches.append(f"{row} {role} {how}: expected {want}, got {got}")
    assert not mismatches, "\n".join(mismatches)
