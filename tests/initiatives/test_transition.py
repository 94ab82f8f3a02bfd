"""Transition plans of closing (v)so locations: access, the cohort's privacy, late items,
months left, validation and query counts."""

from datetime import date, timedelta
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from initiatives import selectors
from initiatives.models import (
    PLACE_WARNING_MONTHS,
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    InspectieEvent,
    Milestone,
    StaffDestination,
    TransitionPlan,
    months_between,
)
from initiatives.services import create_transition_plan
from learners.models import AccessLog, PlacementCase
from regions.models import Location
from tests.factories import RegionFactory, school_in
from tests.learners.factories import LocationFactory, PupilFactory, assign, begeleider_of

TODAY = date(2026, 11, 27)


def closing_location(region, *, months=8, status=Location.Status.PHASING_OUT):
    today = timezone.localdate()
    return LocationFactory(
        region=region,
        status=status,
        closing_date=today.replace(day=1) + timedelta(days=31 * months + 5),
    )


@pytest.fixture
def plan(region):
    return create_transition_plan(location=closing_location(region))


def pupils_at(plan, n):
    return [PupilFactory(region=plan.region, current_location=plan.location) for _ in range(n)]


def detail(client, user, plan, **headers):
    client.force_login(user)
    return client.get(reverse("initiatives:transition_detail", args=[plan.pk]), headers=headers)


def row_url(plan, kind, pk=None):
    if pk is None:
        return reverse("initiatives:transition_row_create", args=[plan.pk, kind])
    return reverse("initiatives:transition_row_edit", args=[plan.pk, kind, pk])


# --- the plan itself ----------------------------------------------------------------


def test_a_new_plan_has_the_boards_four_questions_and_the_milestones(plan):
    questions = list(plan.questions.all())
    assert len(questions) == 4
    assert all(q.status == "open" and q.source for q in questions)
    assert "dekkend aanbod" in questions[0].question
    assert [m.kind for m in plan.milestones.order_by("pk")] == [
        "verkenning",
        "plan",
        "mr",
        "raad-van-toezicht",
        "bestuursbesluit",
        "melding",
    ]
    assert plan.region_id == plan.location.region_id


def test_no_plan_for_an_open_location_or_one_without_region(region):
    with pytest.raises(ValidationError, match="alleen voor een locatie in afbouw"):
        create_transition_plan(location=LocationFactory(region=region))
    homeless = LocationFactory(region=None, institution=region.institution)
    homeless.status, homeless.closing_date = "afbouw", date(2027, 8, 1)
    with pytest.raises(ValidationError, match="hoort bij geen regio"):
        create_transition_plan(location=homeless)
    assert not TransitionPlan.objects.exists()


