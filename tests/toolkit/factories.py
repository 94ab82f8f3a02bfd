import factory

from tests.factories import RegionFactory
from toolkit.models import (
    ActionStatus,
    Measure,
    RegionAction,
    RegionItemProgress,
    RegionMeasure,
    ToolkitItem,
    WerkagendaLine,
)


def line(number=1):
    return WerkagendaLine.objects.get(number=number)


def item(slug="betrek-ouders-als-volwaardige-partners"):
    return ToolkitItem.objects.get(slug=slug)


def measure(code="1.R.1"):
    return Measure.objects.get(code=code)


class RegionItemProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionItemProgress

    region = factory.SubFactory(RegionFactory)
    item = factory.LazyFunction(item)


class RegionMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionMeasure

    region = factory.SubFactory(RegionFactory)
    measure = factory.LazyFunction(measure)
    decision = RegionMeasure.Decision.ADOPTED


class RegionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionAction

    region = factory.SubFactory(RegionFactory)
    measure = factory.LazyFunction(measure)
    line = factory.LazyAttribute(lambda o: o.measure.line if o.measure else line(1))
    title = factory.Sequence(lambda n: f"Actie {n}")
    status = ActionStatus.PLANNED
