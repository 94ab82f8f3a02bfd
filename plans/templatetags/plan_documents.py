"""The plan's documents block, self-contained so the plan page needs one line for it."""

from django import template
from django.db.models import Q

from regions.selectors import get_scope

from ..documents import shared_documents_for
from ..models import DocumentStatus, PlanDocument

register = template.Library()


@register.inclusion_tag("plans/_documents.html", takes_context=True)
def plan_documents(context, region):
    request = context["request"]
    can_write = get_scope(request.user).can_edit_region(region.pk)
    documents = PlanDocument.objects.filter(region=region).defer("pdf", "snapshot")
    in_progress = []
    if can_write:
        # Exports and versions not ready yet, and failed ones (never silently lost).
        in_progress = list(
            documents.filter(
                Q(
                    status__in=[
                        DocumentStatus.QUEUED,
                        DocumentStatus.RENDERING,
                        DocumentStatus.FAILED,
                    ]
                )
            )[:5]
        )
    latest = (
        documents.filter(number__isnull=False, status=DocumentStatus.READY)
        .order_by("-number")
        .first()
    )
    return {
        "region": region,
        "can_write": can_write,
        "in_progress": in_progress,
        "latest": latest,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("plans/_shared_plans_block.html", takes_context=True)
def shared_plans_block(context):
    """On a school leader's home page: the plan versions shared with his school."""
    user = context["request"].user
    shown = bool(get_scope(user).leader_schools)
    return {"shown": shown, "documents": list(shared_documents_for(user)[:5]) if shown else []}
