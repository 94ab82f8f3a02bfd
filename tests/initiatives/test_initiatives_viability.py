"""The viability outlook's arithmetic (initiatives/viability.py), with exact numbers."""

from datetime import date

from initiatives.viability import (
    Stay,
    expected_count,
    leave_date,
    outlook,
    school_year_starts,
)


def test_the_next_two_school_years_start_on_1_august_after_today():
    assert school_year_starts(date(2026, 11, 27)) == [date(2027, 8, 1), date(2028, 8, 1)]
    assert school_year_starts(date(2027, 7, 31)) == [date(2027, 8, 1), date(2028, 8, 1)]
    # On the first day of a school year the next one is a year away.
    assert school_year_starts(date(2027, 8, 1)) == [date(2028, 8, 1), date(2029, 8, 1)]


def test_a_pupil_leaves_on_the_first_of_his_endings():
    assert leave_date() is None
    assert leave_date(transition_date=date(2027, 7, 15)) == date(2027, 7, 15)
    # The day after the last decision ends ("tot en met").
    assert leave_date(decision_ends=[date(2026, 7, 31), date(2028, 7, 31)]) == date(2028, 8, 1)
    # Arrangements: only when every one of them has an end.
    assert leave_date(arrangement_ends=[date(2027, 7, 31), None]) is None
    assert leave_date(arrangement_ends=[date(2027, 1, 31), date(2027, 7, 31)]) == date(2027, 8, 1)
    assert leave_date(
        transition_date=date(2028, 7, 1),
        decision_ends=[date(2027, 12, 31)],
        moves_away=[date(2027, 3, 1)],
    ) == date(2027, 3, 1)


def test_a_transition_before_arrival_is_the_move_into_the_initiative():
    assert leave_date(arrives=date(2027, 8, 1), transition_date=date(2027, 8, 1)) is None
    assert leave_date(arrives=date(2027, 8, 1), transition_date=date(2029, 8, 1)) == date(
        2029, 8, 1
    )


def test_expected_count_at_each_school_year_start():
    y1, y2 = date(2027, 8, 1), date(2028, 8, 1)
    stays = [
        Stay(),  # stays
        Stay(),  # stays
        Stay(leaves=date(2027, 7, 1)),  # end of po this summer
        Stay(leaves=date(2027, 8, 1)),  # leaves on the day itself: not there
        Stay(leaves=date(2028, 3, 1)),  # there in year 1 only
        Stay(arrives=date(2027, 8, 1)),  # placement starting with the school year
        Stay(arrives=date(2028, 1, 6)),  # placement starting after the winter break
    ]
    assert expected_count(stays, y1) == 4
    assert expected_count(stays, y2) == 4
    years = outlook(stays, [y1, y2], 5)
    assert [(y.school_year, y.expected, y.below_minimum) for y in years] == [
        ("2027-2028", 4, True),
        ("2028-2029", 4, True),
    ]
    assert not outlook(stays, [y1], 4)[0].below_minimum
    assert not outlook(stays, [y1], None)[0].below_minimum
