import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from learners.models import (
    CheckIn,
    DutyOfCare,
    Pupil,
    add_months,
    duty_of_care_problem,
)
from learners.services import set_step, transfer_duty_of_care
from tests.learners.factories import PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_pupil_gets_a_pseudonymous_code_and_str_is_the_code(region):
    pupils = [PupilFactory(region=region) for _ in range(20)]
    codes = {p.code for p in pupils}
    assert len(codes) == 20
    for pupil in pupils:
        assert re.fullmatch(r"LL-[2-9A-HJ-NP-Z]{5}", pupil.code)
        assert str(pupil) == pupil.code
        assert pupil.first_name not in str(pupil)


def test_pupil_has_no_bsn_field():
    names = {f.name.lower() for f in Pupil._meta.get_fields()}
    assert not any("bsn" in name for name in names)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


# --- the enrolment guard ------------------------------------------------------------


@pytest.fixture
def case(pupil, receiving_school):
    return PlacementFactory(pupil=pupil)


def test_enrolment_blockers_list_every_unsettled_item(case):
    assert case.enrolment_blockers() == ["de TLV", "het vervoer", "de ontvangende school"]


def test_enrolment_refused_names_what_is_unsettled(case, receiving_school):
    on = date(2026, 5, 1)
    set_step(case=case, step="school_identified", on=on, to_school=receiving_school)
    set_step(case=case, step="tlv", on=on, tlv_needed=True, tlv_payer="swv")
    set_step(case=case, step="receiving_ready", on=on)
    set_step(
        case=case,
        step="transport",
        on=on,
        transport_needed=True,
        transport_decision="aangevraagd",
    )
    with pytest.raises(ValidationError) as exc:
        set_step(case=case, step="enrolled", on=on)
    message = " ".join(exc.value.messages)
    assert "het vervoer is nog niet geregeld" in message
    assert "TLV" not in message and "ontvangende school" not in message
    case.refresh_from_db()
    assert case.enrolled_on is None
    assert case.status == "regelen"


def test_enrolment_refused_lists_several_items(case):
    with pytest.raises(ValidationError) as exc:
        set_step(case=case, step="enrolled", on=date(2026, 5, 1))
    assert (
        "de TLV, het vervoer en de ontvangende school zijn nog niet geregeld"
        in (exc.value.messages[0])
    )


def test_tlv_needed_without_payer_is_not_settled(case):
    with pytest.raises(ValidationError):
        set_step(case=case, step="tlv", on=date(2026, 5, 1), tlv_needed=True, tlv_payer="")
    case.tlv_needed, case.tlv_settled_on = True, date(2026, 5, 1)
    assert not case.tlv_settled
    case.tlv_needed = False
    assert case.tlv_settled


def test_enrolment_moves_pupil_duty_of_care_and_plans_checkins(case, receiving_school, settings):
    settings.CHECKIN_MONTHS = [3, 14, 26]
    pupil = case.pupil
    DutyOfCare.objects.create(
        pupil=pupil,
        holder_kind="instelling",
        institution=pupil.region.institution,
        start=date(2024, 8, 1),
    )
    on = date(2026, 5, 1)
    set_step(case=case, step="school_identified", on=on, to_school=receiving_school)
    set_step(case=case, step="tlv", on=on, tlv_needed=False)
    set_step(case=case, step="transport", on=on, transport_needed=False)
    set_step(case=case, step="receiving_ready", on=on)
    assert case.status == "klaar"
    set_step(case=case, step="enrolled", on=on)
    case.refresh_from_db()
    pupil.refresh_from_db()
    assert case.status == "ingeschreven"
    assert pupil.current_school == receiving_school
    periods = list(pupil.duty_periods.order_by("start"))
    assert periods[0].end == date(2026, 4, 30)
    assert periods[1].start == on and periods[1].bestuur == receiving_school.bestuur
    assert duty_of_care_problem([(p.start, p.end) for p in periods], date(2026, 6, 1)) is None
    due = list(CheckIn.objects.filter(placement=case).values_list("months_after", "due_date"))
    assert due == [(3, date(2026, 8, 1)), (14, date(2027, 7, 1)), (26, date(2028, 7, 1))]


