"""Each access rule, tried with the users who may, may only read, and may not."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from learners.models import AccessLog, Conversation, CvoBesluit, Pupil
from regions.models import Level
from tests.factories import school_in
from tests.learners.factories import (
    ArrangementFactory,
    PlacementFactory,
    PupilFactory,
    begeleider_of,
)

pytestmark = pytest.mark.django_db
SECRETS = ("Voornaam", "Achternaam", "14 maart 2012", "Geheime diagnose", "Geheime notitie")


def get(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def record_url(pupil, kind):
    """The form for a new pupil record of `kind` (its slug in the address)."""
    return reverse("learners:record_create", args=[pupil.code, kind])


def detail_url(pupil):
    return reverse("learners:pupil_detail", args=[pupil.code])


@pytest.fixture
def conversation(pupil):
    return Conversation.objects.create(
        pupil=pupil, date=date(2026, 1, 5), participants="ouders", wishes="Geheime wens"
    )


def test_coordinator_sees_region_pupils_with_names(client, alice, pupil, conversation):
    response = get(client, alice, reverse("learners:pupil_list"))
    assert response.status_code == 200
    assert pupil.code in response.text and pupil.first_name in response.text
    response = get(client, alice, detail_url(pupil))
    assert response.status_code == 200
    for secret in (*SECRETS, "Geheime wens"):
        assert secret in response.text
    assert 'hx-history="false"' in response.text


def test_outsider_gets_404(client, charlie, pupil):
    assert get(client, charlie, detail_url(pupil)).status_code == 404
    assert pupil.code not in get(client, charlie, reverse("learners:pupil_list")).text


def test_manager_sees_no_pupil_list_or_page(client, bob, pupil):
    assert get(client, bob, reverse("learners:pupil_list")).status_code == 404
    assert get(client, bob, detail_url(pupil)).status_code == 404
    response = get(client, bob, reverse("learners:figures"))
    assert response.status_code == 200
    assert pupil.code not in response.text


def test_begeleider_sees_only_assigned_pupils(client, region, begeleider, pupil):
    other = PupilFactory(region=region, first_name="Anderkind")
    response = get(client, begeleider, reverse("learners:pupil_list"))
    assert pupil.code in response.text and pupil.first_name in response.text
    assert other.code not in response.text
    assert get(client, begeleider, detail_url(pupil)).status_code == 200
    assert get(client, begeleider, detail_url(other)).status_code == 404


def test_begeleider_without_arrangement_in_other_region_sees_nothing(client, other_region, pupil):
    stranger = begeleider_of(other_region)
    assert get(client, stranger, detail_url(pupil)).status_code == 404


def test_school_leader_sees_pseudonymised_pupils_of_own_school(
    client, region, leader, pupil, conversation
):
    elsewhere = PupilFactory(region=region, current_school=school_in(region))
    pupil.need_other = "Rustige werkplek"
    pupil.save()
    ArrangementFactory(pupil=pupil, setting="symbiose")
    response = get(client, leader, reverse("learners:pupil_list"))
    assert pupil.code in response.text
    assert elsewhere.code not in response.text
    response = get(client, leader, detail_url(pupil))
    assert response.status_code == 200
    # What the leader is there for: the pupil's own needs and arrangement.
    assert "Rustige werkplek" in response.text
    assert '<th scope="row">symbiose</th>' in response.text
    for secret in (*SECRETS, "Geheime wens"):
        assert secret not in response.text
    assert get(client, leader, detail_url(elsewhere)).status_code == 404


def test_school_leader_pages_never_show_names(client, leader, pupil):
    pages = [
        reverse("learners:pupil_list"),
        detail_url(pupil),
        reverse("learners:figures"),
        reverse("learners:deadlines"),
        reverse("plans:home"),
    ]
    for url in pages:
        text = get(client, leader, url).text
        for secret in SECRETS:
            assert secret not in text, (url, secret)


@pytest.mark.parametrize(
    "url_name",
    ["pupil_edit", "besluit", "arrangement", "plaatsing", "zorgplicht", "overdracht"],
)
def test_only_the_coordinator_edits(client, alice, leader, begeleider, charlie, pupil, url_name):
    if url_name == "pupil_edit":
        url = reverse("learners:pupil_edit", args=[pupil.code])
    else:
        url = record_url(pupil, url_name)
    assert get(client, alice, url).status_code == 200
    assert get(client, leader, url).status_code == 403
    assert get(client, begeleider, url).status_code == 403
    assert get(client, charlie, url).status_code == 404
    client.force_login(leader)
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("kind", ["vervolgcontact", "gesprek"])
def test_begeleider_records_checkins_and_conversations(client, leader, begeleider, pupil, kind):
    url = record_url(pupil, kind)
    assert get(client, begeleider, url).status_code == 200
    assert get(client, leader, url).status_code == 403


def test_begeleider_records_a_planned_checkin(client, begeleider, pupil):
    checkin = pupil.checkins.create(months_after=3, due_date=date(2026, 2, 1))
    client.force_login(begeleider)
    response = client.post(
        reverse("learners:record_edit", args=[pupil.code, "vervolgcontact", checkin.pk]),
        {
            "done_on": "2026-02-03",
            "results": "Gaat goed",
            "wellbeing": "goed",
            "as_planned": "true",
            "support_needed": "true",
            "version": 0,
        },
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.done_on == date(2026, 2, 3)
    assert checkin.recorded_by == begeleider
    assert checkin.as_planned is True


def test_coordinator_adds_a_decision(client, alice, pupil):
    client.force_login(alice)
    data = {"kind": "ondersteuning", "start": "2026-08-01"}
    response = client.post(record_url(pupil, "besluit"), {**data, "end": "2026-07-01"})
    assert response.status_code == 400
    assert "De einddatum ligt vóór de ingangsdatum." in response.text
    response = client.post(record_url(pupil, "besluit"), {**data, "end": "2027-07-31"})
    assert response.status_code == 302
    assert CvoBesluit.objects.get(pupil=pupil).institution == pupil.region.institution


def test_coordinator_creates_a_pupil(client, alice, bob, charlie, region, school):
    url = reverse("learners:pupil_create", args=[region.pk])
    assert get(client, bob, url).status_code == 403
    assert get(client, charlie, url).status_code == 404
    client.force_login(alice)
    response = client.post(
        url,
        {
            "first_name": "Nieuw",
            "date_of_birth": "2013-05-01",
            "target_group": "dsh",
            "current_school": school.pk,
            "level": Level.objects.get(code="havo").pk,
            "is_active": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302
    pupil = Pupil.objects.get(first_name="Nieuw")
    assert pupil.region == region and pupil.code.startswith("LL-")


# --- access log ---------------------------------------------------------------------


def test_every_pupil_page_view_is_logged(client, alice, leader, pupil):
    get(client, alice, detail_url(pupil))
    get(client, leader, detail_url(pupil))
    entries = list(AccessLog.objects.order_by("at").values_list("user", "action", "pupil"))
    assert entries == [(alice.pk, "view", pupil.pk), (leader.pk, "view", pupil.pk)]


def test_refused_views_are_not_logged_as_views(client, charlie, bob, pupil):
    get(client, charlie, detail_url(pupil))
    get(client, bob, detail_url(pupil))
    assert not AccessLog.objects.exists()


def test_coordinator_reads_the_access_log_of_their_region(
    client, alice, bob, charlie, leader, pupil
):
    get(client, leader, detail_url(pupil))
    url = reverse("learners:access_log", args=[pupil.region_id])
    response = get(client, alice, url)
    assert response.status_code == 200
    assert leader.username in response.text and pupil.code in response.text
    assert get(client, bob, url).status_code == 403
    assert get(client, charlie, url).status_code == 404


# --- audit log ----------------------------------------------------------------------


def test_names_never_reach_the_audit_log(client, alice, pupil):
    pupil.first_name = "Geheimnaam"
    pupil.last_name = "Verborgen"
    pupil.date_of_birth = date(2011, 7, 9)
    pupil.target_group = "dsh"
    pupil.save()
    PlacementFactory(pupil=pupil)
    entries = LogEntry.objects.all()
    assert entries.exists()
    dump = " ".join(f"{e.object_repr} {e.changes} {e.additional_data}" for e in entries)
    for secret in ("Geheimnaam", "Verborgen", "Voornaam", "Achternaam", "2011-07-09", "2012-03-14"):
        assert secret not in dump
    update = LogEntry.objects.get_for_object(pupil).get(action=LogEntry.Action.UPDATE)
    assert "target_group" in update.changes_dict
    assert "first_name" not in update.changes_dict
    assert update.object_repr == pupil.code


def test_pupil_changes_stay_out_of_the_managers_feed(client, bob, pupil, school):
    pupil.target_group = "cmb"
    pupil.save()
    assert LogEntry.objects.get_for_object(pupil).filter(action=LogEntry.Action.UPDATE).exists()
    school.name = "Gewijzigde partnerschool"
    school.save()
    response = get(client, bob, reverse("plans:home"))
    # The feed is there and shows the region's partner changes, never the pupil's.
    assert "Gewijzigde partnerschool" in response.text
    assert pupil.code not in response.text


def test_begeleider_adds_an_unplanned_checkin_and_a_conversation(client, begeleider, pupil):
    client.force_login(begeleider)
    unplanned = {"done_on": "2026-03-01", "wellbeing": "redelijk", "as_planned": "unknown"}
    response = client.post(record_url(pupil, "vervolgcontact"), unplanned)
    assert response.status_code == 302
    checkin = pupil.checkins.get()
    assert checkin.due_date == checkin.done_on == date(2026, 3, 1)
    talk = {"date": "2026-03-02", "participants": "moeder, leerling", "wishes": "Vaste plek"}
    response = client.post(record_url(pupil, "gesprek"), talk)
    assert response.status_code == 302
    assert pupil.conversations.get().recorded_by == begeleider


def test_overlapping_duty_period_is_refused_in_the_form(client, alice, pupil):
    client.force_login(alice)
    url = record_url(pupil, "zorgplicht")
    data = {"holder_kind": "instelling", "institution": pupil.region.institution_id,
            "start": "2025-08-01"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "start": "2026-01-01"})
    assert response.status_code == 400
    assert "overlapt" in response.text
    assert pupil.duty_periods.count() == 1


def test_placement_and_edit_pages_are_logged(client, alice, pupil):
    case = PlacementFactory(pupil=pupil)
    get(client, alice, case.get_absolute_url())
    get(client, alice, reverse("learners:pupil_edit", args=[pupil.code]))
    assert AccessLog.objects.filter(pupil=pupil, action="view").count() == 2


# --- access that ends ---------------------------------------------------------------


def _begeleider_with_arrangement(region, pupil, **dates):
    from tests.learners.factories import ArrangementFactory

    user = begeleider_of(region)
    ArrangementFactory(pupil=pupil, **dates).begeleiders.add(user)
    return user


def test_begeleider_loses_the_pupil_when_the_arrangement_ended_long_ago(client, region, pupil):
    former = _begeleider_with_arrangement(
        region, pupil, start=date(2020, 8, 1), end=date(2021, 7, 31)
    )
    assert get(client, former, detail_url(pupil)).status_code == 404
    assert pupil.code not in get(client, former, reverse("learners:pupil_list")).text
    assert pupil.code not in get(client, former, reverse("learners:deadlines")).text


def test_begeleider_keeps_the_pupil_within_the_grace_period(client, region, pupil, settings):
    from django.utils import timezone

    settings.BEGELEIDER_GRACE_DAYS = 30
    ended = timezone.localdate() - timedelta(days=29)
    recent = _begeleider_with_arrangement(region, pupil, start=date(2020, 8, 1), end=ended)
    assert get(client, recent, detail_url(pupil)).status_code == 200
    settings.BEGELEIDER_GRACE_DAYS = 20
    assert get(client, recent, detail_url(pupil)).status_code == 404


def test_inactive_pupil_opens_only_for_the_coordinator(client, alice, leader, begeleider, pupil):
    from django.utils import timezone

    from tests.learners.factories import CvoBesluitFactory

    CvoBesluitFactory(pupil=pupil, end=timezone.localdate() + timedelta(days=10))
    pupil.is_active = False
    pupil.save()
    assert get(client, alice, detail_url(pupil)).status_code == 200
    assert get(client, begeleider, detail_url(pupil)).status_code == 404
    assert get(client, leader, detail_url(pupil)).status_code == 404
    for user in (alice, begeleider, leader):
        for name in ("pupil_list", "deadlines"):
            response = get(client, user, reverse(f"learners:{name}"))
            assert pupil.code not in response.text, (user, name)
    # The coordinator can still find the pupil, to look back or to reactivate.
    response = get(client, alice, reverse("learners:pupil_list") + "?inactive=on")
    assert pupil.code in response.text
    response = get(client, begeleider, reverse("learners:pupil_list") + "?inactive=on")
    assert pupil.code not in response.text
