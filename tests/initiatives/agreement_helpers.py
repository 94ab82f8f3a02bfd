"""Building agreements for the agreement tests."""

from django.urls import reverse

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


def post_version(client, user, agreement, data):
    """Post the "new version" form of `agreement` as `user`."""
    client.force_login(user)
    return client.post(reverse("initiatives:agreement_version_create", args=[agreement.pk]), data)


def compare(client, user, agreement, query=""):
    """The answer of the page comparing two versions of `agreement` (`query`: "?van=1&naar=2"),
    as `user`."""
    client.force_login(user)
    return client.get(reverse("initiatives:agreement_compare", args=[agreement.pk]) + query)
