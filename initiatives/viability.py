"""The viability outlook of an initiative: plain arithmetic, no database.

A school year starts on 1 August (the Dutch school year runs 1 August - 31 July). For
each of the next two school years the outlook counts the pupils expected at its start:
every pupil now at a partner school, plus every pupil on an open placement heading there,
minus every pupil who leaves before that day.

A pupil leaves on the first of:
- his transition date (end of po, so to vo, vso to regular, vo to mbo), when it lies
  after he arrived at the partner school;
- the day after his last CvO decision ends;
- the day after his last arrangement ends, when every arrangement has an end date;
- the expected start of a placement that takes him to a school outside the initiative.
A pupil heading to a partner school arrives on the expected start of his placement, or
at the start of the next school year when that is not known.
"""

from dataclasses import dataclass
from datetime import date, timedelta

SCHOOL_YEAR_START = (8, 1)  # month, day


def school_year_starts(today: date, n: int = 2) -> list[date]:
    """The start (1 August) of the next `n` school years, each after `today`."""
    month, day = SCHOOL_YEAR_START
    first = date(today.year, month, day)
    if first <= today:
        first = date(today.year + 1, month, day)
    return [date(first.year + i, month, day) for i in range(n)]


def leave_date(
    *,
    arrives: date | None = None,
    transition_date: date | None = None,
    arrangement_ends=(),
    decision_ends=(),
    moves_away=(),
) -> date | None:
    """The first day the pupil no longer counts for the initiative (None: stays).

    `arrangement_ends` and `decision_ends` hold the end dates ("tot en met") of all the
    pupil's arrangements and CvO decisions; an arrangement without an end is None."""
    candidates = []
    if transition_date and (arrives is None or transition_date > arrives):
        candidates.append(transition_date)
    arrangement_ends = list(arrangement_ends)
    if arrangement_ends and None not in arrangement_ends:
        candidates.append(max(arrangement_ends) + timedelta(days=1))
    decision_ends = [end for end in decision_ends if end]
    if decision_ends:
        candidates.append(max(decision_ends) + timedelta(days=1))
    candidates += [day for day in moves_away if day]
    return min(candidates) if candidates else None


@dataclass(frozen=True)
class Stay:
    """One pupil's time at the initiative: `arrives` None means he is there now."""

    arrives: date | None = None
    leaves: date | None = None

    def present_on(self, day: date) -> bool:
        return (self.arrives is None or self.arrives <= day) and (
            self.leaves is None or self.leaves > day
        )


def expected_count(stays, day: date) -> int:
    return sum(1 for stay in stays if stay.present_on(day))


@dataclass(frozen=True)
class OutlookYear:
    start: date
    expected: int
    minimum: int | None

    @property
    def below_minimum(self) -> bool:
        return self.minimum is not None and self.expected < self.minimum

    @property
    def school_year(self) -> str:
        return f"{self.start.year}-{self.start.year + 1}"


def outlook(stays, starts, minimum) -> list[OutlookYear]:
    stays = list(stays)
    return [OutlookYear(day, expected_count(stays, day), minimum) for day in starts]
