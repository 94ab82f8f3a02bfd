"""Each pupil record has its form on one base (pupil and user); defaults and rules live
on the models, and the model's validation runs once, inside the form."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from learners.forms import DutyOfCareForm, PupilRecordForm
from learners.models import Arrangement, CheckIn, CvoBesluit, DutyOfCare
from learners.views import RECORD_KINDS

pytestmark = pytest.mark.django_db


def test_every_kind_has_a_pupil_record_form_an_action_and_titles():
    assert set(RECORD_KINDS) == {
        "besluit",
        "arrangement",
        "plaatsing",
        "zorgplicht",
        "overdracht",
        "vervolgcontact",
        "consultatie",
        "gesprek",
    }
    for kind in RECORD_KINDS.values():
        assert issubclass(kind.form, PupilRecordForm)
        assert kind.action in {"edit", "record"}
        assert str(kind.title_new) and str(kind.title_edit)
    # A begeleider records contacts; only the coordinator changes the file itself.
    assert {k for k, v in RECORD_KINDS.items() if v.action == "record"} == {
        "vervolgcontact",
        "consultatie",
        "gesprek",
    }


@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_every_kind_opens_its_form(client, alice, pupil, kind):
    client.force_login(alice)
    response = client.get(reverse("learners:record_create", args=[pupil.code, kind]))
    assert response.status_code == 200
    assert isinstance(response.context["form"], RECORD_KINDS[kind].form)


def test_unknown_kind_is_404(client, alice, pupil):
    client.force_login(alice)
    url = reverse("learners:record_create", args=[pupil.code, "dagboek"])
    assert client.get(url).status_code == 404


def test_the_model_rules_run_once_per_save(client, alice, pupil, region):
    client.force_login(alice)
    url = reverse("learners:record_create", args=[pupil.code, "zorgplicht"])
    data = {
        "holder_kind": "instelling",
        "institution": region.institution.pk,
        "start": "2026-01-01",
    }
    with mock.patch.object(DutyOfCare, "clean", autospec=True, side_effect=lambda self: None) as c:
        response = client.post(url, data)
    assert response.status_code == 302
    assert c.call_count == 1


def test_a_rule_needing_the_pupil_runs_inside_the_form(pupil, alice, region):
    DutyOfCare.objects.create(
        pupil=pupil,
        holder_kind="instelling",
        institution=region.institution,
        start=date(2026, 1, 1),
    )
    form = DutyOfCareForm(
        {"holder_kind": "instelling", "institution": region.institution.pk, "start": "2026-02-01"},
        pupil=pupil,
        user=alice,
    )
    assert not form.is_valid()
    assert "overlapt" in " ".join(form.non_field_errors())


def test_defaults_come_from_the_pupil_on_the_models(pupil, region):
    decision = CvoBesluit.objects.create(
        pupil=pupil, kind="ondersteuning", start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert decision.institution == region.institution
    arrangement = Arrangement.objects.create(pupil=pupil, start=date(2026, 1, 1))
    assert arrangement.region == pupil.region
    checkin = CheckIn.objects.create(pupil=pupil, done_on=date(2026, 2, 3), wellbeing="goed")
    assert checkin.due_date == date(2026, 2, 3)


def test_a_checkin_is_recorded_by_who_saves_it(client, begeleider, pupil):
    client.force_login(begeleider)
    url = reverse("learners:record_create", args=[pupil.code, "vervolgcontact"])
    response = client.post(url, {"done_on": "2026-02-03", "wellbeing": "goed", "version": 0})
    assert response.status_code == 302
    checkin = CheckIn.objects.get(pupil=pupil)
    assert checkin.recorded_by == begeleider and checkin.due_date == date(2026, 2, 3)
