"""Nothing lost under load: many people writing the same rows at once (issue 12).

    .venv/bin/python bench/writes.py setup              # benchmark users + the rows to write
    .venv/bin/python bench/writes.py run --host http://127.0.0.1:PORT [--users 50 --seconds 60]

Both run with the server's database environment (SQLITE_PATH or DATABASE_URL) on a
seeded demo database. Each virtual user (a thread with its own session, signed in
through the login form) loads a form, reads the version in it and saves a value only
it writes (a marker) in one of four kinds of row: toolkit item progress (note),
werkagenda actions (goal), check-ins (results) and checklist answers (comment, by school
leaders of the same school). It remembers every acknowledged save (a redirect) with
the version the form was loaded at, and every refusal (409). At the end the script
reads the rows from the database and reports a LOST update for every acknowledged save
whose marker is not in the row and that no later acknowledged save replaced (a save
replaces it when its form was loaded at or after the version it made).
"""

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import benchmark_users, csrf_token, django_setup, login  # noqa: E402

PLAN = Path(tempfile.gettempdir()) / "route2035-bench-writes.json"  # setup -> run
ROWS_PER_KIND = 8  # few rows, so people really meet each other on them


def setup(coordinators, leaders):
    """Benchmark users in the demo region and at the demo school, and the rows to write."""
    django_setup()
    from checklists.models import Assignment
    from learners.models import CheckIn
    from regions.models import Region, Role, School
    from toolkit.models import ToolkitItem

    region = Region.objects.get(name__startswith="Regio Havenstad")
    school = School.objects.get(brin="99AA", vestigingsnummer="00")
    assignment = (
        Assignment.objects.filter(school=school, status="bezig").first()
        or (
            Assignment.objects.filter(school=school).exclude(status__in=["ingediend", "beoordeeld"])
        ).first()
    )
    questions = [
        key
        for key, q in assignment.template_version.questions.items()
        if not getattr(q, "school_field", "")
    ][:ROWS_PER_KIND]
    checkins = CheckIn.objects.filter(pupil__region=region).select_related("pupil")
    plan = {
        "region": region.pk,
        "coordinators": benchmark_users(
            Role.COORDINATOR, coordinators, "bench-coord", region=region
        ),
        "leaders": benchmark_users(Role.SCHOOLLEIDER, leaders, "bench-leider", school=school),
        "items": [[i.pk, i.slug] for i in ToolkitItem.objects.order_by("pk")[:ROWS_PER_KIND]],
        "actions": list(_action_pks(region)),
        "checkins": [[c.pk, c.pupil.code] for c in checkins.order_by("pk")[:ROWS_PER_KIND]],
        "assignment": assignment.pk,
        "questions": questions,
        "action_forms": {str(pk): _action_post(pk) for pk in _action_pks(region)},
        "answers": _answer_values(assignment, questions),
    }
    PLAN.write_text(json.dumps(plan))
    print(
        f"{len(plan['coordinators'])} coordinators, {len(plan['leaders'])} school leaders; "
        f"rows: {len(plan['items'])} items, {len(plan['actions'])} actions, "
        f"{len(plan['checkins'])} check-ins, {len(questions)} questions -> {PLAN}"
    )


def _action_pks(region):
    from toolkit.models import RegionAction

    return (
        RegionAction.objects.filter(region=region)
        .order_by("pk")
        .values_list("pk", flat=True)[:ROWS_PER_KIND]
    )


def _action_post(pk):
    """The action form as loaded (every field), to post back with another goal."""
    from regions.selectors import schools_in_region
    from toolkit.forms import ActionForm
    from toolkit.models import RegionAction
    from toolkit.selectors import region_users

    action = RegionAction.objects.get(pk=pk)
    form = ActionForm(
        instance=action,
        region=action.region,
        users=region_users(action.region),
        schools=schools_in_region(action.region).filter(is_partner=True),
    )
    return _as_post(form)


