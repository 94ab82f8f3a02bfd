"""National-scale fictional data for benchmarks (PRODUCT.md section 4): partners, pupils
and what users do with them (pupil records, toolkit progress, werkagenda actions,
initiatives, checklists, audit and access-log entries), plus one large region, so it lives
in plans, the floor that may use every app. Everything is bulk-created."""

import random
from datetime import UTC, date, datetime, timedelta

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from checklists.models import Assignment, TemplateVersion
from initiatives.models import Initiative
from learners.models import AccessLog, CheckIn, CvoBesluit, DutyOfCare, PlacementCase, Pupil
from regions.audit_index import index_entries
from regions.models import Gemeente, Institution, Level, Region, Samenwerkingsverband, School
from regions.reference import ensure_reference_data
from toolkit.models import (
    CooperationType,
    Measure,
    RegionAction,
    RegionItemProgress,
    RegionMeasure,
    ToolkitItem,
    WerkagendaLine,
)

LARGE_REGION = "Schaalregio groot"


class Command(BaseCommand):
    help = "Maakt fictieve gegevens op landelijke schaal voor benchmarks (niet in productie)."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=30)
        parser.add_argument("--swvs", type=int, default=150)
        parser.add_argument("--gemeenten", type=int, default=350)
        parser.add_argument("--schools", type=int, default=7000)
        parser.add_argument("--pupils", type=int, default=20000)
        parser.add_argument("--large-pupils", type=int, default=5000)
        parser.add_argument("--actions", type=int, default=60, help="per regio")
        parser.add_argument("--audit", type=int, default=24000)
        parser.add_argument("--access-log", type=int, default=50000)

    @transaction.atomic
    def handle(self, *args, **opts):
        ensure_reference_data()
        institutions = list(Institution.objects.all())
        gemeenten = Gemeente.objects.bulk_create(
            [
                Gemeente(name=f"Schaalgemeente {i}", code=f"{5000 + i:04d}")
                for i in range(opts["gemeenten"])
            ],
            ignore_conflicts=True,
        )
        gemeenten = list(Gemeente.objects.filter(name__startswith="Schaalgemeente"))
        Samenwerkingsverband.objects.bulk_create(
            [
                Samenwerkingsverband(
                    code=f"VO {50 + i // 100:02d}-{i % 100:02d}",
                    name=f"Schaal-swv {i}",
                    sector="vo",
                )
                for i in range(opts["swvs"])
            ],
            ignore_conflicts=True,
        )
        swvs = list(Samenwerkingsverband.objects.filter(name__startswith="Schaal-swv"))
        regions = []
        for i in range(opts["regions"]):
            region, _ = Region.objects.get_or_create(
                institution=institutions[i % len(institutions)], name=f"Schaalregio {i}"
            )
            region.swvs.set(swvs[i :: opts["regions"]])
            region.gemeenten.set(gemeenten[i :: opts["regions"]])
            regions.append(region)
        # One large region (the same swvs as region 0, so its partners are region 0's).
        large, _ = Region.objects.get_or_create(institution=institutions[0], name=LARGE_REGION)
        large.swvs.set(swvs[0 :: opts["regions"]])
        large.gemeenten.set(gemeenten[0 :: opts["regions"]])
        regions.append(large)
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        School.objects.bulk_create(
            [
                School(
                    brin=f"{50 + i // 676:02d}{letters[i // 26 % 26]}{letters[i % 26]}",
                    vestigingsnummer="00",
                    name=f"Schaalschool {i}",
                    sector="vo",
                    place=f"Plaats {i % 300}",
                    swv=swvs[i % len(swvs)],
                    gemeente=gemeenten[i % len(gemeenten)],
                    is_partner=i % 4 == 0,
                )
                for i in range(opts["schools"])
            ],
            ignore_conflicts=True,
        )
        through = School.levels.through
        havo = Level.objects.get(code="havo")
        through.objects.bulk_create(
            [
                through(school_id=pk, level_id=havo.pk)
                for pk in School.objects.filter(name__startswith="Schaalschool").values_list(
                    "pk", flat=True
                )
            ],
            ignore_conflicts=True,
        )
        # A national job: benchmark pupils go to every region, so no region scope.
        with scopes_disabled():
            self._pupils(opts["pupils"], regions[:-1])
            self._pupils(opts["large_pupils"], [large], prefix="SG")
            rng = random.Random(12)  # noqa: S311 (fictional data, not security)
            self._pupil_records(rng)
            users = self._users(regions)
            self._region_work(rng, regions, opts["actions"], users)
            self._audit(rng, regions, opts["audit"], users)
            self._access_log(rng, regions, opts["access_log"], users)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(regions)} regio's, {len(swvs)} swv's, {len(gemeenten)} gemeenten, "
                    f"{School.objects.count()} scholen, {Pupil.objects.count()} leerlingen, "
                    f"{LogEntry.objects.count()} auditregels, {AccessLog.objects.count()} inzages."
                )
            )

    def _pupils(self, n, regions, prefix="SC"):
        schools = list(
            School.objects.filter(name__startswith="Schaalschool").values_list("pk", "swv_id")
        )
        by_region = {}
        for region in regions:
            swv_ids = set(region.swvs.values_list("pk", flat=True))
            by_region[region.pk] = [pk for pk, swv in schools if swv in swv_ids] or [None]
        groups = ["tos"] * 17 + ["dsh"] * 2 + ["cmb"]
        pupils = []
        for i in range(n):
            region = regions[i % len(regions)]
            options = by_region[region.pk]
            # Codes "SC-…" lie outside what the app's code generator hands out.
            pupils.append(
                Pupil(
                    code=f"{prefix}-{i:05d}",
                    region=region,
                    target_group=groups[i % len(groups)],
                    current_school_id=options[i % len(options)],
                )
            )
        Pupil.objects.bulk_create(pupils, ignore_conflicts=True, batch_size=2000)
        institution = {r.pk: r.institution_id for r in regions}
        start = date(2025, 8, 1)
        CvoBesluit.objects.bulk_create(
            [
                CvoBesluit(
                    pupil_id=pk,
                    institution_id=institution[region_id],
                    kind="ondersteuning",
                    start=start,
                    end=start + timedelta(days=700),
                    evaluation_date=start + timedelta(days=365 + pk % 200),
                )
                for pk, region_id in Pupil.objects.filter(
                    code__startswith=f"{prefix}-", decisions__isnull=True
                ).values_list("pk", "region_id")
            ],
            batch_size=2000,
        )

    def _pupil_records(self, rng):
        """What the deadlines and duty-of-care views read: a return decision on 2% of the
        decisions, a placement for 3% of the pupils (half enrolled, with a check-in due),
        a transition point for 5%, and a duty-of-care period for all but 5%."""
        if DutyOfCare.objects.filter(pupil__code__startswith="S").exists():
            return
        start = date(2025, 8, 1)
        pupils = list(
            Pupil.objects.filter(code__regex=r"^S[CG]-").values_list(
                "pk", "region__institution_id", "current_school_id"
            )
        )
        returned = [pk for pk, _, _ in pupils if pk % 50 == 0]
        CvoBesluit.objects.filter(pupil_id__in=returned).update(
            return_decision_on=date(2026, 10, 1)
        )
        transition = [pk for pk, _, _ in pupils if pk % 20 == 7]
        Pupil.objects.filter(pk__in=transition).update(
            transition="po-vo", transition_date=date(2026, 12, 15)
        )
        DutyOfCare.objects.bulk_create(
            [
                DutyOfCare(pupil_id=pk, holder_kind="instelling", institution_id=inst, start=start)
                for pk, inst, _ in pupils
                if pk % 20 != 3
            ],
            batch_size=2000,
        )
        placed = [(pk, school) for pk, _, school in pupils if pk % 33 == 5]
        PlacementCase.objects.bulk_create(
            [
                PlacementCase(
                    pupil_id=pk,
                    to_school_id=school,
                    reason="ouders",
                    status="ingeschreven" if n % 2 else "verkennen",
                    enrolled_on=date(2026, 9, 1) if n % 2 else None,
                )
                for n, (pk, school) in enumerate(placed)
            ],
            batch_size=2000,
        )
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    pupil_id=pupil_id,
                    placement_id=pk,
                    months_after=3,
                    due_date=date(2026, 12, 1) + timedelta(days=rng.randint(0, 30)),
                )
                for pk, pupil_id in PlacementCase.objects.filter(
                    pupil__code__regex=r"^S[CG]-", enrolled_on__isnull=False
                ).values_list("pk", "pupil_id")
            ],
            batch_size=2000,
        )

    def _users(self, regions):
        """Two fictional coworkers per region, the actors of audit and access-log entries."""
        User = get_user_model()
        User.objects.bulk_create(
            [
                User(username=f"schaal-{r.pk}-{n}", first_name=f"Collega {n}", last_name=r.name)
                for r in regions
                for n in range(2)
            ],
            ignore_conflicts=True,
        )
        ids = dict(
            User.objects.filter(username__startswith="schaal-").values_list("username", "pk")
        )
        return {r.pk: [ids[f"schaal-{r.pk}-{n}"] for n in range(2)] for r in regions}

    def _region_work(self, rng, regions, n_actions, users):
        """Progress on every toolkit item, a decision on every regional measure, actions,
        a few initiatives and checklists per region (the large region three times as many)."""
        if RegionAction.objects.filter(title__startswith="Schaalactie").exists():
            return
        if not TemplateVersion.objects.exists():
            call_command("load_checklists", verbosity=0)
        items = list(ToolkitItem.objects.all())
        measures = list(Measure.objects.exclude(level=Measure.Level.LANDELIJK))
        lines = list(WerkagendaLine.objects.all())
        kind = CooperationType.objects.first()
        version = TemplateVersion.objects.order_by("pk").first()
        statuses = ["not_started", "in_progress", "done", "not_applicable"]
        progress, decisions, actions, initiatives, assignments = [], [], [], [], []
        for region in regions:
            times = 3 if region.name == LARGE_REGION else 1
            owner = users[region.pk][0]
            progress += [
                RegionItemProgress(
                    region=region,
                    item=item,
                    status=rng.choice(statuses),
                    owner_id=owner,
                    due_date=date(2026, 6, 1) + timedelta(days=rng.randint(0, 400)),
                    note="Besproken in het regio-overleg.",
                )
                for item in items
            ]
            decisions += [
                RegionMeasure(region=region, measure=m, decision=rng.choice(["open", "adopted"]))
                for m in measures
            ]
            actions += [
                RegionAction(
                    region=region,
                    line=lines[i % len(lines)],
                    title=f"Schaalactie {i}",
                    goal="Een doel van deze actie.",
                    owner_id=owner,
                    deadline=date(2026, 1, 1) + timedelta(days=i % 700),
                    status=rng.choice(["planned", "in_progress", "done"]),
                )
                for i in range(n_actions * times)
            ]
            initiatives += [
                Initiative(
                    region=region,
                    name=f"Schaalinitiatief {i}",
                    type=kind,
                    pupils_typed=rng.randint(0, 30),
                    viability_minimum=12,
                )
                for i in range(5 * times)
            ]
            schools = list(
                School.objects.filter(swv__regions=region, is_partner=True).values_list(
                    "pk", flat=True
                )[: 10 * times]
            )
            if version:
                assignments += [
                    Assignment(
                        region=region,
                        school_id=school,
                        template_version=version,
                        due_date=date(2026, 12, 1),
                        status=rng.choice(["assigned", "submitted"]),
                    )
                    for school in schools
                ]
        RegionItemProgress.objects.bulk_create(progress, batch_size=2000, ignore_conflicts=True)
        RegionMeasure.objects.bulk_create(decisions, batch_size=2000, ignore_conflicts=True)
        RegionAction.objects.bulk_create(actions, batch_size=2000)
        Initiative.objects.bulk_create(initiatives, batch_size=2000)
        Assignment.objects.bulk_create(assignments, batch_size=2000, ignore_conflicts=True)

    def _audit(self, rng, regions, n, users):
        """Audit entries as the app writes them (region id in additional_data): a history
        for toolkit progress, actions and measure decisions, and pupil-record changes."""
        if LogEntry.objects.filter(object_repr__startswith="Schaal:").exists():
            return
        models = {
            RegionItemProgress: "status",
            RegionAction: "status",
            RegionMeasure: "decision",
        }
        targets = []
        for model, field in models.items():
            ct = ContentType.objects.get_for_model(model)
            for pk, region_id in model.objects.filter(
                region__name__startswith="Schaalregio"
            ).values_list("pk", "region_id"):
                targets.append((ct.pk, pk, {"region": region_id}, field))
        pupil_ct = ContentType.objects.get_for_model(Pupil)
        for pk, region_id in Pupil.objects.filter(code__regex=r"^S[CG]-").values_list(
            "pk", "region_id"
        )[: n // 4]:
            targets.append((pupil_ct.pk, pk, {"pupil_region": region_id}, "notes"))
        start = datetime(2025, 9, 1, tzinfo=UTC)
        entries = []
        for i in range(n):
            ct, pk, data, field = targets[i % len(targets)]
            region_id = data.get("region") or data.get("pupil_region")
            entries.append(
                LogEntry(
                    content_type_id=ct,
                    object_pk=str(pk),
                    object_id=pk,
                    object_repr=f"Schaal: {pk}",
                    action=LogEntry.Action.UPDATE if i >= len(targets) else LogEntry.Action.CREATE,
                    changes={field: ["open", "bezig"]},
                    actor_id=rng.choice(users[region_id]),
                    timestamp=start + timedelta(minutes=37 * i),
                    additional_data=data,
                )
            )
        LogEntry.objects.bulk_create(entries, batch_size=2000)
        # bulk_create sends no signal: index the regions as the app's own entries are.
        index_entries(LogEntry.objects.filter(object_repr__startswith="Schaal:"))

    def _access_log(self, rng, regions, n, users):
        if AccessLog.objects.filter(detail="schaal").exists():
            return
        pupils = list(Pupil.objects.filter(code__regex=r"^S[CG]-").values_list("pk", "region_id"))
        start = datetime(2025, 9, 1, tzinfo=UTC)
        AccessLog.objects.bulk_create(
            [
                AccessLog(
                    user_id=rng.choice(users[region_id]),
                    at=start + timedelta(minutes=7 * i),
                    action=rng.choice(["view", "view", "list", "export"]),
                    pupil_id=pk,
                    region_id=region_id,
                    detail="schaal",
                )
                for i, (pk, region_id) in enumerate(rng.choices(pupils, k=n))
            ],
            batch_size=2000,
        )