def test_checkin_months_are_configurable(case, receiving_school, settings):
    settings.CHECKIN_MONTHS = [6]
    case.to_school = receiving_school
    case.tlv_needed = case.transport_needed = False
    case.receiving_ready_on = date(2026, 1, 1)
    case.save()
    set_step(case=case, step="enrolled", on=date(2026, 1, 10))
    assert list(CheckIn.objects.values_list("months_after", flat=True)) == [6]


def test_first_evaluation_needs_enrolment(case):
    with pytest.raises(ValidationError):
        set_step(case=case, step="first_evaluation", on=date(2026, 5, 1))


# --- duty of care continuity ----------------------------------------------------------


TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("periods", "problem"),
    [
        ([], "niemand heeft de zorgplicht"),
        ([(date(2025, 8, 1), None)], None),
        ([(date(2025, 8, 1), date(2026, 7, 31)), (date(2026, 8, 1), None)], None),
        ([(date(2025, 8, 1), date(2026, 7, 31))], "niemand heeft vandaag de zorgplicht"),
        (
            [(date(2025, 8, 1), date(2026, 7, 31)), (date(2026, 8, 15), None)],
            "gat in de zorgplicht",
        ),
        ([(date(2026, 12, 1), None)], "niemand heeft vandaag de zorgplicht"),
    ],
)
def test_duty_of_care_problem(periods, problem):
    result = duty_of_care_problem(periods, TODAY)
    if problem is None:
        assert result is None
    else:
        assert problem in str(result)


def test_gap_message_names_the_days(region):
    result = duty_of_care_problem(
        [(date(2025, 8, 1), date(2026, 7, 31)), (date(2026, 8, 15), None)], TODAY
    )
    assert str(result) == "gat in de zorgplicht van 01-08-2026 tot 14-08-2026"


def test_overlapping_duty_periods_are_refused(pupil):
    institution = pupil.region.institution
    DutyOfCare.objects.create(
        pupil=pupil, holder_kind="instelling", institution=institution, start=date(2025, 8, 1)
    )
    overlapping = DutyOfCare(
        pupil=pupil, holder_kind="instelling", institution=institution, start=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="overlapt"):
        overlapping.full_clean()


def test_duty_holder_must_match_kind(pupil):
    period = DutyOfCare(pupil=pupil, holder_kind="bestuur", start=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        period.full_clean()
    assert "bestuur" in exc.value.message_dict


def test_transfer_leaves_no_gap(pupil, receiving_school):
    transfer_duty_of_care(pupil=pupil, institution=pupil.region.institution, start=date(2025, 8, 1))
    transfer_duty_of_care(pupil=pupil, bestuur=receiving_school.bestuur, start=date(2026, 3, 1))
    periods = list(pupil.duty_periods.values_list("start", "end"))
    assert periods == [(date(2025, 8, 1), date(2026, 2, 28)), (date(2026, 3, 1), None)]
    assert duty_of_care_problem(periods, date(2026, 3, 1)) is None
    assert duty_of_care_problem(periods, date(2026, 3, 1) - timedelta(days=1)) is None


def test_unclear_duty_selector_finds_only_active_problem_pupils(region):
    from learners.selectors import unclear_duty_of_care

    clear = PupilFactory(region=region)
    DutyOfCare.objects.create(
        pupil=clear, holder_kind="instelling", institution=region.institution, start=TODAY
    )
    nobody = PupilFactory(region=region)
    PupilFactory(region=region, is_active=False)  # left cluster 2: not a problem
    found = unclear_duty_of_care(Pupil.objects.all(), TODAY)
    assert [p for p, _reason in found] == [nobody]


def test_a_step_cannot_come_before_the_step_it_builds_on(case, receiving_school):
    set_step(case=case, step="options_explored", on=date(2026, 10, 24))
    with pytest.raises(ValidationError, match="vóór de stap 'opties verkend'"):
        set_step(
            case=case, step="school_identified", on=date(2020, 1, 1), to_school=receiving_school
        )
    set_step(case=case, step="school_identified", on=date(2026, 10, 30), to_school=receiving_school)
    assert case.school_identified_on == date(2026, 10, 30)


def test_a_conversation_cannot_be_dated_in_the_future(pupil):
    from learners.models import Conversation

    talk = Conversation(pupil=pupil, date=date(2099, 1, 1), participants="x")
    with pytest.raises(ValidationError, match="in de toekomst"):
        talk.full_clean()
