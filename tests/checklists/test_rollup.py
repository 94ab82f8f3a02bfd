"""The roll-up: distributions, section scores and means against hand-computed values
(tests/checklists/rollup_data.py), the comparison across versions by key, the lists,
next steps as werkagenda actions, export, access and query counts."""

import csv
import io
from datetime import timedelta

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists.models import Answer, Assignment, TemplateVersion
from checklists.rollup import build_rollup
from tests.checklists import rollup_data
from tests.checklists.factories import EXAMPLE_SLUG, assignment_for, example_version
from tests.checklists.rollup_data import closed
from tests.factories import RegionFactory, school_in
from toolkit.models import RegionAction


def rollup_url(**query):
    url = reverse("checklists:rollup", args=[EXAMPLE_SLUG])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def of(region):
    version = example_version()
    return build_rollup(version.template, Assignment.objects.filter(region=region))


@pytest.mark.django_db
def test_distributions_scores_and_means_are_the_hand_computed_ones(region):
    rollup_data.build(region)
    result = of(region)
    visie, gebouw = result.sections
    scores = {row.school.name: row.scores for row in result.results}
    assert scores["School A"]["visie"] == pytest.approx(2 / 3)
    assert scores["School B"]["visie"] == 0
    assert scores["School C"]["visie"] == 1
    assert scores["School A"]["gebouw"] == 1 and scores["School B"]["gebouw"] == 0.5
    assert scores["School C"]["gebouw"] is None
    assert visie.mean == pytest.approx(5 / 9) and gebouw.mean == 0.75
    assert [(row.school.name, s) for row, s in visie.low_schools] == [("School B", 0)]
    assert visie.is_low and not gebouw.is_low
    counts = {d.question.key: {o.value: o.n for o in d.options} for d in visie.distributions}
    assert counts["visie-1"] == {"ja": 1, "deels": 0, "nee": 1, "nvt": 1}
    assert counts["team-1"] == {"1": 1, "2": 1, "3": 0, "4": 1}
    akoestiek = gebouw.distributions[0]
    assert {o.value: o.n for o in akoestiek.options} == {"1": 0, "2": 1, "3": 1}
    assert akoestiek.n_unanswered == 1  # School C
    # D (assigned, due yesterday) and E (in progress, its draft answer does not count).
    assert [r.school.name for r in result.not_started] == ["School D"]
    assert [r.school.name for r in result.late] == ["School D"]
    assert len(result.results) == 3
    assert [(s.kind, s.ref) for s in visie.suggestions] == [
        ("tip", "ken-de-definitie-van-inclusief-onderwijs"),
        ("maatregel", "1.R.1"),
    ]


@pytest.mark.django_db
def test_roll_up_page_shows_the_numbers(client, alice, region):
    rollup_data.build(region)
    client.force_login(alice)
    page = client.get(rollup_url()).content.decode()
    assert "56%" in page and "75%" in page and "67%" in page  # 5/9, 3/4, 2/3
    assert "School D" in page and "Maak werkagenda-actie" in page
    assert '<svg class="chart" role="img"' in page
    assert "Mw. Jansen" not in page  # no free text in the roll-up
    # Each question's chart says visibly which question it is about.
    chart = page.split('<h4 class="cl-chart-question">')[1].split("</h4>")[0]
    assert chart == "Heeft de school een visie op inclusief onderwijs?"


@pytest.mark.django_db
def test_comparison_across_versions_uses_only_the_keys_in_both(region):
    v1 = example_version()
    content = v1.content
    # Version 2 drops team-1 and adds team-2.
    sections = [dict(s, questions=list(s["questions"])) for s in content["sections"]]
    sections[0]["questions"] = [q for q in sections[0]["questions"] if q["key"] != "team-1"]
    sections[0]["questions"].append({"key": "team-2", "text": "Nieuw?", "type": "yes_partly_no"})
    v2 = TemplateVersion.objects.create(
        template=v1.template, number=2, content={**content, "sections": sections}
    )
    school = school_in(region)
    earlier = closed(
        school,
        region,
        {"visie-1": "nee", "team-1": "4"},
        status=Assignment.Status.REVIEWED,
        version=v1,
    )
    Assignment.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=365))
    closed(school, region, {"visie-1": "ja", "team-2": "nee"}, version=v2)
    (row,) = of(region).compared
    visie = row.comparison["visie"]
    # Only visie-1 is in both: before nee (0), now ja (1). Counting every question
    # would give 0.5 on both sides.
    assert (visie.before, visie.now) == (0, 1)
    assert row.scores["visie"] == 0.5  # the school's own score: ja and nee in v2


