"""The regional plan page: the snapshot, who sees it, the coordinator's texts and goals."""

import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from initiatives.models import Milestone, TransitionPlan
from plans.models import Goal, Outcome, PlanSection, PlanText, RegionalPlan
from plans.snapshot import build_snapshot
from regions.models import Location
from tests.checklists.factories import assignment_for
from tests.factories import school_in
from tests.initiatives.initiative_factories import InitiativeFactory
from tests.learners.factories import CvoBesluitFactory, LocationFactory, PupilFactory
from tests.plans.html_tables import number_columns, tables_of
from tests.toolkit.factories import RegionActionFactory
from toolkit.models import Phase

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def fill_region(region, *, pupils, actions, initiatives):
    """A region with pupils (all of one target group), actions, initiatives, a closing
    location with a transition plan and milestones, goals and a checklist."""
    school = school_in(region)
    closing = LocationFactory(
        region=region, status=Location.Status.PHASING_OUT, closing_date=date(2027, 8, 1)
    )
    made = []
    for n in range(pupils):
        pupil = PupilFactory(region=region, current_location=closing, target_group="tos")
        CvoBesluitFactory(pupil=pupil, end=TODAY + timedelta(days=30 + n))
        made.append(pupil)
    for _n in range(actions):
        RegionActionFactory(region=region, deadline=TODAY - timedelta(days=3))
    for _n in range(initiatives):
        InitiativeFactory(region=region, evaluation_date=date(2027, 3, 1), pupils_typed=2)
    plan = TransitionPlan.objects.create(location=closing)
    Milestone.objects.create(region=region, plan=plan, kind="mr", planned=date(2027, 1, 10))
    goal = Goal.objects.create(region=region, phase=Phase.objects.first(), title="Dekkend aanbod")
    Outcome.objects.create(goal=goal, text="Elke school kent de AD", status="achieved")
    assignment_for(school, region)
    return made


def test_snapshot_has_every_section_with_its_keys(region):
    fill_region(region, pupils=7, actions=2, initiatives=1)
    PlanText.objects.create(region=region, section="pupils", intro="Inleiding cijfers")
    RegionalPlan.objects.create(region=region, pressures="Krimp")
    plan = build_snapshot(region, today=TODAY)
    json.dumps(plan)  # serialisable as it is
    assert plan["schema"] == 1 and plan["date"] == "2026-11-27"
    sections = {s["key"]: s for s in plan["sections"]}
    assert list(sections) == PlanSection.values
    assert [s["number"] for s in plan["sections"]] == list(range(1, 10))
    assert sections["pupils"]["intro"] == "Inleiding cijfers"
    assert sections["context"]["pressures"] == "Krimp"
    assert sections["context"]["locations"][0]["closing"] == "2027-08-01"
    assert sections["goals"]["phases"][0]["goals"][0]["outcomes"][0]["status"] == "achieved"
    assert sections["pupils"]["total"] == "5-9"
    assert {t["key"] for t in sections["pupils"]["tables"]} == {
        "target_group",
        "arrangement",
        "level",
        "placement",
    }
    line = next(ln for ln in sections["werkagenda"]["lines"] if ln["actions"])
    assert line["actions"][0]["overdue"] is True
    assert {"measurable_result", "evaluation"} <= set(line["actions"][0])
    assert sections["toolkit"]["chapters"] and sections["toolkit"]["items"]
    assert sections["initiatives"]["initiatives"][0]["below_viability"] is True
    transition = sections["transition"]["plans"][0]
    assert transition["pupils"] == "5-9"
    assert transition["milestones"][0]["date"] == "2027-01-10"
    assert sections["checklists"]["templates"][0]["schools"] == 1
    kinds = {e["kind"] for e in sections["timeline"]["entries"]}
    assert kinds == {"phase", "review", "national", "governance", "evaluation"}
    national = [e for e in sections["timeline"]["entries"] if e["kind"] == "national"]
    assert all(isinstance(e["year"], int) for e in national)
    assert sections["timeline"]["deadlines"] == [
        {"kind": "besluit", "label": "Einde CvO-besluit", "open": "5-9", "overdue": "0"},
        {"kind": "total", "label": "Totaal", "open": "5-9", "overdue": "0"},
    ]


def test_snapshot_names_no_pupil_and_shows_small_counts_as_less_than_five(region):
    pupils = fill_region(region, pupils=3, actions=1, initiatives=1)
    plan = build_snapshot(region, today=TODAY)
    text = json.dumps(plan, ensure_ascii=False)
    for pupil in pupils:
        assert pupil.code not in text
        assert pupil.first_name not in text and pupil.last_name not in text
        assert pupil.date_of_birth.isoformat() not in text
    sections = {s["key"]: s for s in plan["sections"]}
    assert sections["pupils"]["total"] == "<5"
    assert sections["transition"]["plans"][0]["pupils"] == "<5"
    # Three pupils' deadlines: the kinds are not broken down, the total is "<5".
    assert sections["timeline"]["deadlines"][0]["open"] == "–"
    assert sections["timeline"]["deadlines"][-1]["open"] == "<5"
    # A group of 3 is not broken down (four rows of "<5" could each be 1).
    assert all(t["rows"] == [] for t in sections["pupils"]["tables"])
    for s in plan["sections"]:
        for key in ("total", "pupils", "open", "overdue", "count"):
            for value in re.findall(rf'"{key}": "?([^",}}]*)', json.dumps(s)):
                assert value not in {"1", "2", "3", "4"}, (s["key"], key, value)


