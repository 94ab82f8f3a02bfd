"""Agreements: numbered versions that never change, attention rules, comparison."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from initiatives import services
from initiatives.compare import compare_versions, word_diff
from initiatives.models import Agreement, AgreementConsent, AgreementVersion, add_months
from initiatives.selectors import agreements_needing_attention
from tests.factories import UserFactory, coordinator_of
from tests.initiatives.agreement_helpers import make_agreement, party

pytestmark = pytest.mark.django_db


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


# --- versions ---------------------------------------------------------------------


def test_versions_are_numbered_one_two_three(region, alice):
    agreement = make_agreement(region, alice, text="Een")
    services.add_version(agreement=agreement, based_on=1, text="Twee", conditions="", user=alice)
    services.add_version(agreement=agreement, based_on=2, text="Drie", conditions="", user=alice)
    assert list(agreement.versions.values_list("number", "text")) == [
        (1, "Een"),
        (2, "Twee"),
        (3, "Drie"),
    ]


def test_old_version_keeps_its_text_and_author_after_a_new_version_and_an_edit(region, alice):
    agreement = make_agreement(region, alice, text="De oude tekst.", conditions="Oude voorwaarde.")
    first = agreement.versions.get(number=1)
    recorded_at = first.recorded_at
    other = coordinator_of(region)
    services.add_version(
        agreement=agreement, based_on=1, text="De nieuwe tekst.", conditions="Nieuw.", user=other
    )
    agreement.refresh_from_db()
    agreement.status = Agreement.Status.AGREED
    agreement.open_questions = "Nog iets"
    services.update_agreement(agreement, agreement.version)

    old = AgreementVersion.objects.get(agreement=agreement, number=1)
    assert (old.text, old.conditions) == ("De oude tekst.", "Oude voorwaarde.")
    assert old.recorded_by == alice
    assert old.recorded_at == recorded_at
    assert agreement.versions.get(number=2).recorded_by == other


def test_a_recorded_version_cannot_be_changed_or_deleted(region, alice):
    version = make_agreement(region, alice).versions.get()
    version.text = "Overschreven"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert AgreementVersion.objects.get(pk=version.pk).text == "Tekst één."


def test_a_version_is_not_editable_in_django_admin():
    from django.contrib import admin

    assert AgreementVersion not in admin.site._registry
    assert AgreementConsent not in admin.site._registry


@pytest.mark.parametrize("text", ["", "   \n "])
def test_a_version_without_text_is_refused_with_a_dutch_message(region, alice, text):
    agreement = make_agreement(region, alice)
    with pytest.raises(ValidationError) as exc:
        services.add_version(agreement=agreement, based_on=1, text=text, conditions="x", user=alice)
    assert "Een versie zonder tekst kan niet worden vastgelegd." in str(exc.value)
    assert agreement.versions.count() == 1
    with pytest.raises(ValidationError):
        make_agreement(region, alice, text=" ", title="Leeg")
    assert not Agreement.objects.filter(title="Leeg").exists()


def test_a_stale_version_form_is_refused_and_nothing_is_saved(region, alice):
    agreement = make_agreement(region, alice)
    # Two coordinators opened the form on version 1; the first one saves.
    services.add_version(agreement=agreement, based_on=1, text="Van A", conditions="", user=alice)
    with pytest.raises(services.VersionConflict) as exc:
        services.add_version(
            agreement=agreement, based_on=1, text="Van B", conditions="", user=alice
        )
    assert exc.value.current.number == 2
    assert "versie 2" in str(exc.value)
    assert list(agreement.versions.values_list("text", flat=True)) == ["Tekst één.", "Van A"]


def test_the_database_refuses_two_versions_with_one_number(region, alice):
    agreement = make_agreement(region, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.create(agreement=agreement, number=1, text="x", recorded_by=alice)


def test_an_unchanged_text_is_not_a_new_version(region, alice):
    agreement = make_agreement(region, alice, text="Zelfde", conditions="C")
    with pytest.raises(ValidationError, match="niets veranderd"):
        services.add_version(
            agreement=agreement, based_on=1, text="Zelfde", conditions="C", user=alice
        )
    assert agreement.versions.count() == 1


def test_a_stale_edit_of_the_agreement_is_refused(region, alice):
    from regions.versioning import ConflictError

    agreement = make_agreement(region, alice)
    loaded = agreement.version
    first = Agreement.objects.get(pk=agreement.pk)
    first.status = Agreement.Status.AGREED
    services.update_agreement(first, loaded)
    second = Agreement.objects.get(pk=agreement.pk)
    second.status = Agreement.Status.DISPUTED
    with pytest.raises(ConflictError):
        services.update_agreement(second, loaded)
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.AGREED


def test_consent_is_per_version_and_a_party_that_agreed_stays(region, alice, school):
    agreement = make_agreement(region, alice)
    swv = party(agreement, swv=region.swvs.first())
    baken = party(agreement, school=school)
    v2 = services.add_version(
        agreement=agreement, based_on=1, text="Twee", conditions="", user=alice, agreed_by=[swv]
    )
    services.record_consent(
        version=agreement.versions.get(number=1),
        parties=[swv, baken],
        agreed_on=timezone.localdate(),
    )
    assert list(v2.agreed_by.all()) == [swv]
    assert set(agreement.versions.get(number=1).agreed_by.all()) == {swv, baken}
    with pytest.raises(ValidationError, match="ingestemd met versie 1, 2"):
        services.remove_party(swv)
    assert agreement.parties.filter(pk=swv.pk).exists()


# --- validation -------------------------------------------------------------------


def test_end_before_start_is_refused(region, alice):
    agreement = Agreement(
        region=region, title="x", subject="pilot", start=date(2026, 8, 1), end=date(2026, 7, 1)
    )
    with pytest.raises(ValidationError) as exc:
        agreement.full_clean()
    assert exc.value.message_dict["end"] == ["De einddatum moet na de begindatum liggen."]


def test_school_year_is_two_consecutive_years(region):
    agreement = Agreement(region=region, title="x", subject="pilot", school_year="2026-2028")
    with pytest.raises(ValidationError) as exc:
        agreement.full_clean()
    assert "bijvoorbeeld 2026-2027" in exc.value.message_dict["school_year"][0]
    agreement.school_year = "2026-2027"
    agreement.full_clean()


# --- needs attention ----------------------------------------------------------------

TODAY = date(2026, 3, 15)


def _agreement(region, **fields):
    fields.setdefault("title", "A")
    fields.setdefault("subject", "pilot")
    fields.setdefault("status", Agreement.Status.SIGNED)
    return Agreement.objects.create(region=region, **fields)


def test_needs_attention_rules_with_exact_dates(region, other_region):
    disputed = _agreement(region, title="betwist", status=Agreement.Status.DISPUTED)
    ends_on_limit = _agreement(region, title="rand", end=date(2026, 6, 15))
    _agreement(region, title="net te laat", end=date(2026, 6, 16))
    expired = _agreement(region, title="verlopen", end=date(2026, 3, 1))
    _agreement(region, title="beeindigd", end=date(2026, 4, 1), status=Agreement.Status.ENDED)
    old_draft = _agreement(
        region, title="oud concept", status=Agreement.Status.DRAFT, status_since=date(2026, 1, 14)
    )
    _agreement(
        region, title="2 maanden", status=Agreement.Status.DRAFT, status_since=date(2026, 1, 15)
    )
    _agreement(other_region, title="andere regio", status=Agreement.Status.DISPUTED)

    found = {
        item.agreement.title: item.reasons
        for item in agreements_needing_attention(region, today=TODAY)
    }
    assert found == {
        disputed.title: ["betwist"],
        ends_on_limit.title: ["loopt binnen 3 maanden af"],
        expired.title: ["einddatum verstreken, niet beëindigd"],
        old_draft.title: ["al meer dan 2 maanden concept"],
    }


def test_draft_counts_from_the_day_the_status_became_draft(region):
    agreement = _agreement(region, status=Agreement.Status.AGREED, status_since=date(2025, 1, 1))
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.status = Agreement.Status.DRAFT
    agreement.save()
    assert agreement.status_since > date(2025, 1, 1)
    assert agreements_needing_attention(region, today=add_months(agreement.status_since, 2)) == []
    day_after = date.fromordinal(add_months(agreement.status_since, 2).toordinal() + 1)
    assert [i.agreement for i in agreements_needing_attention(region, today=day_after)] == [
        agreement
    ]


# --- compare ------------------------------------------------------------------------


def test_word_diff_marks_removed_and_added_words():
    left, right, changed = word_diff("per kwartaal op factuur", "per maand op factuur")
    assert changed
    assert [(s.kind, s.text) for s in left] == [
        ("same", "per "),
        ("del", "kwartaal"),
        ("same", " op factuur"),
    ]
    assert [(s.kind, s.text) for s in right] == [
        ("same", "per "),
        ("ins", "maand"),
        ("same", " op factuur"),
    ]


def test_compare_versions_says_what_did_not_change(region, alice):
    agreement = make_agreement(region, alice, text="A b c", conditions="Zelfde")
    v2 = services.add_version(
        agreement=agreement, based_on=1, text="A x c", conditions="Zelfde", user=UserFactory()
    )
    text, conditions = compare_versions(
        agreement.versions.get(number=1), v2, {"text": "tekst", "conditions": "voorwaarden"}
    )
    assert text.changed and not conditions.changed
    assert "<del>" in text.old_html and "<ins>" in text.new_html
    assert "weggehaald:" in text.old_html
