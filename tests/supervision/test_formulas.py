"""Lights on the boundary days (deadline 2023-06-30, yellow 3 days before)."""

from __future__ import annotations

import datetime as dt

import pytest

from yuanqu.supervision.formulas import light

DEADLINE = dt.date(2023, 6, 30)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.date(2023, 6, 26), "green"),  # 4 days before
        (dt.date(2023, 6, 27), "yellow"),  # 3 days before: first yellow day
        (dt.date(2023, 6, 30), "yellow"),  # the deadline itself is not overdue
        (dt.date(2023, 7, 1), "red"),  # the day after
    ],
)
def test_lights_on_boundary_days(at: dt.date, expected: str) -> None:
    assert light(DEADLINE, None, at) == expected


def test_done_tasks_have_no_light_and_yellow_days_are_a_setting() -> None:
    assert light(DEADLINE, dt.date(2023, 7, 5), dt.date(2023, 7, 10)) == "done"
    # Done after `at`: still open as seen at `at`.
    assert light(DEADLINE, dt.date(2023, 7, 5), dt.date(2023, 7, 2)) == "red"
    assert light(DEADLINE, None, dt.date(2023, 6, 25), yellow_days=5) == "yellow"
    assert light(DEADLINE, None, dt.date(2023, 6, 27), yellow_days=0) == "green"