def test_query_count_does_not_grow_with_the_data(
    region, other_region, django_assert_max_num_queries
):
    fill_region(region, pupils=2, actions=1, initiatives=1)
    fill_region(other_region, pupils=12, actions=8, initiatives=6)
    with django_assert_max_num_queries(70) as small:
        build_snapshot(region, today=TODAY)
    with django_assert_max_num_queries(len(small)) as large:
        build_snapshot(other_region, today=TODAY)
    assert len(large) == len(small)


def test_plan_page_shows_sections_charts_and_edit_links_for_the_coordinator(client, region, alice):
    fill_region(region, pupils=6, actions=1, initiatives=1)
    client.force_login(alice)
    page = client.get(reverse("plans:plan", args=[region.pk])).content.decode()
    assert page.count('class="plan-section"') == 9
    assert '<svg class="chart"' in page and "Voortgang per werkagendalijn" in page
    assert reverse("plans:plan_text", args=[region.pk, "pupils", "inleiding"]) in page
    assert reverse("plans:goal_create", args=[region.pk]) in page


def test_readers_see_the_plan_without_edit_controls(client, region, bob):
    fill_region(region, pupils=6, actions=1, initiatives=1)
    client.force_login(bob)
    url = reverse("plans:plan", args=[region.pk])
    page = client.get(url).content.decode()
    assert "Dekkend aanbod" in page
    assert "/plan/tekst/" not in page and "/plan/doelen/" not in page
    edit = reverse("plans:plan_text", args=[region.pk, "pupils", "inleiding"])
    assert client.post(edit, {"text": "x", "version": "0"}).status_code == 403
    assert not PlanText.objects.exists()


