import pytest
from django.core.management import call_command

from checklists import demo
from checklists.models import Answer, Assignment


@pytest.mark.django_db
def test_seed_demo_gives_the_partner_schools_a_checklist_idempotently():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = Assignment.objects.filter(message=demo.MESSAGE).first().template_version.template
    assert Assignment.objects.filter(template_version__template=first).count() == 5
    # A second template: submitted at two schools, just given to a third.
    second = Assignment.objects.exclude(template_version__template=first)
    assert second.count() == 3
    assert {a.template_version.template.slug for a in second} == {demo.SECOND_SLUG}
    assert second.filter(status=Assignment.Status.SUBMITTED).count() == 2
    by_school = {
        a.school.name: a
        for a in Assignment.objects.filter(template_version__template=first)
        .select_related("school")
        .order_by("created_at")
    }
    assert len(by_school) == 4
    baken = by_school["Het Baken College"]
    assert baken.status == Assignment.Status.IN_PROGRESS and not baken.is_late
    assert Answer.objects.filter(assignment=baken).exists()
    statuses = {a.status for a in by_school.values()}
    assert Assignment.Status.SUBMITTED in statuses
    assert sum(a.is_late for a in by_school.values()) == 1


@pytest.mark.django_db
def test_seed_demo_has_a_review_with_remarks_and_an_earlier_round():
    from checklists.models import Remark
    from checklists.rollup import build_rollup

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    reviewed = Assignment.objects.filter(status=Assignment.Status.REVIEWED)
    assert reviewed.count() == 2  # one with remarks, and the earlier round
    assert Remark.objects.count() == 2
    template = reviewed.first().template_version.template
    result = build_rollup(template, Assignment.objects.filter(template_version__template=template))
    assert len(result.compared) == 1 and result.low_sections
    assert result.late and result.not_started
