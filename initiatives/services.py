"""Writes over more than one model of initiatives."""

# --- agreements ------------------------------------------------------------------------

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from regions.versioning import ConflictError, save_if_current  # noqa: E402

from .models import (  # noqa: E402
    NO_TEXT,
    Agreement,
    AgreementConsent,
    AgreementParty,
    AgreementVersion,
)


class VersionConflict(ConflictError):
    """Someone recorded a newer version after this form was loaded; `current` is it."""

    def __init__(self, current):
        Exception.__init__(
            self,
            _(
                "Iemand anders heeft intussen versie %(n)s vastgelegd. Uw versie is niet "
                "opgeslagen; wat u typte staat nog in het formulier. Bekijk de nieuwe versie "
                "en sla bewust opnieuw op om er een volgende versie van te maken."
            )
            % {"n": current.number},
        )
        self.current = current


def _clean_text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": NO_TEXT})
    return text


@transaction.atomic
def create_agreement(*, agreement: Agreement, text: str, conditions: str, user, note=""):
    """A new agreement (unsaved, region set) with its first version."""
    text = _clean_text(text)
    agreement.full_clean()
    agreement.save()
    AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        text=text,
        conditions=(conditions or "").strip(),
        note=note,
        recorded_by=user,
    )
    return agreement


def update_agreement(agreement: Agreement, version: int) -> Agreement:
    """Save the changed fields of `agreement` unless someone saved it since `version`."""
    agreement.full_clean()
    return save_if_current(agreement, version)


def add_version(
    *,
    agreement: Agreement,
    based_on: int | None,
    text: str,
    conditions: str,
    user,
    note: str = "",
    agreed_by=(),
    agreed_on=None,
) -> AgreementVersion:
    """Record the next numbered version. `based_on` is the number of the latest version
    when the form was loaded: if someone recorded another since, VersionConflict.

    The agreement row is locked while the number is computed, so two saves at once get
    consecutive numbers (the unique constraint is the net under the lock)."""
    text = _clean_text(text)
    conditions = (conditions or "").strip()
    try:
        with transaction.atomic():
            Agreement.objects.select_for_update().filter(pk=agreement.pk).get()
            latest = (
                AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
            )
            if latest is not None and based_on != latest.number:
                raise VersionConflict(latest)
            if latest is not None and (latest.text, latest.conditions) == (text, conditions):
                raise ValidationError(
                    _(
                        "Tekst en voorwaarden zijn gelijk aan versie %(n)s: er is niets "
                        "veranderd. Leg instemming met die versie vast op de afspraak."
                    )
                    % {"n": latest.number}
                )
            number = (
                AgreementVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"]
                or 0
            ) + 1
            version = AgreementVersion.objects.create(
                agreement=agreement,
                number=number,
                text=text,
                conditions=conditions,
                note=note,
                recorded_by=user,
            )
            _consent(version, agreed_by, agreed_on)
    except IntegrityError:
        # Only when the lock did not hold (a database without row locks): the number was
        # taken by a save at the same moment. The user sees it and saves again.
        latest = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
        raise VersionConflict(latest) from None
    return version


def _consent(version, parties, agreed_on):
    for party in parties:
        if party.agreement_id != version.agreement_id:
            raise ValidationError(_("Deze partij hoort niet bij deze afspraak."))
        consent = AgreementConsent(version=version, party=party)
        if agreed_on:
            consent.agreed_on = agreed_on
        consent.save()


@transaction.atomic
def record_consent(*, version: AgreementVersion, parties, agreed_on) -> int:
    """Parties agreed to an existing version (the version's text stays as it is);
    parties that already agreed to it are skipped. Returns how many were added."""
    already = set(version.consents.values_list("party_id", flat=True))
    new = [party for party in parties if party.pk not in already]
    _consent(version, new, agreed_on)
    return len(new)


def remove_party(party: AgreementParty) -> None:
    """A party that agreed to a version stays: who agreed to what is never rewritten."""
    numbers = sorted(party.consents.values_list("version__number", flat=True))
    if numbers:
        raise ValidationError(
            _(
                "%(name)s heeft ingestemd met versie %(numbers)s en blijft daarom bij de "
                "afspraak staan."
            )
            % {"name": party.name, "numbers": ", ".join(str(n) for n in numbers)}
        )
    party.delete()
