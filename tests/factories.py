import factory
from django.contrib.auth import get_user_model

from regions.models import (
    Gemeente,
    Institution,
    Region,
    Role,
    RoleAssignment,
    Samenwerkingsverband,
    School,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("geheim-wachtwoord-123")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Instelling {n}")
    slug = factory.Sequence(lambda n: f"instelling-{n}")


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    code = factory.Sequence(lambda n: f"{8000 + n:04d}")


class SwvFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Samenwerkingsverband

    code = factory.Sequence(lambda n: f"VO {80 + n // 100:02d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Samenwerkingsverband {n}")
    sector = "vo"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Regio {n}")

    @factory.post_generation
    def with_partners(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.swvs.add(SwvFactory())
            self.gemeenten.add(GemeenteFactory())


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    brin = factory.Sequence(
        lambda n: f"{10 + n // 676:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}"
    )
    vestigingsnummer = "00"
    name = factory.Sequence(lambda n: f"School {n}")
    sector = "vo"
    place = "Ergens"
    is_partner = True


def school_in(region, **kwargs):
    return SchoolFactory(swv=region.swvs.first(), gemeente=region.gemeenten.first(), **kwargs)


def user_with_role(role, **scope):
    user = UserFactory()
    # As on the command line: approved at once (four eyes apply to the web admin).
    RoleAssignment.objects.grant_directly(user=user, role=role, **scope)
    return user


def coordinator_of(region):
    return user_with_role(Role.COORDINATOR, region=region)


def manager_of(institution):
    return user_with_role(Role.MANAGER, institution=institution)


def leader_of(school):
    return user_with_role(Role.SCHOOLLEIDER, school=school)
