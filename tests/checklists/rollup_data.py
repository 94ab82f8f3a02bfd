"""A small roll-up world with hand-computed scores (example template, tests/checklists/data).

visie: visie-1 (ja/deels/nee/nvt) and team-1 (scale of 4); gebouw: akoestiek (scale of 3).
  A: visie-1 ja (1), team-1 step 2 (1/3)  -> visie 2/3;  akoestiek 3 (1)   -> gebouw 1
  B: visie-1 nee (0), team-1 step 1 (0)   -> visie 0;    akoestiek 2 (1/2) -> gebouw 1/2
  C: visie-1 nvt (-), team-1 step 4 (1)   -> visie 1;    no akoestiek      -> gebouw None
  means: visie (2/3 + 0 + 1) / 3 = 5/9; gebouw (1 + 1/2) / 2 = 3/4. B is low on visie.
  D: assigned, not started, due yesterday (late); E: in progress, not late.
"""

from datetime import timedelta

from django.utils import timezone

from checklists.models import Answer, Assignment
from tests.checklists.factories import assignment_for, example_version
from tests.factories import school_in

ANSWERS = {
    "A": {"visie-1": "ja", "team-1": "2", "akoestiek": "3", "ib-naam": "Mw. Jansen"},
    "B": {"visie-1": "nee", "team-1": "1", "akoestiek": "2"},
    "C": {"visie-1": "nvt", "team-1": "4"},
}


def closed(school, region, answers, *, version=None, status=Assignment.Status.SUBMITTED, **kw):
    assignment = assignment_for(
        school, region, version=version, status=status, submitted_at=timezone.now(), **kw
    )
    Answer.objects.bulk_create(
        Answer(assignment=assignment, question_key=k, value=v, version=1)
        for k, v in answers.items()
    )
    return assignment


def build(region):
    version = example_version()
    schools = {name: school_in(region, name=f"School {name}") for name in "ABCDE"}
    made = {name: closed(schools[name], region, ANSWERS[name], version=version) for name in "ABC"}
    made["D"] = assignment_for(
        schools["D"], region, version=version, due_date=timezone.localdate() - timedelta(days=1)
    )
    made["E"] = assignment_for(
        schools["E"], region, version=version, status=Assignment.Status.IN_PROGRESS
    )
    Answer.objects.create(assignment=made["E"], question_key="visie-1", value="nee")
    return version, schools, made
