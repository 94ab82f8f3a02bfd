"""Writes over more than one model of initiatives."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from learners.audit import log_list
from regions.versioning import ConflictError, save_if_current

from .models import (
    NO_TEXT,
    Agreement,
    AgreementConsent,
    AgreementParty,
    AgreementVersion,
    BoardQuestion,
    Initiative,
    InitiativeStatus,
    Milestone,
    StatusChange,
    TransitionPlan,
)

# --- initiatives ----------------------------------------------------------------------


def move_status(*, initiative, to_status, reason, user) -> StatusChange:
    """Move the initiative to `to_status` and write who, when and why, in one transaction:
    both or neither. Refuses an unknown status, the status it already has, and no reason."""
    reason = (reason or "").strip()
    errors = {}
    if to_status not in InitiativeStatus.values:
        errors["to_status"] = _("Kies een status uit de lijst.")
    if not reason:
        errors["reason"] = _("Geef een reden voor de nieuwe status.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status == to_status:
            raise ValidationError(
                {"to_status": _("Het initiatief heeft deze status al; kies een andere.")}
            )
        change = StatusChange.objects.create(
            initiative=current,
            from_status=current.status,
            to_status=to_status,
            reason=reason,
            changed_by=user,
        )
        current.status = to_status
        # Forms loaded before this move are stale now (regions/versioning.py).
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
    initiative.status, initiative.version = current.status, current.version
    return change


def create_initiative(*, form, region, user) -> Initiative:
    """Save a new initiative with its first history row ("idee"), in one transaction."""
    with transaction.atomic():
        initiative = form.save(commit=False)
        initiative.region = region
        initiative.save()
        form.save_m2m()
        StatusChange.objects.create(
            initiative=initiative,
            from_status="",
            to_status=initiative.status,
            reason=_("Initiatief vastgelegd."),
            changed_by=user,
        )
    return initiative


# --- transition plans ---


# The questions the regional boards asked of the Auris closure, in our own words: every
# new plan starts with them, so the plan answers them before the region has to ask.
BOARD_QUESTIONS = [
    (
        "Welke scenario's zijn er om deze leerlingen thuisnabij onderwijs te blijven bieden "
        "(een dekkend aanbod), en welke ondersteuning vraagt elk scenario van de scholen?",
        "SPVO/Zeeuwse besturen Oosterschelderegio, brief 4 april 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911)",
    ),
    (
        "Hoe volgt de bekostiging de leerling: wie betaalt de TLV's en de ondersteuning "
        "wanneer leerlingen naar een school buiten cluster 2 gaan?",
        "SPVO-brief 4 april 2024 en 'Perspectief vanuit de Zeeuwse regio', 31 mei 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911 en 3034-3065)",
    ),
    (
        "Wat is de tijdlijn en het plan voor de leerlingen die nu op de locatie zitten, en "
        "voor de leerlingen die zich zonder de sluiting zouden hebben aangemeld?",
        "SPVO-brief 4 april 2024 (Systeemevaluatie cluster 2, r. 2893-2911)",
    ),
    (
        "Is er een met de regio afgestemd veranderplan, met communicatie naar leerlingen, "
        "ouders, team en omliggende scholen, en één lijn vanuit de hele organisatie?",
        "SPVO-brief 4 april 2024 en 'Perspectief vanuit de Zeeuwse regio', 31 mei 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911 en 3034-3065)",
    ),
]


@transaction.atomic
def create_transition_plan(*, location) -> TransitionPlan:
    """A new plan with the boards' four questions and the governance milestones in their
    order (seed 001: exploration, plan, MR, supervisory board, board decision, notice);
    dates are filled in by the coordinator."""
    plan = TransitionPlan(location=location)
    # The region comes from the location (clean() says so in Dutch when it has none).
    plan.full_clean(exclude=["region"])
    plan.save()
    for question, source in BOARD_QUESTIONS:
        BoardQuestion.objects.create(plan=plan, question=question, source=source)
    for kind in Milestone.Kind.values:
        if kind != Milestone.Kind.OTHER:
            Milestone.objects.create(plan=plan, kind=kind)
    return plan


def log_cohort_shown(*, user, pupils, plan) -> list:
    """The plan page showed these pupils' codes: one access-log row per pupil, as the
    pupil list does."""
    return log_list(
        user=user,
        pupils=pupils,
        detail=_("transitieplan %(location)s") % {"location": plan.location.name},
    )


def log_attention_shown(*, user, attentions) -> list:
    """ "Vraagt aandacht" (region page, home page) named these pupils by their code."""
    return log_list(
        user=user,
        pupils=[item.pupil for attention in attentions for item in attention.late if item.pupil],
        detail=_("vraagt aandacht"),
    )


# --- agreements ------------------------------------------------------------------------


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
        consent.clean()  # the forms say it first; this is the net for every caller
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


@transaction.atomic
def link_action_initiatives(*, action, initiatives) -> tuple[int, int]:
    """Link exactly `initiatives` (of the action's region) to a werkagenda action; each
    change goes through the initiative, so it is in that initiative's audited history.
    Returns (linked, unlinked)."""
    chosen = {initiative.pk: initiative for initiative in initiatives}
    if any(i.region_id != action.region_id for i in chosen.values()):
        raise ValidationError(_("Dit initiatief hoort niet bij deze regio."))
    current = {i.pk: i for i in action.initiatives.all()}
    for pk in chosen.keys() - current.keys():
        chosen[pk].actions.add(action)
    for pk in current.keys() - chosen.keys():
        current[pk].actions.remove(action)
    return len(chosen.keys() - current.keys()), len(current.keys() - chosen.keys())
