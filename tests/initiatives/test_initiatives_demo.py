import pytest

from initiatives import demo
from initiatives.models import Initiative, InitiativePartner, StatusChange
from initiatives.selectors import initiatives_for, pupil_figures
from learners import demo as learners_demo
from regions import demo as regions_demo
from toolkit import demo as toolkit_demo

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Initiative, InitiativePartner, StatusChange)]


def test_demo_has_four_initiatives_and_is_idempotent():
    context = regions_demo.seed()
    toolkit_demo.seed(context)
    learners_demo.seed(context)
    demo.seed(context)
    first = counts()
    demo.seed(context)
    assert counts() == first
    initiatives = list(Initiative.objects.all())
    assert len(initiatives) == 4
    assert len({i.status for i in initiatives}) == 4
    assert any(i.typed_below_minimum and i.status != "gestopt" for i in initiatives)
    assert any(i.modelled_on for i in initiatives)
    users = context["users"]
    # The school leader of Het Baken College sees the one his school is a partner of.
    mine = list(initiatives_for(users["schoolleider"]))
    assert [i.name for i in mine] == ["Taalklas op Het Baken"]
    for initiative in initiatives:
        changes = list(initiative.status_changes.order_by("changed_at"))
        assert changes[-1].to_status == initiative.status
        assert all(c.reason and c.changed_by == users["coordinator"] for c in changes)
    # The coordinator sees the Baken initiative counted from the demo pupils.
    figures = pupil_figures(users["coordinator"], mine[0])
    assert figures.uses_records and figures.now > 0
