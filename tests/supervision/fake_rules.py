"""Supervision rules for the tests: `fake_rule` yields what the test put in FAKE."""

FAKE: dict = {"causes": []}


def fake_rule(park, date):
    return list(FAKE["causes"])


def broken_rule(park, date):
    raise RuntimeError("数据源不可用")
