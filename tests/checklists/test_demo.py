import pytest
from django.core.management import call_command

from checklists.models import Answer, Assignment


@pytest.mark.django_db
def test_seed_demo_gives_the_partner_schools_a_checklist_idempotently():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    by_school = {a.school.name: a for a in Assignment.objects.select_related("school")}
    assert len(by_school) == 3
    baken = by_school["Het Baken College"]
    assert baken.status == Assignment.Status.IN_PROGRESS and not baken.is_late
    assert Answer.objects.filter(assignment=baken).exists()
    statuses = {a.status for a in by_school.values()}
    assert Assignment.Status.SUBMITTED in statuses
    assert sum(a.is_late for a in by_school.values()) == 1
