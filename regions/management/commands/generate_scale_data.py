"""National-scale fictional data for benchmarks (PRODUCT.md section 4)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from regions.models import Gemeente, Institution, Level, Region, Samenwerkingsverband, School
from regions.reference import ensure_reference_data


class Command(BaseCommand):
    help = "Maakt fictieve gegevens op landelijke schaal voor benchmarks (niet in productie)."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=30)
        parser.add_argument("--swvs", type=int, default=150)
        parser.add_argument("--gemeenten", type=int, default=350)
        parser.add_argument("--schools", type=int, default=7000)

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
                    sector="VO",
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
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(regions)} regio's, {len(swvs)} swv's, {len(gemeenten)} gemeenten, "
                f"{School.objects.count()} scholen."
            )
        )
