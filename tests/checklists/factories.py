from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from checklists.loader import load_templates
from checklists.models import Assignment, ChecklistTemplate

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_SLUG = "voorbeeld-checklist"


def example_version():
    """The example template (every question type), published once."""
    load_templates(DATA)
    return ChecklistTemplate.objects.get(slug=EXAMPLE_SLUG).latest_version()


def assignment_for(school, region, *, version=None, status=Assignment.Status.ASSIGNED, **kwargs):
    kwargs.setdefault("due_date", timezone.localdate() + timedelta(days=14))
    return Assignment.objects.create(
        region=region,
        school=school,
        template_version=version or example_version(),
        status=status,
        **kwargs,
    )
