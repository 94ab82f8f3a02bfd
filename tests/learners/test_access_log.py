"""Every page that shows a pupil's identity or records leaves a row in the access log."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.models import AccessLog, CheckIn, Conversation
from learners.views import RECORD_KINDS
from regions.models import Role, RoleAssignment
from tests.learners.factories import CvoBesluitFactory, PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db


def get(client, user, url, **kwargs):
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response


def rows():
    return set(AccessLog.objects.values_list("user", "action", "pupil", "region"))


def test_the_pupil_list_with_names_logs_each_pupil_shown_in_its_region(
    client, alice, region, other_region, pupil
):
    RoleAssignment.objects.grant_directly(user=alice, role=Role.COORDINATOR, region=other_region)
    elsewhere = PupilFactory(region=other_region)
    get(client, alice, reverse("learners:pupil_list"))
    assert rows() == {
        (alice.pk, "list", pupil.pk, region.pk),
        (alice.pk, "list", elsewhere.pk, other_region.pk),
    }
    # Filtering with htmx is another look.
    get(client, alice, reverse("learners:pupil_list"), headers={"HX-Request": "true"})
    assert AccessLog.objects.filter(action="list").count() == 4


def test_the_begeleider_list_logs_the_own_pupils(client, begeleider, region, pupil):
    get(client, begeleider, reverse("learners:pupil_list"))
    assert rows() == {(begeleider.pk, "list", pupil.pk, region.pk)}


def test_the_deadlines_page_logs_each_pupil_shown(client, alice, begeleider, region, pupil):
    CvoBesluitFactory(pupil=pupil, end=timezone.localdate())
    get(client, alice, reverse("learners:deadlines"))
    get(client, begeleider, reverse("learners:deadlines"))
    assert rows() == {
        (alice.pk, "list", pupil.pk, region.pk),
        (begeleider.pk, "list", pupil.pk, region.pk),
    }


def test_the_pupil_edit_form_is_logged(client, alice, region, pupil):
    get(client, alice, reverse("learners:pupil_edit", args=[pupil.code]))
    assert rows() == {(alice.pk, "view", pupil.pk, region.pk)}


# Every pupil record kind (tests/learners/test_record_forms.py pins the list).
@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_every_new_record_form_is_logged(client, alice, region, pupil, kind):
    get(client, alice, reverse("learners:record_create", args=[pupil.code, kind]))
    assert rows() == {(alice.pk, "view", pupil.pk, region.pk)}


def test_an_existing_record_form_is_logged_for_the_begeleider(client, begeleider, region, pupil):
    conversation = Conversation.objects.create(
        pupil=pupil, date=date(2026, 1, 5), participants="ouders", wishes="Vaste plek"
    )
    checkin = CheckIn.objects.create(pupil=pupil, due_date=date(2026, 1, 5))
    get(
        client,
        begeleider,
        reverse("learners:record_edit", args=[pupil.code, "gesprek", conversation.pk]),
    )
    get(
        client,
        begeleider,
        reverse("learners:record_edit", args=[pupil.code, "vervolgcontact", checkin.pk]),
    )
    assert (
        AccessLog.objects.filter(user=begeleider, action="view", pupil=pupil, region=region).count()
        == 2
    )


def test_the_placement_page_is_logged(client, alice, region, pupil):
    case = PlacementFactory(pupil=pupil)
    get(client, alice, case.get_absolute_url())
    assert rows() == {(alice.pk, "view", pupil.pk, region.pk)}


def test_a_refused_placement_step_shows_the_page_and_is_logged(client, alice, region, pupil):
    case = PlacementFactory(pupil=pupil)
    client.force_login(alice)
    url = reverse("learners:placement_step", args=[pupil.code, case.pk, "enrolled"])
    response = client.post(url, {"enrolled-on": "2026-01-05"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200 and "Inschrijven kan pas" in response.content.decode()
    assert rows() == {(alice.pk, "view", pupil.pk, region.pk)}


def test_the_school_leaders_pseudonymised_list_is_not_a_look_at_names(client, leader, pupil):
    get(client, leader, reverse("learners:pupil_list"))
    assert not AccessLog.objects.exists()


def test_the_log_answers_who_looked_at_one_pupil(client, alice, region, pupil):
    other = PupilFactory(region=region)
    AccessLog.objects.create(user=alice, action="view", pupil=pupil, region=region)
    AccessLog.objects.create(user=alice, action="view", pupil=other, region=region)
    client.force_login(alice)
    url = reverse("learners:access_log", args=[region.pk])
    page = client.get(url, {"pupil": pupil.code.lower()})
    codes = {e.pupil.code for e in page.context["page"]}
    assert codes == {pupil.code}
    assert client.get(url, {"user": "niemand-heet-zo"}).context["page"].paginator.count == 0
    assert client.get(url, {"action": "export"}).context["page"].paginator.count == 0
