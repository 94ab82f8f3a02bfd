import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from regions.selectors import recent_changes
from tests.factories import coordinator_of, user_with_role
from tests.toolkit.factories import (
    RegionActionFactory,
    RegionItemProgressFactory,
    RegionMeasureFactory,
    item,
    measure,
)
from toolkit.models import (
    ActionStatus,
    ProgressStatus,
    RegionAction,
    RegionItemProgress,
    RegionMeasure,
    WerkagendaLine,
)

pytestmark = pytest.mark.django_db

SLUG = "betrek-ouders-als-volwaardige-partners"


def page_urls(region):
    return [
        reverse("toolkit:toolkit", args=[region.pk]),
        reverse("toolkit:werkagenda", args=[region.pk]),
        reverse("toolkit:dashboard", args=[region.pk]),
        reverse("toolkit:item_progress", args=[region.pk, SLUG]),
    ]


def write_requests(region, action):
    """Every write endpoint with a valid body."""
    i = item(SLUG)
    m = measure("1.R.1")
    return [
        (
            reverse("toolkit:item_progress", args=[region.pk, SLUG]),
            {f"item-{i.pk}-status": "done", f"item-{i.pk}-version": "0"},
        ),
        (
            reverse("toolkit:measure_decision", args=[region.pk, "1.R.1"]),
            {f"m-{m.pk}-decision": "adopted", f"m-{m.pk}-version": "0"},
        ),
        (
            reverse("toolkit:action_create", args=[region.pk]),
            {"line": action.line_id, "title": "Nieuw", "status": "planned", "version": "0"},
        ),
        (
            reverse("toolkit:action_edit", args=[region.pk, action.pk]),
            {"line": action.line_id, "title": "Anders", "status": "planned", "version": "0"},
        ),
        (
            reverse("toolkit:action_status", args=[region.pk, action.pk]),
            {"done": "1", "version": "0"},
        ),
    ]


def progress_post(i, **values):
    data = {"status": "not_started", "owner": "", "due_date": "", "note": "", "version": "0"}
    data.update(values)
    return {f"item-{i.pk}-{key}": value for key, value in data.items()}


# --- access ----------------------------------------------------------------------


def test_coordinator_and_reader_see_the_pages(client, region, alice, bob):
    action = RegionActionFactory(region=region, title="Scholingsdag")
    for user, editable in ((alice, True), (bob, False)):
        client.force_login(user)
        for url in page_urls(region):
            response = client.get(url)
            assert response.status_code == 200, url
        toolkit = client.get(page_urls(region)[0]).content.decode()
        assert "Betrek ouders als volwaardige partners" in toolkit
        # The compact table: edit links for editors only, the form opens in the row.
        assert ('class="tk-edit"' in toolkit) is editable
        opened = client.get(page_urls(region)[3], headers={"HX-Request": "true"})
        assert ('name="item-' in opened.content.decode()) is editable
        opened_line = {"toon": "alle", "lijn": action.line.number}
        werkagenda = client.get(page_urls(region)[1], opened_line).content.decode()
        assert "Scholingsdag" in werkagenda
        assert ('class="tk-edit"' in werkagenda) is editable
        measure_url = reverse("toolkit:measure_decision", args=[region.pk, "1.R.1"])
        opened = client.get(measure_url, headers={"HX-Request": "true"}).content.decode()
        assert ("Besluit opslaan" in opened) is editable
        # Actions show closed, without forms; the buttons come with the opened row.
        assert "Afronden" not in werkagenda
        action_url = reverse("toolkit:action_detail", args=[region.pk, action.pk])
        opened = client.get(action_url, headers={"HX-Request": "true"}).content.decode()
        assert ("Afronden" in opened) is editable


def test_begeleider_reads_only(client, region):
    begeleider = user_with_role("begeleider", region=region)
    client.force_login(begeleider)
    assert client.get(page_urls(region)[0]).status_code == 200
    action = RegionActionFactory(region=region)
    for url, data in write_requests(region, action):
        assert client.post(url, data).status_code == 403, url


def test_reader_gets_403_on_every_write(client, region, bob):
    action = RegionActionFactory(region=region)
    client.force_login(bob)
    for url, data in write_requests(region, action):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("toolkit:action_create", args=[region.pk])).status_code == 403
    assert not RegionItemProgress.objects.exists()
    assert not RegionMeasure.objects.exists()
    assert RegionAction.objects.get().status == ActionStatus.PLANNED