def test_inline_save_and_stale_save_is_refused(client, region, alice):
    client.force_login(alice)
    url = reverse("plans:plan_text", args=[region.pk, "pupils", "inleiding"])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="tekst-pupils-inleiding"' in form and "<textarea" in form
    answer = client.post(
        url,
        {"text": "Eerste alinea\n- punt <b>vet</b>", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'role="status"' in body and "data-focus" in body
    assert "<li>punt &lt;b&gt;vet&lt;/b&gt;</li>" in body  # formatted, never raw markup
    text = PlanText.objects.get(region=region, section="pupils")
    assert text.intro.startswith("Eerste alinea") and text.version == 0
    client.post(url, {"text": "Tweede versie", "version": "0"})  # plain post: redirect
    text.refresh_from_db()
    assert (text.intro, text.version) == ("Tweede versie", 1)
    stale = client.post(
        url, {"text": "Over elkaar heen", "version": "0"}, headers={"HX-Request": "true"}
    )
    assert stale.status_code == 409
    assert "Tweede versie" in stale.content.decode()
    text.refresh_from_db()
    assert text.intro == "Tweede versie"


def test_too_long_text_and_unknown_section_change_nothing(client, region, alice):
    client.force_login(alice)
    url = reverse("plans:plan_text", args=[region.pk, "pupils", "inleiding"])
    assert client.post(url, {"text": "x" * 5001, "version": "0"}).status_code == 400
    assert not PlanText.objects.exists()
    bad = reverse("plans:plan_text", args=[region.pk, "bestaat-niet", "inleiding"])
    assert client.post(bad, {"text": "x", "version": "0"}).status_code == 404
    pressures = reverse("plans:plan_text", args=[region.pk, "context", "opgaven"])
    assert client.post(pressures, {"text": "Krimp", "version": "0"}).status_code == 302
    assert RegionalPlan.objects.get(region=region).pressures == "Krimp"


def test_goal_with_outcomes_and_links_of_the_region_only(client, region, other_region, alice):
    client.force_login(alice)
    own = RegionActionFactory(region=region)
    foreign = RegionActionFactory(region=other_region)
    initiative = InitiativeFactory(region=region)
    url = reverse("plans:goal_create", args=[region.pk])
    data = {
        "phase": Phase.objects.first().pk,
        "title": "Thuisnabij onderwijs",
        "order": "0",
        "actions": [own.pk, foreign.pk],
        "initiatives": [initiative.pk],
        "resultaten-TOTAL_FORMS": "2",
        "resultaten-INITIAL_FORMS": "0",
        "resultaten-0-text": "Minder thuiszitters",
        "resultaten-0-status": "in_development",
        "resultaten-1-status": "to_start",  # the empty extra form, as a browser sends it
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert not Goal.objects.exists()
    data["actions"] = [own.pk]
    assert client.post(url, data).status_code == 302
    goal = Goal.objects.get(region=region)
    assert list(goal.actions.all()) == [own]
    assert list(goal.outcomes.values_list("status", flat=True)) == ["in_development"]
    delete = reverse("plans:goal_delete", args=[region.pk, goal.pk])
    assert client.post(delete).status_code == 302
    assert not Goal.objects.exists()


def test_goal_form_groups_each_outcome_with_its_delete_box(client, region, alice):
    """Every outcome row a fieldset "Beoogd resultaat n" (the rows share their labels);
    three empty rows for a new goal, one when editing; the delete box beside its label."""
    client.force_login(alice)
    page = client.get(reverse("plans:goal_create", args=[region.pk])).content.decode()
    rows = re.findall(
        r'<fieldset class="[^"]*plan-outcome-form">\s*<legend>\s*([^<]*?)\s*</legend>', page
    )
    assert rows == ["Beoogd resultaat 1", "Beoogd resultaat 2", "Beoogd resultaat 3"]
    assert 'name="resultaten-TOTAL_FORMS" value="3"' in page
    assert "plan-outcome-delete" not in page  # nothing to delete in an empty row

    goal = Goal.objects.create(region=region, phase=Phase.objects.first(), title="Thuisnabij")
    Outcome.objects.create(goal=goal, text="Minder thuiszitters")
    url = reverse("plans:goal_edit", args=[region.pk, goal.pk])
    page = client.get(url).content.decode()
    rows = page.split('class="utrecht-form-fieldset plan-outcome-form"')[1:]
    assert len(rows) == 2  # the outcome and one empty row
    assert 'value="Minder thuiszitters"' in rows[0]
    delete = re.search(r'<div class="plan-outcome-delete">(.*?)</div>', rows[0], re.S).group(1)
    assert re.search(r'<input type="checkbox" name="resultaten-0-DELETE"[^>]*>\s*<label', delete)
    assert '<label for="id_resultaten-0-DELETE">' in delete
    assert "plan-outcome-delete" not in rows[1]


def test_goal_of_another_region_is_not_found(client, region, other_region, alice):
    goal = Goal.objects.create(region=other_region, phase=Phase.objects.first(), title="Elders")
    client.force_login(alice)
    assert client.get(reverse("plans:goal_edit", args=[region.pk, goal.pk])).status_code == 404
    assert (
        client.get(reverse("plans:goal_edit", args=[other_region.pk, goal.pk])).status_code == 404
    )


def test_deadline_kinds_beside_a_small_total_are_not_broken_down(monkeypatch):
    """Four kinds "<5" beside a total "<5" (the institution overview publishes it) would
    each be exactly 1: such a column shows only its total."""
    from types import SimpleNamespace

    from plans import snapshot

    kinds = ["besluit", "overgang", "terugplaatsing", "vervolgcontact"]
    found = [SimpleNamespace(kind=k, overdue=True, label=k) for k in kinds]
    found += [SimpleNamespace(kind="besluit", overdue=False, label="b")] * 6
    monkeypatch.setattr(snapshot, "compute_deadlines", lambda pupils, today: found)
    rows = snapshot._deadlines([], TODAY)
    assert [r["overdue"] for r in rows] == ["–"] * 4 + ["<5"]
    # Open: besluit 7, the others 1 each: also withheld, the total "10-14" stands.
    assert [r["open"] for r in rows] == ["–"] * 4 + ["10-14"]
    many = [SimpleNamespace(kind=k, overdue=True, label=k) for k in kinds for _ in range(6)]
    monkeypatch.setattr(snapshot, "compute_deadlines", lambda pupils, today: many)
    assert [r["overdue"] for r in snapshot._deadlines([], TODAY)] == ["5-9"] * 4 + ["20-24"]


def test_a_goal_order_beyond_a_short_list_is_a_form_error(region):
    from plans.forms import GoalForm

    form = GoalForm(
        {"phase": Phase.objects.first().pk, "title": "Doel", "order": "99999999", "version": 0},
        region=region,
    )
    assert not form.is_valid() and "order" in form.errors


def test_number_cells_sit_under_their_number_headers(client, region, alice):
    """A column is a number column in its header and in every cell, or in neither (the
    page and the PDF align both by class="num")."""
    fill_region(region, pupils=6, actions=1, initiatives=1)
    client.force_login(alice)
    page = client.get(reverse("plans:plan", args=[region.pk])).content.decode()
    numbered = 0
    for table in tables_of(page):
        columns = number_columns(table["head"])
        numbered += bool(columns)
        for row in table["rows"]:
            if len(row) == len(table["head"]):  # not the colspan "empty" row
                assert number_columns(row) == columns, (table["head"], row)
    assert numbered >= 3