def _as_post(form):
    from django import forms

    data = {}
    for field in form:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(widget, forms.NullBooleanSelect):
            data[field.html_name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is None:
            continue
        elif hasattr(value, "isoformat"):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    data.pop("version", None)
    return data


def _answer_values(assignment, questions):
    """The value each question holds now (kept: the marker goes in the comment)."""
    from checklists.models import Answer

    held = dict(Answer.objects.filter(assignment=assignment).values_list("question_key", "value"))
    return {key: held.get(key, "") for key in questions}


# --- the run ---------------------------------------------------------------------------


def version_in(html, name):
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', html)
    if not match:
        match = re.search(rf'value="(\d+)"[^>]*name="{re.escape(name)}"', html)
    return int(match.group(1)) if match else None


class Writer:
    """One kind of row: where its form is, what to post, and where the marker is stored."""

    def __init__(self, kind, plan, host):
        self.kind, self.plan, self.host = kind, plan, host

    def rows(self):
        p = self.plan
        return {
            "item": [tuple(i) for i in p["items"]],
            "action": p["actions"],
            "checkin": [tuple(c) for c in p["checkins"]],
            "answer": p["questions"],
        }[self.kind]

    def form_url(self, row):
        p, h = self.plan, self.host
        if self.kind == "item":
            return f"{h}/regios/{p['region']}/toolkit/{row[1]}/"
        if self.kind == "action":
            return f"{h}/regios/{p['region']}/werkagenda/acties/{row}/"
        if self.kind == "checkin":
            return f"{h}/leerlingen/{row[1]}/vervolgcontact/{row[0]}/"
        return f"{h}/checklists/{p['assignment']}/"

    def post_url(self, row):
        if self.kind == "answer":
            return f"{self.host}/checklists/{self.plan['assignment']}/vragen/{row}/"
        return self.form_url(row)

    def version_name(self, row):
        return {
            "item": lambda: f"item-{row[0]}-version",
            "action": lambda: "version",
            "checkin": lambda: "version",
            "answer": lambda: f"q-{row}-version",
        }[self.kind]()

    def data(self, row, marker, version):
        if self.kind == "item":
            prefix = f"item-{row[0]}"
            return {
                f"{prefix}-status": "in_progress",
                f"{prefix}-owner": "",
                f"{prefix}-due_date": "",
                f"{prefix}-note": marker,
                f"{prefix}-version": version,
            }
        if self.kind == "action":
            data = dict(self.plan["action_forms"][str(row)])
            return {**data, "goal": marker, "version": version}
        if self.kind == "checkin":
            return {
                "done_on": "2026-02-03",
                "results": marker,
                "wellbeing": "goed",
                "as_planned": "true",
                "support_needed": "false",
                "notes": "",
                "version": version,
            }
        prefix = f"q-{row}"
        return {
            f"{prefix}-value": self.plan["answers"][row],
            f"{prefix}-evidence_note": "",
            f"{prefix}-evidence_link": "",
            f"{prefix}-comment": marker,
            f"{prefix}-version": version,
        }


def virtual_user(number, username, kinds, plan, host, stop_at, log):
    import requests

    session = requests.Session()
    if not login(session, host, username):
        log["login_failed"].append(username)
        return
    rng = random.Random(number)
    n = 0
    while time.monotonic() < stop_at:
        writer = Writer(rng.choice(kinds), plan, host)
        row = rng.choice(writer.rows())
        n += 1
        marker = f"{username} schrijft {n}"
        try:
            page = session.get(writer.form_url(row), timeout=60)
            if page.status_code >= 500:
                log["5xx"].append((writer.kind, page.status_code, "GET"))
                continue
            version = version_in(page.text, writer.version_name(row))
            if version is None:
                log["no_form"].append((writer.kind, page.status_code))
                continue
            data = writer.data(row, marker, version)
            data["csrfmiddlewaretoken"] = csrf_token(page.text)
            answer = session.post(
                writer.post_url(row),
                data=data,
                headers={"Referer": writer.form_url(row)},
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException as exc:
            log["connection"].append(repr(exc)[:120])
            continue
        entry = (writer.kind, json.dumps(row), marker, version)
        if answer.status_code in (301, 302, 303):
            log["ack"].append(entry)
        elif answer.status_code == 409 or "gewijzigd door een ander" in answer.text:
            log["refused"].append(entry)
        elif answer.status_code >= 500:
            log["5xx"].append((writer.kind, answer.status_code, "POST"))
        else:
            log["other"].append((writer.kind, answer.status_code, answer.text[:200]))


def stored_markers(plan):
    """(kind, row) -> the marker field as it is in the database now."""
    django_setup()
    from checklists.models import Answer
    from learners.models import CheckIn
    from toolkit.models import RegionAction, RegionItemProgress

    stored = {}
    for pk, slug in plan["items"]:
        note = (
            RegionItemProgress.objects.filter(region_id=plan["region"], item_id=pk)
            .values_list("note", flat=True)
            .first()
        )
        stored[("item", json.dumps([pk, slug]))] = note
    for pk in plan["actions"]:
        stored[("action", json.dumps(pk))] = RegionAction.objects.get(pk=pk).goal
    for pk, code in plan["checkins"]:
        stored[("checkin", json.dumps([pk, code]))] = CheckIn.objects.get(pk=pk).results
    for key in plan["questions"]:
        comment = (
            Answer.objects.filter(assignment_id=plan["assignment"], question_key=key)
            .values_list("comment", flat=True)
            .first()
        )
        stored[("answer", json.dumps(key))] = comment
    return stored


def lost_updates(acks, stored):
    """Acknowledged saves whose value is not in the row and that no later acknowledged
    save replaced (one loaded at or after the version this save made)."""
    by_row = defaultdict(list)
    for kind, row, marker, version in acks:
        by_row[(kind, row)].append((marker, version))
    lost = []
    for key, saves in by_row.items():
        for marker, version in saves:
            replaced = any(other >= version + 1 for _m, other in saves)
            if stored.get(key) != marker and not replaced:
                lost.append((key, marker, version))
    return lost


def run(host, users, seconds, kinds):
    plan = json.loads(PLAN.read_text())
    log = defaultdict(list)
    coordinator_kinds = [k for k in kinds if k != "answer"]
    # About one in five writers is a school leader answering the checklist.
    n_leaders = min(len(plan["leaders"]), users // 5) if "answer" in kinds else 0
    people = [(name, ["answer"]) for name in plan["leaders"][:n_leaders]]
    people += [(name, coordinator_kinds) for name in plan["coordinators"][: users - n_leaders]]
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=virtual_user, args=(i, name, ks, plan, host, stop_at, log))
        for i, (name, ks) in enumerate(people)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    django_setup()
    from django_scopes import scopes_disabled

    with scopes_disabled():
        stored = stored_markers(plan)
    lost = lost_updates(log["ack"], stored)
    per_kind = Counter(k for k, *_ in log["ack"])
    refused_kind = Counter(k for k, *_ in log["refused"])
    print(f"{len(people)} virtual users for {elapsed:.0f} s against {host}")
    print(f"acknowledged writes: {len(log['ack'])} {dict(per_kind)}")
    print(f"refused (stale) writes: {len(log['refused'])} {dict(refused_kind)}")
    print(f"5xx: {len(log['5xx'])} {Counter(log['5xx']).most_common(5)}")
    print(f"other answers: {len(log['other'])} {[o[:2] for o in log['other'][:5]]}")
    print(f"forms not found: {len(log['no_form'])}; connection errors: {len(log['connection'])}")
    print(f"logins failed: {len(log['login_failed'])}")
    print(f"LOST updates: {len(lost)}")
    for item in lost[:10]:
        print("  lost:", item)
    if log["other"]:
        print("first other answer:", log["other"][0])
    return 1 if (lost or log["5xx"]) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--coordinators", type=int, default=50)
    s.add_argument("--leaders", type=int, default=10)
    r = sub.add_parser("run")
    r.add_argument("--host", required=True)
    r.add_argument("--users", type=int, default=50)
    r.add_argument("--seconds", type=int, default=60)
    r.add_argument("--kinds", default="item,action,checkin,answer")
    args = parser.parse_args()
    if args.command == "setup":
        django_setup()
        from django_scopes import scopes_disabled

        with scopes_disabled():  # a command, not a request: every region
            setup(args.coordinators, args.leaders)
        return 0
    return run(args.host, args.users, min(args.seconds, 600), args.kinds.split(","))


if __name__ == "__main__":
    sys.exit(main())
