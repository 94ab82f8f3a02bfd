"""National-scale fictional data for benchmarks (PRODUCT.md section 4): partners and pupils,
so it lives in plans, the floor that may use every app."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from learners.models import CvoBesluit, Pupil
from regions.models import Gemeente, Institution, Level, Region, Samenwerkingsverband, School
from regions.reference import ensure_reference_data


class Command(BaseCommand):
    help = "Maakt fictieve gegevens op landelijke schaal voor benchmarks (niet in productie)."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=30)
        parser.add_argument("--swvs", type=int, default=150)
        parser.add_argument("--gemeenten", type=int, default=350)
        parser.add_argument("--schools", type=int, default=7000)
        parser.add_argument("--pupils", type=int, default=20000)

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
            self._pupils(opts["pupils"], regions)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(regions)} regio's, {len(swvs)} swv's, {len(gemeenten)} gemeenten, "
                f"{School.objects.count()} scholen, {opts['pupils']} leerlingen."
            )
        )

    def _pupils(self, n, regions):
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
                    code=f"SC-{i:05d}",
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
                    code__startswith="SC-", decisions__isnull=True
                ).values_list("pk", "region_id")
            ],
            batch_size=2000,
        )