@pytest.mark.django_db
def test_filters_by_region_and_swv(client, bob, alice, region):
    rollup_data.build(region)
    other = RegionFactory(institution=region.institution)
    closed(school_in(other), other, {"visie-1": "ja"})
    client.force_login(bob)  # manager of the institution: both regions
    assert len(client.get(rollup_url()).context["rollup"].results) == 4
    assert len(client.get(rollup_url(regio=region.pk)).context["rollup"].results) == 3
    swv = other.swvs.first()
    assert len(client.get(rollup_url(swv=swv.pk)).context["rollup"].results) == 1
    client.force_login(alice)
    assert client.get(rollup_url(regio=other.pk)).status_code == 404
    assert client.get(rollup_url(swv=swv.pk)).status_code == 404
    assert client.get(rollup_url(regio="x")).status_code == 404


@pytest.mark.django_db
def test_access_per_role(client, alice, bob, charlie, leader, region, school):
    closed(school, region, {"visie-1": "ja"})
    for user, status in ((alice, 200), (bob, 200), (leader, 404)):
        client.force_login(user)
        assert client.get(rollup_url()).status_code == status
    client.force_login(charlie)  # his own region has nothing of this one
    response = client.get(rollup_url())
    assert response.status_code == 200 and not response.context["rollup"].rows
    from tests.learners.factories import PupilFactory, assign, begeleider_of

    begeleider = begeleider_of(region)
    assign(PupilFactory(region=region, current_school=school), begeleider)
    client.force_login(begeleider)
    assert client.get(rollup_url()).status_code == 404
    # Manager reads, but neither exports nor makes actions.
    client.force_login(bob)
    page = client.get(rollup_url()).content.decode()
    assert "Exporteren" not in page and "Maak werkagenda-actie" not in page
    assert client.get(reverse("checklists:rollup_export", args=[EXAMPLE_SLUG])).status_code == 403


def _post_next_step(client, assignment, **data):
    return client.post(reverse("checklists:next_step", args=[assignment.pk]), data)


@pytest.mark.django_db
def test_next_step_from_the_school_page_makes_one_action_linked_to_the_school(
    client, alice, bob, charlie, region
):
    _version, schools, made = rollup_data.build(region)
    b = made["B"]
    client.force_login(alice)
    page = client.get(reverse("checklists:assignment_detail", args=[b.pk])).content.decode()
    assert "Volgende stappen" in page and "1.R.1" in page
    step = {"sectie": "visie", "soort": "maatregel", "ref": "1.R.1"}
    for user in (bob, charlie):  # the manager reads roll-ups only: no single checklist
        client.force_login(user)
        assert _post_next_step(client, b, **step).status_code == 404
    assert not RegionAction.objects.exists()
    client.force_login(alice)
    response = _post_next_step(client, b, **step)
    action = RegionAction.objects.get()
    assert response["Location"] == reverse(
        "toolkit:action_edit", kwargs={"region_pk": region.pk, "pk": action.pk}
    )
    assert action.region == region and action.measure.code == "1.R.1"
    assert action.line == action.measure.line and action.title == action.measure.title
    assert list(action.schools.all()) == [schools["B"]]
    # A tip: its first werkagenda line, its title.
    _post_next_step(
        client, b, sectie="visie", soort="tip", ref="ken-de-definitie-van-inclusief-onderwijs"
    )
    tip_action = RegionAction.objects.latest("pk")
    assert tip_action.line.number == 6 and tip_action.measure is None
    assert tip_action.title.startswith("Ken de definitie")
    # Not a suggestion of a low section (A scores 2/3 on visie), or a made-up one: refused.
    assert _post_next_step(client, made["A"], **step).status_code == 302
    _post_next_step(client, b, sectie="visie", soort="maatregel", ref="9.X.9")
    _post_next_step(client, b, sectie="gebouw", soort="maatregel", ref="1.R.1")
    assert RegionAction.objects.count() == 2


@pytest.mark.django_db
def test_next_step_from_the_roll_up_links_the_low_schools(client, alice, bob, charlie, region):
    _version, schools, _made = rollup_data.build(region)
    url = reverse("checklists:rollup_next_step", args=[region.pk, EXAMPLE_SLUG])
    step = {"sectie": "visie", "soort": "maatregel", "ref": "1.R.1"}
    client.force_login(bob)
    assert client.post(url, step).status_code == 403
    client.force_login(charlie)
    assert client.post(url, step).status_code == 404
    client.force_login(alice)
    response = client.post(url, step)
    action = RegionAction.objects.get()
    assert response.status_code == 302 and str(action.pk) in response["Location"]
    assert list(action.schools.all()) == [schools["B"]]
    assert client.post(url, {**step, "sectie": "gebouw"}).status_code == 302
    assert RegionAction.objects.count() == 1


