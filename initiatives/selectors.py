"""Reading: what this user may see of initiatives, agreements and transition plans."""

# --- agreements ------------------------------------------------------------------------

from dataclasses import dataclass  # noqa: E402

from auditlog.models import LogEntry  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db.models import Max, Prefetch, Q  # noqa: E402
from django.http import Http404  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from regions.selectors import get_scope  # noqa: E402

from .models import Agreement, AgreementConsent, AgreementParty, AgreementVersion  # noqa: E402

PARTY_RELATED = ("school", "bestuur", "swv", "gemeente")


def agreements_for(user):
    """Agreements the user may read: all of a region they read (coordinator, begeleider,
    manager; the functional admin all), and for a school leader only those where his
    school is a party."""
    scope = get_scope(user)
    qs = Agreement.objects.select_related("region")
    if scope.sees_all_partners:
        return qs
    condition = Q(region_id__in=scope.readable_regions)
    if scope.leader_schools:
        condition |= Q(
            pk__in=AgreementParty.objects.filter(school_id__in=scope.leader_schools).values(
                "agreement_id"
            )
        )
    return qs.filter(condition)


def get_agreement_for_user(user, pk, *, write=False) -> Agreement:
    """One agreement the user may read (404 otherwise); with write=True one he may change:
    the region's coordinator (403 for who only reads)."""
    try:
        agreement = agreements_for(user).get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not get_scope(user).can_edit_region(agreement.region_id):
        raise PermissionDenied
    return agreement


def agreement_rows(queryset):
    """The list's rows: parties (with their partner) and the latest version number in
    a fixed number of queries, whatever the page size."""
    return queryset.annotate(latest_version=Max("versions__number")).prefetch_related(
        Prefetch("parties", AgreementParty.objects.select_related(*PARTY_RELATED))
    )


def filter_agreements(queryset, data, *, today=None):
    """The list filters (AgreementFilterForm.cleaned_data)."""
    if data.get("regio"):
        queryset = queryset.filter(region_id=data["regio"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("onderwerp"):
        queryset = queryset.filter(subject=data["onderwerp"])
    if data.get("aandacht"):
        queryset = queryset.filter(Agreement.attention_q(today or timezone.localdate()))
    return queryset


@dataclass(frozen=True)
class NeedsAttention:
    agreement: Agreement
    reasons: list  # Dutch phrases: "betwist", "loopt binnen 3 maanden af", ...

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def agreements_needing_attention(region, today=None) -> list:
    """The region's agreements that are disputed, end within 3 months (or passed their
    end date without being ended), or have been draft for more than 2 months (counted
    from the day the status became draft), each with its reasons; soonest end first."""
    today = today or timezone.localdate()
    agreements = (
        Agreement.objects.filter(region=region)
        .filter(Agreement.attention_q(today))
        .order_by("end", "pk")
    )
    return [NeedsAttention(a, a.attention_reasons(today)) for a in agreements]


def agreement_versions(agreement):
    """All versions, oldest first, with who recorded them and which parties agreed."""
    consents = AgreementConsent.objects.select_related(
        *(f"party__{name}" for name in PARTY_RELATED)
    ).order_by("agreed_on", "pk")
    return list(
        agreement.versions.select_related("recorded_by").prefetch_related(
            Prefetch("consents", consents)
        )
    )


def agreement_parties(agreement):
    return list(
        agreement.parties.select_related(*PARTY_RELATED).prefetch_related(
            Prefetch("consents", AgreementConsent.objects.select_related("version"))
        )
    )


@dataclass
class HistoryLine:
    """One line of templates/_history.html: (label, from, to) changes."""

    timestamp: object
    actor: str
    changes: list


def agreement_history(agreement, *, limit=15) -> list:
    """The audit trail of the agreement, its parties, versions and consents (also of a
    party since removed), newest first, as readable lines."""
    types = ContentType.objects.get_for_models(
        Agreement, AgreementParty, AgreementVersion, AgreementConsent
    )
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Agreement], object_id=agreement.pk)
            | Q(
                content_type__in=[
                    types[AgreementParty],
                    types[AgreementVersion],
                    types[AgreementConsent],
                ],
                additional_data__agreement=agreement.pk,
            )
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    fields = {f.name: f for f in Agreement._meta.concrete_fields}
    lines = []
    for entry in entries:
        model = entry.content_type.model_class()
        created = entry.action == LogEntry.Action.CREATE
        deleted = entry.action == LogEntry.Action.DELETE
        if model is Agreement:
            if created:
                changes = [(_("afspraak"), "–", entry.object_repr)]
            else:
                changes = [
                    (fields[name].verbose_name, *(_value(fields[name], v) for v in change))
                    for name, change in (entry.changes_dict or {}).items()
                    if name in fields and isinstance(change, list | tuple)
                ]
        elif model is AgreementVersion:
            changes = [(_("nieuwe versie"), "–", entry.object_repr)]
        elif model is AgreementConsent:
            changes = [(_("instemming"), "–", _("vastgelegd"))]
        else:
            changes = [
                (_("partij"), entry.object_repr, "–")
                if deleted
                else (_("partij"), "–" if created else entry.object_repr, entry.object_repr)
            ]
        changes = [c for c in changes if c[1] != c[2]]
        if not changes:
            continue
        actor = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else ""
        lines.append(HistoryLine(entry.timestamp, actor, changes))
    return lines


def _value(model_field, value):
    if value in (None, "None", ""):
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
