"""Due dates across weekends, holidays and 调休 working days; the on-time rule; medians.
Expected values worked out by hand from the State Council's 2022–2023 holiday notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from yuanqu.service_requests import formulas as f

d = dt.date


@pytest.mark.parametrize(
    ("received", "days", "kind", "due"),
    [
        # Thursday + 2 working days: Friday, (weekend), Monday.
        (d(2022, 6, 16), 2, "working", d(2022, 6, 20)),
        # Friday 09-30 + 5: 10-01…10-07 National Day; 10-08 (Sat) and 10-09 (Sun) are 调休
        # working days; then 10-10, 10-11, 10-12.
        (d(2022, 9, 30), 5, "working", d(2022, 10, 12)),
        # Friday 2023-01-20 + 3: 01-21…01-27 Spring Festival; 01-28 (Sat), 01-29 (Sun) 调休
        # working days; then 01-30 (Mon).
        (d(2023, 1, 20), 3, "working", d(2023, 1, 30)),
        # Calendar days ignore holidays: 09-30 + 5 = 10-05.
        (d(2022, 9, 30), 5, "calendar", d(2022, 10, 5)),
        # 0 days: due the day received.
        (d(2022, 9, 30), 0, "working", d(2022, 9, 30)),
    ],
)
def test_due_dates(received: dt.date, days: int, kind: str, due: dt.date) -> None:
    assert f.due_date(received, days, kind) == due


def test_editable_table_overrides_the_national_calendar() -> None:
    # A local day off on Monday 2022-06-20 moves Thursday + 2 to Tuesday.
    assert f.due_date(d(2022, 6, 16), 2, "working", {d(2022, 6, 20): False}) == d(2022, 6, 21)
    # A Saturday worked locally counts.
    assert f.due_date(d(2022, 6, 16), 2, "working", {d(2022, 6, 18): True}) == d(2022, 6, 18)


def test_years_without_national_data_fall_back_to_the_working_week() -> None:
    # chinese-calendar has no data after its last year: Monday to Friday, plus the table.
    assert f.is_workday(d(2030, 1, 5)) is False  # a Saturday
    assert f.due_date(d(2030, 1, 4), 1, "working") == d(2030, 1, 7)
    assert f.due_date(d(2030, 1, 4), 1, "working", {d(2030, 1, 7): False}) == d(2030, 1, 8)


def test_on_time_rule() -> None:
    due = d(2022, 5, 10)
    assert f.on_time_state(due, d(2022, 5, 10), d(2022, 5, 31)) == f.ON_TIME
    assert f.on_time_state(due, d(2022, 5, 11), d(2022, 5, 31)) == f.LATE
    # Open past due counts as late; open on its due date is still pending.
    assert f.on_time_state(due, None, d(2022, 5, 11)) == f.LATE
    assert f.on_time_state(due, None, d(2022, 5, 10)) == f.PENDING
    # Closed after `at`: not closed yet as seen at `at`.
    assert f.on_time_state(due, d(2022, 5, 9), d(2022, 5, 8)) == f.PENDING


def test_rates_median_mean() -> None:
    assert f.rate_pct(19, 20) == D(95)
    assert f.rate_pct(0, 0) is None
    assert f.median([5, 1, 3]) == D(3)
    assert f.median([4, 1, 3, 10]) == D("3.5")
    assert f.median([]) is None
    assert f.mean([5, 4, 4]) == D("13") / 3
    assert f.satisfied_pct([5, 4, 3, 2]) == D(50)
