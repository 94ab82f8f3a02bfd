import pytest

from tests.learners.factories import PupilFactory, assign, begeleider_of


@pytest.fixture
def pupil(region, school):
    return PupilFactory(region=region, current_school=school)


@pytest.fixture
def begeleider(region, pupil):
    """Ambulant begeleider of the region, assigned to `pupil`."""
    user = begeleider_of(region)
    assign(pupil, user)
    return user


@pytest.fixture
def receiving_school(region):
    from regions.models import Schoolbestuur
    from tests.factories import school_in

    bestuur = Schoolbestuur.objects.create(name="Bestuur Ontvangst", number="12345")
    return school_in(region, bestuur=bestuur)
