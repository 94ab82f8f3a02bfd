from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.models import CheckIn, Pupil
from learners.selectors import compute_deadlines, deadlines_for
from tests.learners.factories import (
    CvoBesluitFactory,
    PlacementFactory,
    PupilFactory,
    assign,
    begeleider_of,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


def kinds(items):
    return [(d.kind, d.due, d.overdue) for d in items]


def test_eight_weeks_after_a_return_decision(pupil):
    CvoBesluitFactory(pupil=pupil, return_decision_on=TODAY - timedelta(weeks=3))
    items = compute_deadlines(Pupil.objects.all(), TODAY)
    assert ("terugplaatsing", TODAY + timedelta(weeks=5), False) in kinds(items)
    later = compute_deadlines(Pupil.objects.all(), TODAY + timedelta(weeks=6))
    assert ("terugplaatsing", TODAY + timedelta(weeks=5), True) in kinds(later)


def test_return_deadline_ends_when_the_pupil_is_enrolled(pupil):
    returned = TODAY - timedelta(weeks=3)
    CvoBesluitFactory(pupil=pupil, return_decision_on=returned)
    PlacementFactory(pupil=pupil, enrolled_on=returned + timedelta(days=10))
    assert "terugplaatsing" not in [d.kind for d in compute_deadlines(Pupil.objects.all(), TODAY)]


def test_only_the_latest_decision_end_counts(pupil):
    CvoBesluitFactory(pupil=pupil, start=date(2024, 8, 1), end=TODAY - timedelta(days=30))
    CvoBesluitFactory(pupil=pupil, start=TODAY - timedelta(days=29), end=TODAY + timedelta(days=20))
    items = [d for d in compute_deadlines(Pupil.objects.all(), TODAY) if d.kind == "besluit"]
    assert [(d.due, d.overdue) for d in items] == [(TODAY + timedelta(days=20), False)]


def test_decision_ended_without_follow_up_is_overdue(pupil):
    CvoBesluitFactory(pupil=pupil, end=TODAY - timedelta(days=1))
    assert ("besluit", TODAY - timedelta(days=1), True) in kinds(
        compute_deadlines(Pupil.objects.all(), TODAY)
    )


def test_horizon_is_eight_weeks(pupil):
    CvoBesluitFactory(pupil=pupil, end=TODAY + timedelta(weeks=8))
    other = PupilFactory(region=pupil.region)
    CvoBesluitFactory(pupil=other, end=TODAY + timedelta(weeks=8, days=1))
    items = compute_deadlines(Pupil.objects.all(), TODAY)
    assert [d.pupil_code for d in items] == [pupil.code]


def test_yearly_evaluation_until_done(pupil):
    decision = CvoBesluitFactory(pupil=pupil, evaluation_date=TODAY + timedelta(days=7))
    assert "evaluatie" in [d.kind for d in compute_deadlines(Pupil.objects.all(), TODAY)]
    decision.evaluated_on = TODAY
    decision.save()
    assert "evaluatie" not in [d.kind for d in compute_deadlines(Pupil.objects.all(), TODAY)]


def test_checkins_due_and_overdue(pupil):
    CheckIn.objects.create(pupil=pupil, months_after=3, due_date=TODAY - timedelta(days=3))
    CheckIn.objects.create(pupil=pupil, months_after=14, due_date=TODAY + timedelta(days=3))
    CheckIn.objects.create(
        pupil=pupil, months_after=26, due_date=TODAY - timedelta(days=9), done_on=TODAY
    )
    items = [(d.overdue, d.label) for d in compute_deadlines(Pupil.objects.all(), TODAY)]
    assert items == [
        (True, "Vervolgcontact 3 maanden na inschrijving"),
        (False, "Vervolgcontact 14 maanden na inschrijving"),
    ]


def test_transition_point_needs_an_explicit_decision(pupil):
    pupil.transition = "po-vo"
    pupil.transition_date = TODAY + timedelta(weeks=4)
    pupil.save()
    items = compute_deadlines(Pupil.objects.all(), TODAY)
    assert [d.kind for d in items] == ["overgang"]
    assert "po naar vo" in items[0].label
    pupil.transition_decision = "doorgaan"
    pupil.save()
    assert compute_deadlines(Pupil.objects.all(), TODAY) == []


def test_deadlines_follow_the_users_scope(region, alice, charlie, pupil):
    mine = begeleider_of(region)
    not_assigned = PupilFactory(region=region)
    assign(pupil, mine)
    for p in (pupil, not_assigned):
        CvoBesluitFactory(pupil=p, end=TODAY + timedelta(days=10))
    assert {d.pupil_code for d in deadlines_for(alice, TODAY)} == {pupil.code, not_assigned.code}
    assert {d.pupil_code for d in deadlines_for(mine, TODAY)} == {pupil.code}
    assert deadlines_for(charlie, TODAY) == []


def test_labels_are_translated_once_not_per_pupil(region, monkeypatch):
    """The deadlines page of a large region built thousands of deadlines, each asking
    gettext for its label again: half the page's time. The fixed labels are translated
    once per call, however many pupils there are."""
    from learners import selectors

    calls = []

    def counting(message):
        calls.append(message)
        return message

    monkeypatch.setattr(selectors, "_", counting)
    for _n in range(6):
        CvoBesluitFactory(
            pupil=PupilFactory(region=region),
            end=TODAY + timedelta(days=10),
            evaluation_date=TODAY + timedelta(days=5),
            return_decision_on=TODAY - timedelta(days=3),
        )
    items = compute_deadlines(Pupil.objects.all(), TODAY)
    assert {d.kind for d in items} == {"besluit", "evaluatie", "terugplaatsing"}
    assert len(items) == 18
    assert len(calls) <= 3


@pytest.fixture
def built(monkeypatch):
    """The users for whom the deadlines were built (not served from the cache)."""
    from learners import selectors

    users = []
    real = selectors.deadlines_for

    def counted(user, day=None):
        users.append(user)
        return real(user, day)

    monkeypatch.setattr(selectors, "deadlines_for", counted)
    return users


def test_deadlines_page_is_built_once_until_the_data_changes(client, region, alice, pupil, built):
    """The page builds every deadline to sort and count them: kept per user and day until
    the data of the user's regions changes, so a second view builds nothing."""
    url = reverse("learners:deadlines")
    client.force_login(alice)
    today = timezone.localdate()
    CvoBesluitFactory(pupil=pupil, end=today + timedelta(days=10))
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    assert len(built) == 1 and pupil.code in first and pupil.code in again
    CheckIn.objects.create(pupil=pupil, months_after=3, due_date=today)
    changed = client.get(url).content.decode()
    assert len(built) == 2 and "Vervolgcontact 3 maanden" in changed


def test_page_numbers_typed_in_the_address_share_one_cached_page(
    client, region, alice, pupil, built
):
    """?page=x, ?page=-1 and ?page=1 show the first page: one cache entry, not one per
    string (a user could push everyone else's cached pages out)."""
    url = reverse("learners:deadlines")
    client.force_login(alice)
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate() + timedelta(days=10))
    for asked in ("", "?page=1", "?page=x", "?page=-1", "?page=1e9"):
        response = client.get(url + asked)
        assert response.status_code == 200 and pupil.code in response.content.decode()
    assert len(built) == 1
