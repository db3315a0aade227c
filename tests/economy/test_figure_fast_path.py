"""The usual row's figures are checked by one regular expression over their text (issue 16);
every other row takes the cell-by-cell path. Both store the same decimals and report the same
problems: rounding, a figure too large to store (named by row and column), a negative figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.engine import run_import

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


def _import(tmp_path, park, rows):
    path = write_xlsx(tmp_path / "r.xlsx", H, rows, unit_line="单位：千元")
    return run_import(path, kind="enterprise-reports", park=park)


def test_plain_figures_are_stored_as_their_shortest_text(tmp_path):
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 5)]
    figures = [(12345.6, 0.1), (123456789012345.0, -0.0), (1.23455, 7.25), (5.0, 3)]
    rows = [
        [e.credit_code, e.name, "2022-06", a, b] for e, (a, b) in zip(ents, figures, strict=True)
    ]
    preview = _import(tmp_path, park, rows)
    assert preview.committed, [i.text() for i in preview.issues]
    stored = dict(EnterpriseReport.objects.values_list("enterprise__credit_code", "output_ytd"))
    assert stored[ents[0].credit_code] == Decimal("12345.6")
    assert stored[ents[1].credit_code] == Decimal("123456789012345")
    assert stored[ents[2].credit_code] == Decimal("1.2346")  # half-up to the column's 4 places
    assert stored[ents[3].credit_code] == Decimal("5")
    rounded = [i.text() for i in preview.warnings if "四舍五入" in i.message]
    assert len(rounded) == 1 and "第5行" in rounded[0] and "工业总产值(1-本月)" in rounded[0]


def test_a_figure_too_large_or_negative_is_named_by_row_and_column(tmp_path):
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 4)]
    rows = [
        [ents[0].credit_code, ents[0].name, "2022-06", 12345678901234567.0, 1.0],
        [ents[1].credit_code, ents[1].name, "2022-06", 100.5, -3.5],
        [ents[2].credit_code, ents[2].name, "2022-06", 100.5, 90.25],
    ]
    preview = _import(tmp_path, park, rows)
    assert not preview.committed
    errors = [i.text() for i in preview.errors]
    assert any(
        "第3行" in m and "D列" in m and "工业总产值(1-本月)" in m and "超出可存储范围" in m
        for m in errors
    ), errors
    assert any("第4行" in m and "E列" in m and "不能为负数" in m for m in errors), errors
    assert len(errors) == 2
    assert EnterpriseReport.objects.count() == 0
