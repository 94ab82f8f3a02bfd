"""PLACEHOLDER, replaced by the content helper's version: the section texts only, so
exports and versions can be built and tested before the real gathering lands.

build_snapshot(region) follows /work/plan-schema.md (the contract)."""

from django.utils import timezone

from .models import PlanSection, PlanText


def build_snapshot(region, *, today=None):
    today = today or timezone.localdate()
    texts = {t.section: t for t in PlanText.objects.filter(region=region)}
    sections = []
    for number, (key, label) in enumerate(PlanSection.choices, start=1):
        text = texts.get(key)
        sections.append(
            {
                "key": key,
                "number": number,
                "title": str(label),
                "intro": text.intro if text else "",
                "conclusion": text.conclusion if text else "",
            }
        )
    return {
        "schema": 1,
        "region": {"pk": region.pk, "name": region.name, "institution": str(region.institution)},
        "date": today.isoformat(),
        "sections": sections,
    }
