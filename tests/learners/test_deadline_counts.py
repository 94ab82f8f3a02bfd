"""The home page counts deadlines in the database (deadline_counts); the deadlines page
builds them (compute_deadlines). Both must give the same numbers, rule by rule."""

from datetime import date, timedelta

import pytest

from learners.models import CheckIn, DutyOfCare, Pupil
from learners.selectors import compute_deadlines, deadline_counts, unclear_duty_of_care
from tests.learners.factories import CvoBesluitFactory, PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


def counted(items):
    return sum(d.overdue for d in items), sum(not d.overdue for d in items)


@pytest.fixture
def every_rule(region):
    """Pupils around every edge of every source: before, on and after today and the
    horizon, return decisions with and without a later enrolment, two decisions, done and
    open check-ins and evaluations, transition points with and without a decision."""
    offsets = [-60, -1, 0, 1, 30, 56, 57, 90]
    for n, days in enumerate(offsets):
        due = TODAY + timedelta(days=days)
        pupil = PupilFactory(region=region)
        CvoBesluitFactory(pupil=pupil, start=date(2024, 8, 1), end=due - timedelta(days=40))
        CvoBesluitFactory(
            pupil=pupil,
            start=due - timedelta(days=39),
            end=due,
            evaluation_date=due,
            evaluated_on=TODAY if n % 3 == 0 else None,
            return_decision_on=due - timedelta(days=56) if n % 2 else None,
        )
        if n % 4 == 1:  # enrolled after the return decision: that deadline is gone
            PlacementFactory(pupil=pupil, enrolled_on=due - timedelta(days=50))
        if n % 4 == 3:  # enrolled on the decision's end: the end is done, not due
            PlacementFactory(pupil=pupil, enrolled_on=due)
        CheckIn.objects.create(pupil=pupil, months_after=3, due_date=due)
        CheckIn.objects.create(pupil=pupil, months_after=9, due_date=due, done_on=TODAY)
        Pupil.objects.filter(pk=pupil.pk).update(
            transition="po-vo",
            transition_date=due,
            transition_decision="doorlopen" if n % 3 == 1 else "",
        )
    return Pupil.objects.all()


@pytest.mark.parametrize("shift", [-50, -1, 0, 1, 56])
def test_counted_in_the_database_as_built_in_python(every_rule, shift):
    day = TODAY + timedelta(days=shift)
    expected = counted(compute_deadlines(every_rule, day))
    assert expected[0] and expected[1]  # the fixture reaches both sides
    assert deadline_counts(every_rule, day) == expected


def test_inactive_pupils_are_left_out_as_the_page_leaves_them_out(every_rule):
    Pupil.objects.filter(pk=every_rule.first().pk).update(is_active=False)
    active = Pupil.objects.filter(is_active=True)
    assert deadline_counts(active, TODAY) == counted(compute_deadlines(active, TODAY))


def test_duty_of_care_candidates_found_in_the_database(region):
    """One period covering today: clear. None, none today, or a gap between two: unclear,
    each with its reason; a later period that has not started yet changes nothing."""
    institution = region.institution

    def pupil_with(*periods):
        pupil = PupilFactory(region=region)
        for start, end in periods:
            DutyOfCare.objects.create(
                pupil=pupil, holder_kind="instelling", institution=institution, start=start, end=end
            )
        return pupil

    clear = pupil_with((date(2025, 8, 1), None))
    chained = pupil_with((date(2025, 8, 1), date(2026, 1, 31)), (date(2026, 2, 1), None))
    pupil_with((date(2025, 8, 1), None), (date(2027, 1, 1), None))
    nobody = pupil_with()
    ended = pupil_with((date(2025, 8, 1), date(2026, 10, 31)))
    gap = pupil_with((date(2025, 8, 1), date(2026, 1, 31)), (date(2026, 3, 1), None))
    found = dict(unclear_duty_of_care(Pupil.objects.all(), TODAY))
    assert set(found) == {nobody, ended, gap}
    assert clear not in found and chained not in found
    assert found[nobody] == "niemand heeft de zorgplicht"
    assert found[ended] == "niemand heeft vandaag de zorgplicht"
    assert found[gap].startswith("gat in de zorgplicht van 01-02-2026")


def test_pupils_with_a_clear_duty_of_care_stay_in_the_database(region, monkeypatch):
    """Only candidates reach Python: 30 pupils each with one period covering today are
    never loaded to be checked one by one (what made the pupil list and home page slow)."""
    from learners import selectors

    for _ in range(30):
        DutyOfCare.objects.create(
            pupil=PupilFactory(region=region),
            holder_kind="instelling",
            institution=region.institution,
            start=date(2025, 8, 1),
        )
    checked = []
    real = selectors.duty_of_care_problem
    monkeypatch.setattr(
        selectors,
        "duty_of_care_problem",
        lambda periods, day: checked.append(1) or real(periods, day),
    )
    assert unclear_duty_of_care(Pupil.objects.all(), TODAY) == []
    assert checked == []


def test_home_page_counts_without_building_every_deadline(client, alice, region, monkeypatch):
    import plans.snapshot  # noqa: F401 (bound to the real function before it is patched)
    from learners import selectors

    pupil = PupilFactory(region=region)
    CvoBesluitFactory(pupil=pupil, end=selectors.today() - timedelta(days=1))

    def refuse(*args, **kwargs):
        raise AssertionError("the home page built every deadline")

    monkeypatch.setattr(selectors, "compute_deadlines", refuse)
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["n_overdue"] == 1


def test_home_page_keeps_its_pupil_counts_until_the_region_changes(
    client, alice, region, monkeypatch
):
    """The counts of a large region took most of the home page: they are kept per user
    and day until the data of the user's regions changes (regions/data_version.py)."""
    from learners import selectors

    pupil = PupilFactory(region=region)
    CvoBesluitFactory(pupil=pupil, end=selectors.today() - timedelta(days=1))
    counted = []
    real = selectors.deadline_counts
    monkeypatch.setattr(
        selectors, "deadline_counts", lambda *a, **k: counted.append(1) or real(*a, **k)
    )
    client.force_login(alice)
    assert client.get("/").context["n_overdue"] == 1
    assert client.get("/").context["n_overdue"] == 1
    assert counted == [1]  # the second view was served the kept counts
    other = PupilFactory(region=region)  # a change in the region: counted again
    CvoBesluitFactory(pupil=other, end=selectors.today() - timedelta(days=2))
    response = client.get("/")
    assert (response.context["n_overdue"], len(counted)) == (2, 2)