def test_creating_for_an_open_location_says_why_and_saves_nothing(client, region, alice):
    open_location = LocationFactory(region=region)
    client.force_login(alice)
    url = reverse("initiatives:transition_create", args=[open_location.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "deze locatie is open" in response.content.decode()
    assert not TransitionPlan.objects.exists()


def test_coordinator_makes_a_plan_from_the_list(client, region, alice):
    location = closing_location(region)
    client.force_login(alice)
    page = client.get(reverse("initiatives:transition_list")).content.decode()
    create = reverse("initiatives:transition_create", args=[location.pk])
    assert "Plan maken" in page and create in page
    response = client.post(create)
    plan = TransitionPlan.objects.get(location=location)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()


# --- access -------------------------------------------------------------------------


def test_school_leader_and_other_region_get_404(client, plan, leader, charlie):
    for user in (leader, charlie):
        assert detail(client, user, plan).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("initiatives:transition_list")).status_code == 404


def test_readers_see_no_edit_controls_and_may_not_write(client, plan, bob):
    page = detail(client, bob, plan).content.decode()
    assert "Toevoegen" not in page and "Bewerken" not in page
    response = client.post(row_url(plan, "personeel"), {"personeel-destination": "x"})
    assert response.status_code == 403
    assert not StaffDestination.objects.exists()
    assert "Plan maken" not in client.get(reverse("initiatives:transition_list")).content.decode()


def test_coordinator_sees_every_code_and_edit_controls(client, plan, alice):
    pupils = pupils_at(plan, 3)
    page = detail(client, alice, plan).content.decode()
    assert all(p.code in page for p in pupils)
    assert "Toevoegen" in page and "Vastleggen" in page


def test_begeleider_sees_only_their_own_pupils_codes(client, plan, region):
    mine, other = pupils_at(plan, 2)
    begeleider = begeleider_of(region)
    assign(mine, begeleider)
    page = detail(client, begeleider, plan).content.decode()
    assert mine.code in page
    assert other.code not in page
    assert "Toevoegen" not in page


def test_manager_sees_counts_only_in_bands(client, plan, bob):
    pupils = pupils_at(plan, 7)
    page = detail(client, bob, plan).content.decode()
    assert not any(p.code in page for p in pupils)
    assert "5-9" in page


def test_manager_gets_no_breakdown_of_a_small_cohort(client, plan, bob):
    (pupil,) = pupils_at(plan, 1)
    CohortEntry.objects.create(plan=plan, pupil=pupil, outflow="natuurlijke-uitstroom")
    page = detail(client, bob, plan).content.decode()
    assert "&lt;5" in page
    assert "Natuurlijke uitstroom" not in page
    assert "Bij minder dan 5 leerlingen volgt geen uitsplitsing" in page


def test_coordinator_counts_are_exact(client, plan, alice):
    pupils_at(plan, 3)
    cohort = selectors.cohort_for(alice, plan)
    assert cohort.exact and cohort.counts["total"] == 3 and cohort.counts["no_place"] == 3


# --- access log ---------------------------------------------------------------------


def test_showing_codes_writes_the_access_log(client, plan, alice, bob):
    pupils = pupils_at(plan, 2)
    detail(client, alice, plan)
    logged = AccessLog.objects.filter(user=alice, action="list")
    assert {entry.pupil_id for entry in logged} == {p.pk for p in pupils}
    assert all("transitieplan" in entry.detail for entry in logged)
    detail(client, bob, plan)
    assert not AccessLog.objects.filter(user=bob).exists()


# --- months left and late items ----------------------------------------------------


@pytest.mark.parametrize(
    ("end", "months"),
    [
        (date(2027, 8, 1), 8),
        (date(2027, 8, 27), 9),
        (date(2027, 8, 26), 8),
        (date(2026, 12, 27), 1),
        (date(2026, 11, 28), 0),
        (date(2026, 1, 1), 0),
    ],
)
def test_months_between(end, months):
    assert months_between(TODAY, end) == months


def test_late_milestones_communication_inspectie_and_questions(plan):
    day = TODAY
    Milestone.objects.filter(plan=plan, kind="plan").update(planned=day - timedelta(days=1))
    Milestone.objects.filter(plan=plan, kind="mr").update(planned=day)  # due today: not late
    Milestone.objects.filter(plan=plan, kind="verkenning").update(
        planned=day - timedelta(days=30), actual=day - timedelta(days=29)
    )
    CommunicationItem.objects.create(plan=plan, audience="Ouders", date=day - timedelta(days=1))
    CommunicationItem.objects.create(
        plan=plan, audience="Team", date=day - timedelta(days=5), done=True
    )
    InspectieEvent.objects.create(
        plan=plan, kind="herstelopdracht", date=day - timedelta(days=60), deadline=day
    )
    InspectieEvent.objects.create(
        plan=plan,
        kind="herstelopdracht",
        description="Zorg",
        date=day - timedelta(days=60),
        deadline=day - timedelta(days=2),
    )
    question = plan.questions.first()
    question.answer_due = day - timedelta(days=1)
    question.save()
    items = selectors.late_transition_items(plan.region, today=day)
    assert [(i.kind, i.due) for i in items] == [
        ("inspectie", day - timedelta(days=2)),
        ("communicatie", day - timedelta(days=1)),
        ("mijlpaal", day - timedelta(days=1)),
        ("vraag", day - timedelta(days=1)),
    ]
    assert all(i.plan == plan for i in items)
    assert items[2].label == "Mijlpaal: plan"


def test_pupils_without_a_confirmed_place_are_late_only_close_to_closing(region, alice):
    location = LocationFactory(region=region, status="afbouw", closing_date=date(2027, 8, 1))
    plan = create_transition_plan(location=location)
    waiting, natural, placed, undescribed = pupils_at(plan, 4)
    CohortEntry.objects.create(plan=plan, pupil=waiting, outflow="plaatsing-nodig")
    CohortEntry.objects.create(plan=plan, pupil=natural, outflow="natuurlijke-uitstroom")
    CohortEntry.objects.create(plan=plan, pupil=placed, outflow="plaatsing-nodig")
    PlacementCase.objects.create(pupil=waiting, reason="sluiting", from_location=location)
    case = PlacementCase.objects.create(
        pupil=placed, reason="sluiting", from_location=location, tlv_needed=False
    )
    case.transport_needed = False
    case.to_school = school_in(region)
    case.receiving_ready_on = date(2026, 11, 1)
    case.save()
    assert case.status == PlacementCase.Status.READY

    # 8 months before closing (fewer than PLACE_WARNING_MONTHS = 9): late.
    items = selectors.late_transition_items(region, today=TODAY, user=alice)
    pupils = {i.label for i in items if i.kind == "leerling"}
    assert pupils == {
        f"Leerling {waiting.code}: nog geen bevestigde plaats",
        f"Leerling {undescribed.code}: nog geen bevestigde plaats",
    }
    assert {i.due for i in items if i.kind == "leerling"} == {date(2027, 8, 1)}
    # Exactly 9 months before: not yet.
    nine_before = date(2026, 11, 1)
    assert months_between(nine_before, location.closing_date) == PLACE_WARNING_MONTHS
    items = selectors.late_transition_items(region, today=nine_before, user=alice)
    assert not [i for i in items if i.kind == "leerling"]


def test_late_pupils_only_for_who_sees_them(region, alice, bob):
    location = LocationFactory(region=region, status="afbouw", closing_date=date(2027, 1, 1))
    plan = create_transition_plan(location=location)
    mine, other = pupils_at(plan, 2)
    begeleider = begeleider_of(region)
    assign(mine, begeleider)

    def late_pupils(user):
        items = selectors.late_transition_items(region, today=TODAY, user=user)
        return [i.label for i in items if i.kind == "leerling"]

    assert len(late_pupils(alice)) == 2
    assert late_pupils(begeleider) == [f"Leerling {mine.code}: nog geen bevestigde plaats"]
    assert late_pupils(bob) == []
    assert late_pupils(None) == []


def test_plan_page_shows_te_laat_at_the_top(client, plan, alice):
    Milestone.objects.filter(plan=plan, kind="plan").update(
        planned=timezone.localdate() - timedelta(days=3)
    )
    page = detail(client, alice, plan).content.decode()
    assert page.index("Te laat") < page.index("Cohort")
    assert "Mijlpaal: plan" in page


def test_list_counts_late_items_per_plan(client, plan, bob):
    yesterday = timezone.localdate() - timedelta(days=1)
    Milestone.objects.filter(plan=plan, kind__in=["plan", "mr"]).update(planned=yesterday)
    CommunicationItem.objects.create(plan=plan, audience="Pers", date=yesterday)
    rows = selectors.transition_list(bob)
    assert [(row.plan, row.late_count) for row in rows] == [(plan, 3)]
    assert rows[0].months_left == plan.months_left(timezone.localdate())


# --- validation: a Dutch message and nothing saved ---------------------------------


def post_row(client, user, plan, kind, data, pk=None):
    client.force_login(user)
    return client.post(row_url(plan, kind, pk), {f"{kind}-{k}": v for k, v in data.items()})


@pytest.fixture
def post_plan_row(client, alice, plan):
    """post_plan_row(kind, data, pk=None): post_row to the plan as its coordinator."""
    return partial(post_row, client, alice, plan)


def test_board_decision_before_mr_consent_is_refused(post_plan_row, plan):
    Milestone.objects.filter(plan=plan, kind="mr").update(planned=date(2027, 3, 1))
    decision = Milestone.objects.get(plan=plan, kind="bestuursbesluit")
    response = post_plan_row(
        "mijlpalen",
        {"kind": "bestuursbesluit", "planned": "2027-02-01", "version": 0},
        pk=decision.pk,
    )
    assert response.status_code == 400
    assert "kan niet vóór" in response.content.decode()
    decision.refresh_from_db()
    assert decision.planned is None


def test_inspectie_deadline_before_its_date_is_refused(post_plan_row):
    response = post_plan_row(
        "inspectie",
        {"kind": "herstelopdracht", "date": "2026-10-01", "deadline": "2026-09-01"},
    )
    assert response.status_code == 400
    assert "De termijn valt vóór de datum." in response.content.decode()
    assert not InspectieEvent.objects.exists()


def test_negative_staff_count_is_refused(post_plan_row):
    response = post_plan_row("personeel", {"destination": "AD", "count": "-2"})
    assert response.status_code == 400
    assert "Een aantal kan niet negatief zijn." in response.content.decode()
    assert not StaffDestination.objects.exists()


def test_a_pupil_not_at_the_location_is_refused(post_plan_row, region):
    elsewhere = PupilFactory(region=region)
    response = post_plan_row("leerlingen", {"pupil": elsewhere.pk, "outflow": "plaatsing-nodig"})
    assert response.status_code == 400
    assert "hoort niet bij het cohort van deze locatie" in response.content.decode()
    assert not CohortEntry.objects.exists()


def test_a_destination_school_outside_the_region_is_refused(post_plan_row, plan):
    (pupil,) = pupils_at(plan, 1)
    outside = school_in(RegionFactory())
    response = post_plan_row(
        "leerlingen",
        {"pupil": pupil.pk, "outflow": "plaatsing-nodig", "destination_school": outside.pk},
    )
    assert response.status_code == 400
    assert "Deze school hoort niet bij de regio." in response.content.decode()
    assert not CohortEntry.objects.exists()


def test_communication_before_its_embargo_or_before_the_partners_is_refused(post_plan_row, plan):
    partners = CommunicationItem.objects.create(
        plan=plan, audience="Samenwerkingsverbanden", date=date(2027, 2, 1)
    )
    response = post_plan_row(
        "communicatie",
        {"audience": "Pers", "date": "2027-01-15", "embargo_until": "2027-02-01"},
    )
    assert "De datum valt vóór het einde van het embargo (01-02-2027)." in (
        response.content.decode()
    )
    response = post_plan_row(
        "communicatie",
        {"audience": "Pers", "date": "2027-01-15", "not_before": partners.pk},
    )
    assert response.status_code == 400
    assert "die eerst moet" in response.content.decode()
    response = post_plan_row(
        "communicatie",
        {"audience": "Pers", "date": "2027-03-01", "not_before": partners.pk, "done": "on"},
    )
    assert "Eerst moet &#x27;Samenwerkingsverbanden&#x27; gedaan zijn." in (
        response.content.decode()
    )
    assert CommunicationItem.objects.count() == 1


def test_an_answered_question_needs_an_answer(post_plan_row, plan):
    question = plan.questions.first()
    response = post_plan_row(
        "vragen",
        {"question": question.question, "status": "beantwoord", "answer": "", "version": 0},
        pk=question.pk,
    )
    assert response.status_code == 400
    assert "Een beantwoorde vraag heeft een antwoord" in response.content.decode()
    question.refresh_from_db()
    assert question.status == BoardQuestion.Status.OPEN


# --- saving rows --------------------------------------------------------------------


def test_saving_a_row_with_htmx_answers_the_section(client, plan, alice):
    (pupil,) = pupils_at(plan, 1)
    client.force_login(alice)
    response = client.post(
        row_url(plan, "leerlingen"),
        {"leerlingen-pupil": pupil.pk, "leerlingen-outflow": "natuurlijke-uitstroom"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="leerlingen"')
    assert "Opgeslagen" in body
    entry = CohortEntry.objects.get(plan=plan, pupil=pupil)
    assert entry.outflow == "natuurlijke-uitstroom"


def test_a_stale_row_is_not_saved(post_plan_row, plan):
    row = StaffDestination.objects.create(plan=plan, destination="AD", count=3)
    row.count = 4
    row.version = 1
    row.save()
    response = post_plan_row("personeel", {"destination": "AD", "count": 9, "version": 0}, row.pk)
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.count == 4


def test_plain_save_and_delete_go_back_to_the_plan(post_plan_row, client, plan):
    response = post_plan_row("personeel", {"destination": "AD", "count": 3})
    assert response.status_code == 302
    assert response["Location"].endswith("#personeel")
    row = StaffDestination.objects.get()
    assert row.region_id == plan.region_id
    response = client.post(
        reverse("initiatives:transition_row_delete", args=[plan.pk, "personeel", row.pk])
    )
    assert response.status_code == 302
    assert not StaffDestination.objects.exists()


def test_cohort_entries_are_audited_with_free_text_masked(plan):
    from auditlog.models import LogEntry

    (pupil,) = pupils_at(plan, 1)
    entry = CohortEntry.objects.create(
        plan=plan, pupil=pupil, outflow="plaatsing-nodig", note="Moeder wil havo"
    )
    log = LogEntry.objects.get_for_object(entry).get()
    assert log.changes["note"][1] == "[afgeschermd]"
    assert log.additional_data == {"pupil_region": plan.region_id}


# --- query counts -------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 300])
def test_plan_page_queries_do_not_grow_with_the_cohort(
    client, plan, alice, n, django_assert_max_num_queries
):
    pupils = PupilFactory.create_batch(n, region=plan.region, current_location=plan.location)
    for pupil in pupils[::2]:
        CohortEntry.objects.create(plan=plan, pupil=pupil, outflow="plaatsing-nodig")
        PlacementCase.objects.create(pupil=pupil, reason="sluiting", from_location=plan.location)
    client.force_login(alice)
    url = reverse("initiatives:transition_detail", args=[plan.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert pupils[-1].code in response.content.decode()