@pytest.mark.parametrize("who", ["charlie", "leader"])
def test_outsiders_and_school_leader_get_404(client, region, charlie, leader, who):
    user = {"charlie": charlie, "leader": leader}[who]
    action = RegionActionFactory(region=region)
    client.force_login(user)
    for url in page_urls(region):
        assert client.get(url).status_code == 404, url
    for url, data in write_requests(region, action):
        assert client.post(url, data).status_code == 404, url


def test_action_of_another_region_is_404(client, region, other_region, alice):
    foreign = RegionActionFactory(region=other_region)
    client.force_login(alice)
    url = reverse("toolkit:action_edit", args=[region.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, region):
    response = client.get(reverse("toolkit:toolkit", args=[region.pk]))
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


# --- toolkit progress ------------------------------------------------------------------


def test_inline_change_persists_and_is_audited(client, region, alice):
    i = item(SLUG)
    client.force_login(alice)
    url = reverse("toolkit:item_progress", args=[region.pk, SLUG])
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url,
        progress_post(
            i, status="in_progress", owner=str(alice.pk), due_date=due.isoformat(), note="Start"
        ),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="item-betrek-ouders-als-volwaardige-partners"' in html
    assert "<html" not in html  # only the row partial
    assert "Opgeslagen." in html
    progress = RegionItemProgress.objects.get(region=region, item=i)
    assert (progress.status, progress.owner, progress.due_date, progress.note) == (
        "in_progress",
        alice,
        due,
        "Start",
    )
    assert progress.version == 1

    # second change: from "bezig" to "klaar"
    client.post(url, progress_post(i, status="done", owner=str(alice.pk), version="1"))
    progress.refresh_from_db()
    assert progress.status == ProgressStatus.DONE
    entries = LogEntry.objects.get_for_object(progress).order_by("timestamp")
    assert entries.count() == 2
    last = entries.last()
    assert last.actor == alice
    assert last.changes_dict["status"] == ["in_progress", "done"]
    assert last.additional_data == {"region": region.pk}
    # visible on the item as a short history, and in the region's recent changes
    # (the history shows when the row is opened, and on the item's own page)
    page = client.get(url).content.decode()
    assert "Status bezig → klaar" in page
    assert last in recent_changes(alice, region=region, days=30)


def test_plain_form_fallback_redirects_back(client, region, alice):
    i = item(SLUG)
    client.force_login(alice)
    response = client.post(
        reverse("toolkit:item_progress", args=[region.pk, SLUG]),
        progress_post(i, status="done"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/regios/{region.pk}/toolkit/#item-{SLUG}")
    assert RegionItemProgress.objects.get(region=region, item=i).status == "done"


def test_owner_must_have_a_role_in_the_region(client, region, alice, charlie):
    i = item(SLUG)
    client.force_login(alice)
    response = client.post(
        reverse("toolkit:item_progress", args=[region.pk, SLUG]),
        progress_post(i, status="done", owner=str(charlie.pk)),
    )
    assert response.status_code == 400
    assert not RegionItemProgress.objects.exists()


def test_concurrent_edit_is_refused_with_current_values(client, region, alice):
    i = item(SLUG)
    other = coordinator_of(region)
    progress = RegionItemProgressFactory(region=region, item=i)
    # both coordinators loaded version 0; the other one saves first
    client.force_login(other)
    url = reverse("toolkit:item_progress", args=[region.pk, SLUG])
    client.post(url, progress_post(i, status="done", note="Door de ander afgerond"))
    client.force_login(alice)
    response = client.post(
        url,
        progress_post(i, status="in_progress", note="Mijn versie"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert 'role="alert"' in html
    assert "Door de ander afgerond" in html  # the current values are shown
    assert "Mijn versie</textarea>" in html  # and what alice typed is kept
    assert 'value="1"' in html  # the form now carries the current version
    progress.refresh_from_db()
    assert (progress.status, progress.note, progress.version) == (
        "done",
        "Door de ander afgerond",
        1,
    )
    # the plain form answers 409 with the same message
    response = client.post(url, progress_post(i, status="in_progress"))
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()


def overdue_progress(region, owner, *, days):
    """SLUG in progress for `owner`, its due date `days` ago."""
    due = timezone.localdate() - datetime.timedelta(days=days)
    RegionItemProgressFactory(
        region=region, item=item(SLUG), status="in_progress", owner=owner, due_date=due
    )


def test_filters(client, region, alice):
    client.force_login(alice)
    overdue_progress(region, alice, days=3)
    RegionItemProgressFactory(region=region, item=item("film-tips"), status="done")
    url = reverse("toolkit:toolkit", args=[region.pk])

    def titles(**params):
        response = client.get(url, params, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()

    html = titles(status="in_progress")
    assert "Betrek ouders" in html and "Film tips" not in html
    html = titles(overdue="on")
    assert "1 van 38 items" in html
    html = titles(owner=alice.pk)
    assert "Betrek ouders" in html and "Film tips" not in html
    html = titles(status="not_started")
    assert "36 van 38 items" in html
    html = titles(chapter=2)
    assert "7 van 38 items" in html
    html = titles(kind="inspiration", line=5)
    assert "Film tips" in html and "Betrek ouders" not in html


# --- werkagenda ----------------------------------------------------------------------------


def decision_post(m, **values):
    data = {"decision": "adopted", "reason": "", "version": "0"}
    data.update(values)
    return {f"m-{m.pk}-{key}": value for key, value in data.items()}


def test_adopt_and_not_relevant_needs_a_reason(client, region, alice):
    m = measure("3.R.1")
    client.force_login(alice)
    url = reverse("toolkit:measure_decision", args=[region.pk, m.code])
    response = client.post(url, decision_post(m, decision="not_relevant"))
    assert response.status_code == 400
    assert "Geef een reden" in response.content.decode()
    assert not RegionMeasure.objects.exists()
    response = client.post(url, decision_post(m), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert RegionMeasure.objects.get(region=region, measure=m).decision == "adopted"
    client.post(url, decision_post(m, decision="not_relevant", reason="Geregeld", version="1"))
    decision = RegionMeasure.objects.get(region=region, measure=m)
    assert (decision.decision, decision.reason, decision.version) == ("not_relevant", "Geregeld", 2)
    page = client.get(url).content.decode()  # the measure opened: its short history
    assert "Besluit overgenomen → niet relevant" in page
    # national measures are not decided per region
    national = measure("1.L.1")
    url = reverse("toolkit:measure_decision", args=[region.pk, national.code])
    assert client.post(url, decision_post(national)).status_code == 404


def test_add_edit_complete_and_reopen_an_action(client, region, alice, school):
    client.force_login(alice)
    m = measure("1.R.2")
    swv = region.swvs.first()
    response = client.post(
        reverse("toolkit:action_create", args=[region.pk]),
        {
            "line": m.line_id,
            "measure": m.pk,
            "title": "Expertisepool",
            "goal": "Snel een AD'er",
            "actors": "SWV",
            "owner": alice.pk,
            "deadline": "2030-01-01",
            "status": "planned",
            "schools": [school.pk],
            "swvs": [swv.pk],
            "version": "0",
        },
    )
    assert response.status_code == 302
    action = RegionAction.objects.get(region=region)
    assert list(action.schools.all()) == [school]
    assert list(action.swvs.all()) == [swv]
    edit = reverse("toolkit:action_edit", args=[region.pk, action.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "line": m.line_id,
            "measure": m.pk,
            "title": "Expertisepool regio",
            "status": "in_progress",
            "evidence_url": "https://example.org/verslag",
            "version": "0",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Expertisepool regio", "in_progress")
    assert action.version == 1
    status_url = reverse("toolkit:action_status", args=[region.pk, action.pk])
    client.post(status_url, {"done": "1", "version": "1"})
    action.refresh_from_db()
    assert action.status == "done"
    client.post(status_url, {"done": "0", "version": "2"})
    action.refresh_from_db()
    assert action.status in {"in_progress", "planned"}
    statuses = [
        e.changes_dict.get("status")
        for e in LogEntry.objects.get_for_object(action).order_by("timestamp")
        if "status" in e.changes_dict
    ]
    assert statuses[-2:] == [["in_progress", "done"], ["done", action.status]]


def test_measure_of_another_line_is_refused(client, region, alice):
    client.force_login(alice)
    response = client.post(
        reverse("toolkit:action_create", args=[region.pk]),
        {
            "line": measure("3.R.1").line_id,
            "measure": measure("1.R.2").pk,
            "title": "Verkeerd",
            "status": "planned",
            "version": "0",
        },
    )
    assert response.status_code == 400
    assert not RegionAction.objects.exists()


def test_concurrent_action_edit_is_refused(client, region, alice):
    action = RegionActionFactory(region=region, title="Origineel", version=3)
    client.force_login(alice)
    response = client.post(
        reverse("toolkit:action_edit", args=[region.pk, action.pk]),
        {"line": action.line_id, "title": "Overschreven", "status": "planned", "version": "2"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert 'value="Origineel"' in html
    action.refresh_from_db()
    assert action.title == "Origineel"
    response = client.post(
        reverse("toolkit:action_status", args=[region.pk, action.pk]),
        {"done": "1", "version": "2"},
        follow=True,
    )
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


# --- dashboard ------------------------------------------------------------------------------


def test_dashboard_progress_overdue_and_changes(client, region, alice):
    client.force_login(alice)
    today = timezone.localdate()
    RegionMeasureFactory(region=region, measure=measure("1.R.1"))
    RegionMeasureFactory(region=region, measure=measure("1.R.2"))
    RegionActionFactory(region=region, measure=measure("1.R.1"), status="done")
    RegionActionFactory(
        region=region,
        measure=measure("1.R.2"),
        title="Te late actie",
        owner=alice,
        deadline=today - datetime.timedelta(days=2),
    )
    overdue_progress(region, alice, days=1)
    html = client.get(reverse("toolkit:dashboard", args=[region.pk])).content.decode()
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "1 van 2 overgenomen maatregelen met een afgeronde actie" in html
    assert "50%" in html
    assert "Te late actie" in html
    assert "Betrek ouders als volwaardige partners" in html
    assert "niet gestart (37)" in html
    assert "Wijzigingen in de laatste 30 dagen" in html


def test_concurrent_decision_is_refused_with_the_current_decision(client, region, alice):
    m = measure("4.R.1")
    RegionMeasureFactory(
        region=region, measure=m, decision="not_relevant", reason="Al geregeld", version=1
    )
    client.force_login(alice)
    response = client.post(
        reverse("toolkit:measure_decision", args=[region.pk, m.code]),
        decision_post(m, decision="adopted", version="0"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Huidig besluit: niet relevant (Al geregeld)" in html
    assert RegionMeasure.objects.get(region=region, measure=m).decision == "not_relevant"


# --- compact pages (issue 8) ---------------------------------------------------------------


def test_toolkit_shows_what_needs_action_by_default(client, region, alice):
    client.force_login(alice)
    today = timezone.localdate()
    RegionItemProgressFactory(region=region, item=item("film-tips"), status="done")
    RegionItemProgressFactory(
        region=region, item=item(SLUG), status="in_progress", due_date=today.replace(year=2000)
    )
    url = reverse("toolkit:toolkit", args=[region.pk])
    html = client.get(url).content.decode()
    assert "37 van 38 items" in html
    assert 'id="item-film-tips"' not in html
    assert 'id="item-betrek-ouders-als-volwaardige-partners" class="tk-row--overdue"' in html
    assert "<form" not in html.split('id="results"')[1].split("</table>")[0]  # rows, no forms
    html = client.get(url, {"status": ""}).content.decode()  # "Alle items tonen"
    assert "38 van 38 items" in html and 'id="item-film-tips"' in html


def test_row_opens_in_place_and_closes_after_saving(client, region, alice):
    i = item(SLUG)
    client.force_login(alice)
    url = reverse("toolkit:item_progress", args=[region.pk, SLUG])
    opened = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert opened.lstrip().startswith(f'<tr id="item-{SLUG}" class="tk-edit-row">')
    assert f'hx-post="{url}"' in opened and "data-focus" in opened
    saved = client.post(url, progress_post(i, status="done"), headers={"HX-Request": "true"})
    html = saved.content.decode()
    assert html.lstrip().startswith(f'<tr id="item-{SLUG}">')
    assert "<form" not in html  # closed again
    assert 'class="tk-edit"' in html and "data-focus" in html  # focus back on the row
    # the message for the page's status region, out of band
    assert '<div id="live-status" hx-swap-oob="innerHTML">Opgeslagen. ' in html
    assert "klaar.</div>" in html
    closed = client.get(reverse("toolkit:item_row", args=[region.pk, SLUG]))
    assert "<form" not in closed.content.decode() and "data-focus" in closed.content.decode()


def test_werkagenda_shows_undecided_measures_by_default(client, region, alice):
    client.force_login(alice)
    RegionMeasureFactory(region=region, measure=measure("1.R.1"), decision="adopted")
    url = reverse("toolkit:werkagenda", args=[region.pk])
    html = client.get(url).content.decode()
    assert 'id="maatregel-1r1"' not in html and 'id="maatregel-1r2"' in html
    assert "<form" not in html.split("Regionale maatregelen")[1].split("Acties van")[0]
    assert 'id="maatregel-1r1"' in client.get(url, {"toon": "alle"}).content.decode()
    opened = client.get(
        reverse("toolkit:measure_decision", args=[region.pk, "1.R.2"]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert " ".join(opened.split()).startswith('<tr id="maatregel-1r2" class="tk-edit-row">')
    m = measure("1.R.2")
    saved = client.post(
        reverse("toolkit:measure_decision", args=[region.pk, "1.R.2"]),
        decision_post(m),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<form" not in saved and "data-focus" in saved
    assert 'hx-swap-oob="innerHTML">Besluit over 1.R.2 opgeslagen: overgenomen.' in saved


def test_new_action_lands_on_the_action_with_its_message(client, region, alice):
    client.force_login(alice)
    line = measure("2.R.1").line
    response = client.post(
        reverse("toolkit:action_create", args=[region.pk]),
        {"line": line.pk, "title": "Nieuwe pool", "status": "planned", "version": "0"},
    )
    action = RegionAction.objects.get(region=region)
    assert response["Location"].endswith(f"?nieuw={action.pk}#actie-{action.pk}")
    html = client.get(response["Location"]).content.decode()
    row = html.split(f'id="actie-{action.pk}"')[1].split("</tr>")[0]
    assert "Actie toegevoegd." in row and "Nieuwe pool" in row


def test_chart_labels_keep_their_size_and_wrap(client, region, alice):
    client.force_login(alice)
    html = client.get(reverse("toolkit:dashboard", args=[region.pk])).content.decode()
    charts = html.split('<svg class="chart"')[1:]
    assert len(charts) == 2
    for chart in charts:
        svg = chart.split("</svg>")[0]
        assert "viewBox" not in svg  # text would shrink with the drawing
        sizes = [int(part.split('"')[0]) for part in svg.split('font-size="')[1:]]
        assert sizes and min(sizes) >= 12
    # a long line title is wrapped over several lines, not cut off with "…"
    assert "…" not in charts[0].split("</svg>")[0]
    assert charts[0].split("</svg>")[0].count("<tspan") > len(WerkagendaLine.objects.all())


def test_action_point_fields_are_saved_and_folded_in_the_form(client, region, alice):
    """The worked-out action point (school year plan): saved with the action, in a
    <details> that opens once something is filled in; too long a text is refused."""
    client.force_login(alice)
    action = RegionActionFactory(region=region)
    edit = reverse("toolkit:action_edit", args=[region.pk, action.pk])
    page = client.get(edit).content.decode()
    assert "Uitwerking als actiepunt" in page
    assert '<details class="tk-details">' in page  # closed while empty
    post = {
        "line": action.line_id,
        "measure": action.measure_id,
        "title": action.title,
        "status": "planned",
        "version": "0",
        "current_situation": "Wachtlijst bij de AD",
        "activities": "- scholing\n- intervisie",
        "consequences_organisation": "Twee dagdelen",
        "consequences_training": "Geen",
        "costs": "€ 2.500",
        "measurable_result": "Binnen 6 weken een AD'er",
        "evaluation": "Juni 2026, regio-overleg",
        "safeguarding": "Kwaliteitskaart",
    }
    assert client.post(edit, post).status_code == 302
    action.refresh_from_db()
    assert action.measurable_result == "Binnen 6 weken een AD'er"
    assert action.safeguarding == "Kwaliteitskaart"
    assert '<details class="tk-details" open>' in client.get(edit).content.decode()
    too_long = {**post, "version": "1", "evaluation": "x" * 301}
    assert client.post(edit, too_long).status_code == 400
    action.refresh_from_db()
    assert action.evaluation == "Juni 2026, regio-overleg"


def test_werkagenda_action_opens_in_place_with_its_history(client, region, alice, bob):
    """The page holds no form or history per action (a large region has 180 of them): a
    row opens in place (htmx) or on a page of its own, with its status history and, for
    editors, its buttons; "Sluiten" answers the closed row."""
    action = RegionActionFactory(region=region, title="Scholingsdag", status="planned")
    client.force_login(alice)
    status_url = reverse("toolkit:action_status", args=[region.pk, action.pk])
    client.post(status_url, {"done": "1", "version": str(action.version)})
    page = client.get(reverse("toolkit:werkagenda", args=[region.pk])).content.decode()
    assert "Scholingsdag" in page
    assert status_url not in page  # no form per action
    assert "→ afgerond" not in page
    detail = reverse("toolkit:action_detail", args=[region.pk, action.pk])
    opened = client.get(detail, headers={"HX-Request": "true"})
    assert opened.status_code == 200
    html = opened.content.decode()
    assert html.lstrip().startswith(f'<tr id="actie-{action.pk}"')
    assert "→ afgerond" in html and "Heropenen" in html and "data-focus" in html
    alone = client.get(detail).content.decode()  # without htmx: a page of its own
    assert "<html" in alone and "→ afgerond" in alone and "Heropenen" in alone
    # "Terug naar de werkagenda" lands on the action, its line open.
    assert f"?lijn={action.line.number}#actie-{action.pk}" in alone
    row = reverse("toolkit:action_row", args=[region.pk, action.pk])
    closed = client.get(row, headers={"HX-Request": "true"})
    assert closed.content.decode().lstrip().startswith(f'<tr id="actie-{action.pk}"')
    assert "Heropenen" not in closed.content.decode()
    # Without htmx (the link opened in a new tab): the page with the action's line open.
    whole = client.get(row).content.decode()
    assert "<html" in whole and f'id="actie-{action.pk}"' in whole
    client.force_login(bob)  # reads only: the details, no buttons
    html = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "→ afgerond" in html and "Heropenen" not in html


def test_werkagenda_folds_the_actions_per_line(client, region, alice):
    """Each line shows its actions' counts (overdue on its heading) and the actions only
    when opened: in place with htmx, or the page with `?lijn=<n>`; "Sluiten" folds the
    line again, focus back on the button that opened it."""
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    line = measure("2.R.1").line
    RegionActionFactory(region=region, line=line, title="Te laat", deadline=today - day)
    RegionActionFactory(region=region, line=line, title="Klaar", status="done")
    RegionActionFactory(region=region, line=line, title="Later", deadline=today + 9 * day)
    client.force_login(alice)
    url = reverse("toolkit:werkagenda", args=[region.pk])
    page = client.get(url).content.decode()
    folded = page.split(f'id="lijn-{line.number}-acties"')[1].split("</section>")[0]
    assert "Te laat" not in page and 'id="actie-' not in page
    assert "3 acties, 2 open" in " ".join(folded.split())
    heading = folded.split("</h3>")[0]
    assert "1 te laat" in heading and "Acties tonen" in folded
    opens = reverse("toolkit:line_actions", args=[region.pk, line.pk])
    assert f'hx-get="{opens}"' in folded and f'href="?lijn={line.number}#lijn-' in folded
    opened = client.get(opens, headers={"HX-Request": "true"}).content.decode()
    assert opened.lstrip().startswith(f'<div class="tk-line-actions" id="lijn-{line.number}-')
    assert opened.count('id="actie-') == 3 and "data-focus" in opened and "Sluiten" in opened
    assert client.get(opens).content.decode().count('id="actie-') == 3  # without htmx: the page
    assert client.get(url, {"lijn": line.number}).content.decode().count('id="actie-') == 3
    for bad in ("x", "99", "", "-1", "9" * 30):  # not a line: every line folded, no error
        assert client.get(url, {"lijn": bad}).content.decode().count('id="actie-') == 0
    for number in (999999, 10**30):
        opens_none = reverse("toolkit:line_actions", args=[region.pk, number])
        assert client.get(opens_none).status_code == 404
    closed = client.get(
        reverse("toolkit:line_folded", args=[region.pk, line.pk]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'id="actie-' not in closed and "Acties tonen" in closed and "data-focus" in closed
    action = RegionAction.objects.get(title="Later")
    saved = client.post(
        reverse("toolkit:action_status", args=[region.pk, action.pk]),
        {"done": "1", "version": str(action.version)},
    )
    assert saved["Location"].endswith(f"?lijn={line.number}#actie-{action.pk}")


def test_werkagenda_action_of_another_region_is_not_found(client, region, other_region, alice):
    foreign = RegionActionFactory(region=other_region)
    client.force_login(alice)
    for name in ("toolkit:action_detail", "toolkit:action_row"):
        assert client.get(reverse(name, args=[region.pk, foreign.pk])).status_code == 404