@pytest.mark.django_db
def test_export_csv_and_xlsx(client, alice, region):
    rollup_data.build(region)
    client.force_login(alice)
    base = reverse("checklists:rollup_export", args=[EXAMPLE_SLUG])
    response = client.get(base + "?formaat=csv")
    assert response.status_code == 200
    assert f"checklist-overzicht-{EXAMPLE_SLUG}-" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_school = {r["School"]: r for r in rows}
    assert set(by_school) == {f"School {n}" for n in "ABCDE"}
    a, b = by_school["School A"], by_school["School B"]
    visie = "Score Visie en leiderschap (%)"
    assert a[visie] == "67" and b[visie] == "0"
    assert a["Score Klas en gebouw (%)"] == "100" and b["Score Klas en gebouw (%)"] == "50"
    assert a["visie-1: Heeft de school een visie op inclusief onderwijs?"] == "ja"
    assert a["team-1: Hoe staat het team tegenover leerlingen met TOS of D/SH?"] == "een beetje"
    assert by_school["School D"]["Te laat"] == "ja"
    assert by_school["School D"]["Score Visie en leiderschap (%)"] == ""
    header = ";".join(rows[0])
    assert "ib-naam" not in header and "plan" not in header.split(";")  # no free text
    assert "Mw. Jansen" not in response.content.decode("utf-8-sig")

    xlsx = client.get(base + "?formaat=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    data = tablib.Dataset().load(io.BytesIO(xlsx.content), format="xlsx")
    import openpyxl

    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Checklistoverzicht"]
    assert data.headers == list(rows[0].keys())
    row_a = dict(zip(data.headers, data[[r[2] for r in data].index("School A")], strict=True))
    assert str(row_a["Score Visie en leiderschap (%)"]) == "67"
    assert client.get(base + "?formaat=pdf").status_code == 400


def _world(region, n):
    version = example_version()
    while Assignment.objects.filter(region=region).count() < n:
        school = school_in(region)
        assignment = assignment_for(
            school, region, version=version, status=Assignment.Status.SUBMITTED
        )
        Answer.objects.bulk_create(
            [
                Answer(assignment=assignment, question_key="visie-1", value="nee"),
                Answer(assignment=assignment, question_key="team-1", value="2"),
            ]
        )
        earlier = assignment_for(school, region, version=version, status=Assignment.Status.REVIEWED)
        Assignment.objects.filter(pk=earlier.pk).update(
            created_at=timezone.now() - timedelta(days=300)
        )
        Answer.objects.create(assignment=earlier, question_key="visie-1", value="ja")


ROLLUP_QUERY_BOUND = 20


@pytest.mark.django_db
def test_roll_up_queries_do_not_grow_with_schools(
    client, alice, region, django_assert_max_num_queries
):
    client.force_login(alice)
    counts = []
    for n in (10, 400):  # two assignments per school: 5 and 200 schools
        _world(region, n)
        with django_assert_max_num_queries(ROLLUP_QUERY_BOUND):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(rollup_url())
        assert len(response.context["rollup"].results) == n // 2
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_second_click_makes_no_second_action_and_links_the_first(client, alice, region):
    _version, _schools, made = rollup_data.build(region)
    client.force_login(alice)
    step = {"sectie": "visie", "soort": "maatregel", "ref": "1.R.1"}
    _post_next_step(client, made["B"], **step)
    action = RegionAction.objects.get()
    again = _post_next_step(client, made["B"], **step)
    assert again["Location"] == reverse("checklists:assignment_detail", args=[made["B"].pk])
    page = client.get(again["Location"]).content.decode()
    edit = reverse("toolkit:action_edit", kwargs={"region_pk": region.pk, "pk": action.pk})
    assert "er is geen tweede gemaakt" in page and f'<a href="{edit}">' in page
    # The roll-up's button for the same schools finds it too.
    url = reverse("checklists:rollup_next_step", args=[region.pk, EXAMPLE_SLUG])
    assert "er is geen tweede gemaakt" in client.post(url, step, follow=True).content.decode()
    assert RegionAction.objects.count() == 1
    # Another suggestion is another action.
    _post_next_step(
        client,
        made["B"],
        sectie="visie",
        soort="tip",
        ref="ken-de-definitie-van-inclusief-onderwijs",
    )
    assert RegionAction.objects.count() == 2
