"""Validators shared by every app's models."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The floor of every date in the app: nothing this app records (a pupil's birth date
# included) lies before it; learners.models.EARLIEST_YEAR says the same.
EARLIEST_YEAR = 1990


def plausible_date(value):
    """A typed year like 1899 or 0202: refused with a Dutch message."""
    if value is not None and value.year < EARLIEST_YEAR:
        raise ValidationError(
            _("Een datum vóór %(year)s kan niet kloppen.") % {"year": EARLIEST_YEAR},
            code="date_too_early",
        )
