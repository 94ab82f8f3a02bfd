"""Building agreements for the agreement tests."""

from initiatives.models import Agreement, AgreementParty
from initiatives.services import create_agreement


def make_agreement(region, user, *, text="Tekst één.", conditions="", **fields):
    fields.setdefault("title", "Afspraak")
    fields.setdefault("subject", Agreement.Subject.TLV)
    return create_agreement(
        agreement=Agreement(region=region, **fields), text=text, conditions=conditions, user=user
    )


def party(agreement, **kwargs):
    return AgreementParty.objects.create(agreement=agreement, **kwargs)
