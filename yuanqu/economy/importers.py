"""Import kinds of the economy: `enterprise-reports`, `park-indicators`, `targets`.

`enterprise-reports` reads the canonical template (one header row: 统一社会信用代码, 企业名称,
报告期, 工业总产值(本月) …) and the same columns under a two-row merged header (工业总产值 over
本年本月 | 本年1-本月 | 上年同期本月 | 上年同期1-本月). The replace unit is each (kind, park,
period) in the file: rows of that slice missing from the file are deleted (删除 N), unless
`--mode merge` or an enterprise's own submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model

from yuanqu.core.bulk import insert_rows, settle, update_rows
from yuanqu.core.numbers import (
    DecimalLimits,
    NumberError,
    convert,
    detect_unit,
    parse_amount,
)
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.core.uscc import USCCError, validate_uscc
from yuanqu.economy.models import (
    EnterpriseReport,
    Indicator,
    ParkIndicatorValue,
    Target,
)
from yuanqu.imports.engine import FieldSpec, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedRow
from yuanqu.imports.period import PeriodSliceImporter
from yuanqu.registry.models import Enterprise, Park
from yuanqu.registry.services import enterprises_create_many

AMOUNT_UNITS = ("元", "千元", "万元", "亿元")

# The B204-1 flows, each with four columns: (field prefix, Chinese name, synonyms, code).
FLOWS = (
    ("output", "工业总产值", ("工业总产值(当年价格)", "总产值"), "01"),
    ("sales", "工业销售产值", ("工业销售产值(当年价格)", "销售产值"), "03"),
    ("export", "出口交货值", ("其中:出口交货值", "出口交货值(当年价格)"), "04"),
)
FLOW_COLUMNS = (
    ("month", "本月", ("本年本月", "本年|本月", "当月")),
    ("ytd", "1-本月", ("本年1-本月", "本年|1-本月", "累计", "本年累计", "1-本月累计")),
    ("month_ly", "上年同期(本月)", ("上年同期本月", "上年同期|本月", "上年本月")),
    (
        "ytd_ly",
        "上年同期(1-本月)",
        ("上年同期1-本月", "上年同期|1-本月", "上年累计", "上年同期累计"),
    ),
)
# B203 YTD figures with their 上年同期: (field prefix, name, synonyms, row code).
B203 = (
    ("revenue", "营业收入", ("营业收入(301)",), "301"),
    ("cost", "营业成本", ("营业成本(307)",), "307"),
    ("profit", "利润总额", ("利润总额(327)",), "327"),
    ("vat", "应交增值税", ("应交增值税(402)", "应交增值税(本年累计发生额)"), "402"),
    ("electricity", "用电量", ("用电量(万千瓦时)", "工业用电量"), ""),
    ("tax_paid", "实缴税收", ("实缴税金", "全口径税收", "纳税额"), ""),
)
# Rows carried only for the audit rules (DECISIONS.md), kept in EnterpriseReport.extra.
AUDIT_ROWS = (
    ("201", "流动资产合计"),
    ("202", "应收账款"),
    ("205", "存货"),
    ("206", "产成品"),
    ("213", "资产总计"),
    ("217", "负债合计"),
    ("309", "税金及附加"),
    ("312", "销售费用"),
    ("313", "管理费用"),
    ("317", "财务费用"),
    ("323", "营业利润"),
    ("325", "营业外收入"),
    ("326", "营业外支出"),
    ("331", "研发费用"),
)
# Flows that cannot be negative, so their YTD never falls (DECISIONS.md); not profit or VAT.
NON_NEGATIVE = ("output", "sales", "export", "revenue", "cost")
# The audit rules' field names, spelled out once (they are checked on every row).
_SUFFIXES = ("_month", "_ytd", "_month_ly", "_ytd_ly")
_NON_NEGATIVE_KEYS = tuple(p + s for p in NON_NEGATIVE for s in _SUFFIXES)
_SALES_EXPORT_KEYS = tuple(("sales" + s, "export" + s) for s in _SUFFIXES)
_MONTH_YTD_KEYS = tuple((p + "_month", p + "_ytd") for p, *_ in FLOWS)


def _flow_fields() -> list[FieldSpec]:
    specs = []
    for prefix, name, synonyms, _code in FLOWS:
        for suffix, col, col_syn in FLOW_COLUMNS:
            label = f"{name}({col})" if not col.startswith("上年") else f"{name}{col}"
            alts = [
                f"{n}{sep}{c}"
                for n in (name, *synonyms)
                for c in (col, *col_syn)
                for sep in ("", "|", "-")
            ]
            specs.append(
                FieldSpec(
                    f"{prefix}_{suffix}",
                    label,
                    tuple(dict.fromkeys(alts)),
                    example="12345.6",
                    unit="千元",
                )
            )
    return specs


def _b203_fields() -> list[FieldSpec]:
    specs = []
    for prefix, name, synonyms, _code in B203:
        unit = "万千瓦时" if prefix == "electricity" else "千元"
        specs.append(
            FieldSpec(
                f"{prefix}_ytd",
                f"{name}(1-本月)",
                (
                    *tuple(
                        f"{n}{sep}{c}"
                        for n in (name, *synonyms)
                        for c in ("1-本月", "本年1-本月", "本年累计", "累计", "本期")
                        for sep in ("", "|")
                    ),
                    name,
                    *synonyms,
                ),
                example="2345.6",
                unit=unit,
            )
        )
        specs.append(
            FieldSpec(
                f"{prefix}_ytd_ly",
                f"{name}上年同期(1-本月)",
                tuple(
                    f"{n}{sep}{c}"
                    for n in (name, *synonyms)
                    for c in ("上年同期", "上年同期1-本月", "上年同期(1-本月)", "上年累计")
                    for sep in ("", "|")
                ),
                example="2100.0",
                unit=unit,
            )
        )
    specs.append(
        FieldSpec(
            "employees",
            "平均用工人数",
            ("平均用工人数(606)", "从业人员平均人数", "平均用工人数|1-本月", "平均用工人数|本年"),
            example="120",
            unit="人",
        )
    )
    specs.append(
        FieldSpec(
            "employees_ly",
            "平均用工人数上年同期",
            ("平均用工人数|上年同期",),
            example="110",
            unit="人",
        )
    )
    # Audit rows live in the JSON column `extra`: they keep the figures' limits all the same.
    audit_limits = DecimalLimits.of(EnterpriseReport._meta.get_field("revenue_ytd"))
    for code, name in AUDIT_ROWS:
        specs.append(
            FieldSpec(
                f"x{code}",
                f"{name}({code})",
                (name, f"{name}|1-本月"),
                unit="千元",
                limits=audit_limits,
            )
        )
    return specs


_FLOAT_ONLY = {float}
# Unregistered enterprises named one warning each; the rest are counted in one warning.
NEW_ENTERPRISES_NAMED = 20

# The columns every inserted report row has, before its figures (see `_write`).
REPORT_KEY_FIELDS = (
    "enterprise",
    "park",
    "year",
    "month",
    "unit",
    "extra",
    "correction",
    "import_record",
)


@dataclass(slots=True)
class EnterpriseRef:
    """The few enterprise fields an import needs, without loading model instances."""

    pk: int
    park_id: int
    name: str
    park: Park

    def __reduce__(self) -> tuple[Any, ...]:
        # A plain tuple: a slots dataclass pickles through Python-level __getstate__ (see
        # ReportRow.__reduce__).
        return (EnterpriseRef, (self.pk, self.park_id, self.name, self.park))


# One tuple object per distinct set of figure names, so that pickle writes it once per chunk.
_VALUE_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _report_row(
    record: Any,
    credit_code: str,
    name: str,
    year: int,
    month: int,
    keys: tuple[str, ...],
    values: tuple[str, ...],
    unit: str,
    extra: dict[str, dict[str, str]],
    correction: bool,
    enterprise: EnterpriseRef | None,
    park: Park | None,
) -> ReportRow:
    return ReportRow(
        record,
        credit_code,
        name,
        Period(year, month),
        dict(zip(keys, map(Decimal, values), strict=True)),
        unit,
        extra,
        correction,
        enterprise,
        park,
    )


@dataclass(slots=True)
class ReportRow:
    """One validated row of a file: the figures as reported, in `unit`."""

    record: Any  # the reader's Record: sheet, row and column letters for messages
    credit_code: str
    name: str
    period: Period
    values: dict[str, Decimal]
    unit: str
    extra: dict[str, dict[str, str]]
    correction: bool
    enterprise: EnterpriseRef | None = None
    park: Park | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (the engine's spool between checking and writing) as a tuple of plain
        values, figures as their exact text: a slots dataclass pickles through a Python-level
        `__getstate__` and each Decimal through its own reduce — about 15 % of a large
        import's time (issue 16); this is ~10× faster and gives back equal rows."""
        keys = tuple(self.values)
        keys = _VALUE_KEYS.setdefault(keys, keys)
        return (
            _report_row,
            (
                self.record,
                self.credit_code,
                self.name,
                self.period.year,
                self.period.month,
                keys,
                tuple(map(str, self.values.values())),
                self.unit,
                self.extra,
                self.correction,
                self.enterprise,
                self.park,
            ),
        )


@register
class EnterpriseReportImporter(PeriodSliceImporter):
    """Enterprise monthly reports (B204-1 and B203 figures), one row per enterprise and period.

    A streaming kind: rows are checked and written `chunk_size` at a time inside the import's
    one transaction, so a 470,000-row file never holds more than one chunk of rows, and only
    keys (for duplicates and the replaced slices) are kept across chunks.
    """

    kind = "enterprise-reports"
    label = "企业月度报表"
    model = EnterpriseReport
    needs_park = False
    streaming = True
    slice_model = EnterpriseReport
    slice_label = "企业报表"
    fields = [
        FieldSpec(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "社会信用代码", "统一代码", "组织机构代码"),
            required=True,
            example="91350100M000100Y43",
        ),
        FieldSpec(
            "name", "企业名称", ("单位名称", "单位详细名称", "企业"), example="示范机械有限公司"
        ),
        FieldSpec(
            "period", "报告期", ("期别", "统计期", "年月", "报告期别", "时期"), example="2022-09"
        ),
        *_flow_fields(),
        *_b203_fields(),
        FieldSpec("correction", "更正标记", ("更正", "是否更正"), example="", choices=("是", "否")),
    ]

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.enterprise_submission = self.submit_only_user
        self.parks = {p.pk: p for p in Park.objects.all()}
        self.unit_warned = False
        self._periods: dict[Any, Period] = {}
        self._specs_key: tuple[int, int] | None = None
        self._specs: list[tuple[str, bool, str | None, str]] = []
        self._audit_keys: list[tuple[str, str]] = []
        self._rules: tuple[
            tuple[str, ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]
        ] = ((), (), ())
        self._table_unit: str | None = None
        self._figure_names: tuple[str, ...] = ()
        self._plain_units = True
        # The figures of a row, as their shortest text joined by ",", that fit every figure
        # column as they are (few enough integer digits and decimals, no exponent): the fast
        # path below checks that with one regular expression at C speed. None: no fast path.
        self._fast_text: re.Pattern[str] | None = None
        # Kept across chunks: keys only.
        self.record: Any = None
        self.seen: dict[tuple[str, int, int], int] = {}  # (code, year, month) → first row
        self.seen_ids: set[int] = set()  # stored reports the file matched
        self.new_codes: dict[str, str] = {}  # unregistered enterprises: code → name
        self.created: dict[str, EnterpriseRef] = {}  # enterprises this import created
        self._stored_periods: dict[tuple[int, int], bool] = {}  # see `_period_stored`
        # Enterprises per slice in the file, for the 报送率 the period would have.
        self.slice_enterprises: dict[tuple[int, int, int], set[int]] = {}
        self.failed: set[str] = set()  # credit codes of rows that failed a check
        # Stored reports this import has rewritten (`_write`), per slice: they hold this
        # import's record id now, and `finish` counts them without reading them back.
        self.updated_n: dict[tuple[int, int, int], int] = {}
        self._new_noted: set[tuple[int, int, int]] = set()  # slices a new row was noted in

    # -- row validation (one row at a time) ----------------------------------------------------
    def clean(self, record: Any) -> ReportRow | None:
        v = record.values
        ok = True
        try:
            code = validate_uscc(v.get("credit_code"))
        except USCCError as exc:
            self.err(record, "credit_code", str(exc))
            return None
        name = str(v.get("name") or "").strip()
        period = self.ctx.period
        raw_period = v.get("period")
        if raw_period not in (None, ""):
            # A file repeats a handful of periods: parse each spelling once.
            period = self._periods.get(raw_period)
            if period is None:
                try:
                    period = parse_period(
                        raw_period, default_year=getattr(self.ctx.period, "year", None)
                    )
                    self._periods[raw_period] = period
                except PeriodError as exc:
                    self.err(record, "period", str(exc))
                    ok = False
        if period is None and ok:
            self.err(
                record, "period", "缺少报告期：请在“报告期”列填写（如 2022-09），或用 --period 指定"
            )
            ok = False
        specs, audit_keys = self._value_specs(v)
        unit = self._unit(record)
        values: dict[str, Decimal] = {}
        names = self._figure_names
        cells = [v[name_] for name_ in names]
        # The usual row — every figure a number, no column in another unit — converted at C
        # speed; anything else (text, blanks, errors, units to shift) takes the loop below.
        # A cell that might not fit its column (too large, too many decimals) takes the loop.
        # The text of a float is its shortest round-trip form (repr): the Decimal the slow
        # path makes of it too. One regular expression over all of them replaces a check
        # per cell of magnitude and decimals (`round` per cell was the dearest part; issue 16).
        fast = self._fast_text
        if (
            fast is not None
            and set(map(type, cells)) == _FLOAT_ONLY
            and fast.fullmatch(",".join(texts := list(map(str, cells))))
        ):
            values = dict(zip(names, map(Decimal, texts), strict=True))
            specs = ()
            # No figure below zero (the usual row): the rules against negatives hold.
            signed = min(cells) < 0
        else:
            signed = True
        for name_, money, stated, spec_unit in specs:
            cell = v[name_]
            try:
                # A numeric cell (the usual case) directly; text, blanks and errors are
                # parse_decimal's (thousands separators, full-width digits, "—" …).
                number = self.amount(record, name_, cell)
                if number is not None and stated and stated != unit:
                    # A column whose header states another unit (营业收入(万元) in a 千元
                    # table): stored in the row's unit, exactly (a decimal shift, no
                    # rounding) — and checked again, as stored.
                    number = self.fit(record, name_, convert(number, stated, unit), shown=cell)
            except NumberError as exc:
                self.err(
                    record,
                    name_,
                    f"{exc}：请填写数字（单位{(stated or unit) if money else spec_unit}）",
                )
                ok = False
                continue
            # Real forms write 0 as blank or "—" (DOMAIN.md §2): a present column means 0.
            if number is None:
                number = Decimal(0)
            values[name_] = number
        extra: dict[str, dict[str, str]] = {}
        for code_, key in audit_keys:
            try:
                number = self.amount(record, key, v[key])
            except NumberError as exc:
                self.err(record, key, str(exc))
                ok = False
                continue
            if number is not None:
                extra[code_] = {"ytd": str(number)}
        correction = str(v.get("correction") or "").strip() in {"是", "1", "Y", "更正"}
        if not ok:
            self.failed.add(code)
            return None
        # The reader's record locates messages; only one chunk of rows is ever held.
        row = ReportRow(record, code, name, period, values, unit, extra, correction)
        self._audit(row, signed=signed)
        return row

    def _value_specs(
        self, values: dict[str, Any]
    ) -> tuple[list[tuple[str, bool, str | None, str]], list[tuple[str, str]]]:
        """The figure columns this file carries (absent columns have no figure) as (field,
        is money, unit stated in its header, form unit), and the B203 audit rows it carries;
        worked out once per sheet, not per row."""
        # Every record of a table has the same fields; a new table (sheet) may differ.
        key = (self.ctx.layout_serial, len(values))
        if self._specs_key != key:
            skip = {"credit_code", "name", "period", "correction"}
            stated_units = self.ctx.column_units
            self._specs = []
            for f in self.fields:
                if f.name not in values or f.name in skip or f.name.startswith("x"):
                    continue
                money = f.unit == "千元"
                stated = stated_units.get(f.name) if money else None
                self._specs.append(
                    (f.name, money, stated if stated in AMOUNT_UNITS else None, f.unit)
                )
            self._audit_keys = [
                (code, f"x{code}") for code, _ in AUDIT_ROWS if f"x{code}" in values
            ]
            self._figure_names = tuple(spec[0] for spec in self._specs)
            limits = [self.limits(name) for name in self._figure_names]
            known = [lim for lim in limits if lim is not None]
            # No column states a unit of its own: nothing to shift between units.
            self._plain_units = all(stated is None for _, _, stated, _ in self._specs)
            self._fast_text = None
            if known and len(known) == len(limits) and self._plain_units:
                digits = min(lim.integer_digits for lim in known)
                places = min(lim.decimal_places for lim in known)
                if digits > 0:
                    one = rf"-?\d{{1,{digits}}}" + (rf"\.\d{{1,{places}}}" if places else r"\.0")
                    self._fast_text = re.compile(rf"{one}(?:,{one})*")
            # The audit rules that can apply to this table (their columns are present).
            self._rules = (
                tuple(k for k in _NON_NEGATIVE_KEYS if k in values),
                tuple(p for p in _SALES_EXPORT_KEYS if p[0] in values and p[1] in values),
                tuple(p for p in _MONTH_YTD_KEYS if p[0] in values and p[1] in values),
            )
            unit = self.ctx.unit
            self._table_unit = (
                unit if unit in AMOUNT_UNITS else (detect_unit(unit) if unit else None)
            )
            self._specs_key = key
        return self._specs, self._audit_keys

    def _unit(self, record: Any) -> str:
        if self._table_unit in AMOUNT_UNITS:
            return self._table_unit  # type: ignore[return-value]
        if any(u in AMOUNT_UNITS for u in self.ctx.column_units.values()):
            return "千元"  # headers state mixed units: each column is converted to 千元
        if not self.unit_warned:
            self.ctx.warning(
                "文件未注明金额单位（表头或“单位：千元”行），按报表制度单位“千元”读取",
                sheet=record.sheet,
            )
            self.unit_warned = True
        return "千元"

    def _audit(self, row: ReportRow, *, signed: bool = True) -> None:
        """The forms' audit rules, applied when the file carries their rows (DECISIONS.md).
        `signed` False: the caller saw no figure below zero, so none is checked for it."""
        v = row.values
        r = row.record
        non_negative, sales_export, month_ytd = self._rules
        for key in non_negative if signed else ():
            value = v.get(key)
            if value is not None and value < 0:
                self.err(r, key, f"{self._label(key)}不能为负数")
        for sales_key, export_key in sales_export:
            sales, export = v.get(sales_key), v.get(export_key)
            if sales is not None and export is not None and export > sales:
                self.err(
                    r,
                    export_key,
                    f"审核关系不符：工业销售产值(03) {n(sales)} 应大于等于 其中:出口交货值(04) {n(export)}",
                )
        for month_key, ytd_key in month_ytd:
            m, y = v.get(month_key), v.get(ytd_key)
            if m is not None and y is not None and m > y and m >= 0:
                self.err(
                    r,
                    month_key,
                    f"{self._label(month_key)} {n(m)} 大于 1-本月累计 {n(y)}：请核对",
                )
        if not row.extra:
            return
        x = {k: Decimal(d["ytd"]) for k, d in row.extra.items()}
        profit = v.get("profit_ytd")
        if profit is not None and {"323", "325", "326"} <= x.keys():
            expected = x["323"] + x["325"] - x["326"]
            if abs(profit - expected) > 1:
                self.err(
                    r,
                    "profit_ytd",
                    f"审核关系不符：利润总额(327) {n(profit)} 应等于 营业利润(323)+营业外收入(325)-营业外支出(326) = {n(expected)}",
                )
        if {"205", "206"} <= x.keys() and x["205"] < x["206"]:
            self.err(
                r,
                "x206",
                f"审核关系不符：存货(205) {x['205']} 应大于等于 其中:产成品(206) {x['206']}",
            )
        if {"213", "201"} <= x.keys() and not x["213"] > x["201"]:
            self.err(
                r,
                "x213",
                f"审核关系不符：资产总计(213) {x['213']} 应大于 流动资产合计(201) {x['201']}",
            )
        if {"201", "202", "205"} <= x.keys() and x["201"] < x["202"] + x["205"]:
            self.err(
                r, "x201", "审核关系不符：流动资产合计(201) 应大于等于 应收账款(202)+存货(205)"
            )

    def _label(self, name: str) -> str:
        spec = next((f for f in self.fields if f.name == name), None)
        return spec.label if spec else name

    # -- chunks: across the file and against the database -------------------------------------
    def begin(self, preview: Preview, record: Any) -> None:
        self.record = record

    def feed(self, rows: list[ReportRow], preview: Preview, *, write: bool) -> None:
        settle(connection)  # the previous chunk's COPY, if still running (`_write`)
        rows = self._resolve(rows)
        self.note_slices({(r.park.id, r.period.year, r.period.month) for r in rows})
        stored = self._stored(rows)
        create: list[ReportRow] = []
        update: list[EnterpriseReport] = []
        changed_fields: set[str] = set()
        # Checks first: comparing below updates the stored instances in place, and a row's
        # previous month may be another row of this chunk.
        # (Nothing stored to compare with — a first import of the period — checks nothing.)
        for row in rows if stored else ():
            self._check_consistency(row, stored)
        by_slice = self.slice_enterprises
        new_noted = self._new_noted
        for row in rows:
            p = row.period
            ent = row.enterprise
            current = stored.get((ent.pk, p.year, p.month)) if ent else None
            key = (row.park.id, p.year, p.month)
            if ent is not None:
                held = by_slice.get(key)
                if held is None:
                    held = by_slice[key] = set()
                held.add(ent.pk)
            if current is None:
                preview.new += 1
                # A new row's check of its slice (lock) gives the same answer for every row
                # of the slice once asked: asked once per slice.
                if key not in new_noted:
                    self.slice_change(key)
                    new_noted.add(key)
                create.append(row)
                if preview.wants_sample("new"):
                    shown = [(self._label(k), "", v) for k, v in row.values.items() if v]
                    preview.add_sample("new", self._row_label(row), shown[:3], **self._at(row))
                continue
            self.seen_ids.add(current.pk)
            if self._differs(current, row):
                preview.changed += 1
                self.slice_change(key, existing=True, record=row.record, label=self._row_label(row))
                if preview.wants_sample("changed"):
                    diff = self._diff(current, row)
                    preview.add_sample("changed", self._row_label(row), diff, **self._at(row))
                update.append(self._updated(current, row))
                changed_fields |= row.values.keys()
            else:
                preview.unchanged += 1
        # Write only while the whole file so far is clean: after the first error the rest is
        # still checked (every problem in one pass) and the transaction is rolled back.
        if write and not self.ctx.has_errors:
            self._write(create, update, changed_fields)
            for obj in update:
                key = (obj.park_id, obj.year, obj.month)
                self.updated_n[key] = self.updated_n.get(key, 0) + 1

    def finish(self, preview: Preview, *, write: bool) -> None:
        settle(connection)  # the last chunk's COPY (`_write`)
        unnamed = len(self.new_codes) - NEW_ENTERPRISES_NAMED
        if unnamed > 0 and self.ctx.park is not None:
            self.ctx.warning(
                f"另有 {unnamed} 家企业尚未登记（共 {len(self.new_codes)} 家），"
                f"导入时将一并在园区“{self.ctx.park.name}”中新建"
            )
        delete_ids: list[int] = []
        deleted: dict[tuple[int, int, int], int] = {}
        stored_n: dict[tuple[int, int, int], int] = {}
        gone_enterprises: dict[tuple[int, int, int], set[int]] = {}
        if self.replacing:
            # Enterprises whose row is in the file but failed a check are not "missing from
            # the file": their stored rows are not counted (or shown) as deleted.
            failed: set[int] = set()
            codes = sorted(self.failed)
            for start in range(0, len(codes), 900):
                failed.update(
                    Enterprise.objects.filter(
                        credit_code__in=codes[start : start + 900]
                    ).values_list("id", flat=True)
                )
            record_id = self.record.pk if self.record is not None else None
            for key in sorted(self.slice_keys):
                park_id, year, month = key
                # The rows stored before this import: those it did not write, and those it
                # matched and updated (a commit has already written its chunks). Only the
                # former are read back: the rows this import wrote (a first import of a
                # period: all of them) are left in the database, and the updated ones —
                # all matched, so never deleted — are counted (`updated_n`) (issue 16).
                qs = EnterpriseReport.objects.filter(park_id=park_id, year=year, month=month)
                if record_id is not None:
                    qs = qs.exclude(import_record_id=record_id)
                stored = list(qs.values_list("id", "enterprise_id"))
                stored_n[key] = len(stored) + self.updated_n.get(key, 0)
                gone = [(i, e) for i, e in stored if i not in self.seen_ids and e not in failed]
                if gone:
                    self.slice_change(key, existing=True)
                    deleted[key] = len(gone)
                    gone_enterprises[key] = {e for _, e in gone}
                delete_ids.extend(i for i, _ in gone)
        preview.deleted = len(delete_ids)
        self.guard_deletions(preview, deleted, stored_n)
        gone_rows = (
            EnterpriseReport.objects.filter(pk__in=delete_ids[:20])
            .select_related("enterprise")
            .order_by("enterprise__credit_code")
        )
        for r in gone_rows:
            e = r.enterprise
            self.sample_deleted(
                preview,
                f"{e.name}（{e.credit_code}）{r.year}-{r.month:02d}",
                [(self._label("output_ytd"), r.output_ytd, "")],
            )
        preview.slices = sorted(
            f"{self.parks[p].code} {y}-{m:02d}" for p, y, m in self.slice_keys if p in self.parks
        )
        writes = (
            write
            and not self.ctx.has_errors
            and bool(preview.new or preview.changed or preview.deleted)
        )
        if writes:
            for start in range(0, len(delete_ids), 900):
                EnterpriseReport.objects.filter(pk__in=delete_ids[start : start + 900]).delete()
        if not self.enterprise_submission:
            preview.checks["reporting"] = (
                # Every chunk written and the replaced rows deleted: the database holds
                # what the period will hold, and counts it (issue 16).
                self._reporting_stored()
                if writes and connection.vendor == "postgresql"
                else self._reporting(gone_enterprises)
            )
        if writes:
            self.slices_commit(self.record)

    # Slices whose 报送率 the preview shows (the latest ones when a file holds many months).
    REPORTING_SLICES = 12

    def _reporting_keys(self) -> list[tuple[int, int, int]]:
        keys = sorted(self.slice_keys, key=lambda k: (k[1], k[2], k[0]))[-self.REPORTING_SLICES :]
        return sorted(k for k in keys if k[0] in self.parks)

    @staticmethod
    def _reporting_entry(park: Park, period: Period, rate: Any) -> dict[str, Any]:
        return {
            "park": park.code,
            "park_name": park.name,
            "period": str(period),
            "expected": rate.expected,
            "reported": rate.reported,
            "rate": rate.rate_text,
            "basis": rate.basis,
            "sentence": rate.sentence(),
            "missing": [{"credit_code": m.credit_code, "name": m.name} for m in rate.missing[:50]],
            "missing_count": rate.missing_count,
        }

    def _reporting_stored(self) -> list[dict[str, Any]]:
        """`_reporting` once the import's rows are in the database (PostgreSQL's one pass, no
        error): the same figures, counted by the database (`selectors.reporting_counts`)
        instead of every reporter's id read into Python."""
        from yuanqu.economy.selectors import ReportingRate, reporting_counts

        out: list[dict[str, Any]] = []
        for park_id, year, month in self._reporting_keys():
            park, period = self.parks[park_id], Period(year, month)
            c = reporting_counts(park_id=park_id, period=period, named=50)
            rate = ReportingRate(
                park=park,
                period=period,
                expected=c.expected,
                reported=c.reported,
                rate=Decimal(c.reported) * 100 / Decimal(c.expected) if c.expected else None,
                missing=c.missing,
                basis=c.basis,
                extra=c.extra,
                missing_count=c.missing_count,
            )
            out.append(self._reporting_entry(park, period, rate))
        return out

    def _reporting(self, gone: dict[tuple[int, int, int], set[int]]) -> list[dict[str, Any]]:
        """报送率 each slice of the file would have after this import, with the missing."""
        from yuanqu.economy.selectors import reporting_rate

        out: list[dict[str, Any]] = []
        for key in self._reporting_keys():
            park_id, year, month = key
            park = self.parks[park_id]
            after = set(
                EnterpriseReport.objects.filter(
                    park_id=park_id, year=year, month=month
                ).values_list("enterprise_id", flat=True)
            )
            after = (after - gone.get(key, set())) | self.slice_enterprises.get(key, set())
            period = Period(year, month)
            rate = reporting_rate(park=park, period=period, reported_ids=after)
            out.append(self._reporting_entry(park, period, rate))
        return out

    def _resolve(self, rows: list[ReportRow]) -> list[ReportRow]:
        """Duplicates inside the file, and each row's enterprise and park (or an error)."""
        codes: list[Any] = list({r.credit_code for r in rows} - self.created.keys())
        where, params = _codes_in(codes)
        sql = f"SELECT credit_code, id, park_id, name FROM {_table(Enterprise)} WHERE {where}"
        if self.enterprise_submission:
            sql += " AND id = %s"
            params.append(self.ctx.user.enterprise_id)
        known: dict[str, Any] = {
            code: (pk, park_id, name)
            for code, pk, park_id, name in (_fetch(sql, params) if codes else ())
        }
        known.update(self.created)
        park = self.ctx.park
        good: list[ReportRow] = []
        for row in rows:
            code, p = row.credit_code, row.period
            key = (code, p.year, p.month)
            first = self.seen.get(key)
            if first is not None:
                self.err(
                    row.record,
                    "credit_code",
                    f"企业“{code}”的 {p} 报表在文件中重复（第{first}行已出现）：请删除重复行",
                )
                continue
            self.seen[key] = row.record.row
            ent = known.get(code)
            if ent.__class__ is tuple:
                pk, park_id, ent_name = ent
                ent = EnterpriseRef(pk, park_id, ent_name, self.parks[park_id])
            if ent is None:
                if self.enterprise_submission:
                    self.err(
                        row.record,
                        "credit_code",
                        f"只能填报本企业的数据；“{code}”不是本账号绑定的企业",
                    )
                    continue
                if park is None:
                    self.err(
                        row.record,
                        "credit_code",
                        f"统一社会信用代码“{code}”的企业尚未登记：请先导入企业名录，或用 --park 指定园区以自动新建",
                    )
                    continue
                if code not in self.new_codes:
                    # Named one by one for the first few; a first import of a whole park
                    # would otherwise bury real warnings under thousands of these.
                    if len(self.new_codes) < NEW_ENTERPRISES_NAMED:
                        self.warn(
                            row.record,
                            "credit_code",
                            f"企业“{row.name or code}”尚未登记，导入时将在园区“{park.name}”中新建",
                        )
                    self.new_codes[code] = row.name or code
                row.park = park
            else:
                if park is not None and ent.park_id != park.pk:
                    self.err(
                        row.record,
                        "credit_code",
                        f"企业“{ent.name}”属于园区“{ent.park.name}”，不属于 --park 指定的“{park.name}”",
                    )
                    continue
                row.enterprise, row.park = ent, ent.park
            good.append(row)
        return good

    def _stored(self, rows: list[ReportRow]) -> dict[tuple[int, int, int], EnterpriseReport]:
        """Stored reports of this chunk's enterprises: the same month (to compare), the
        previous month and the same month last year (YTD and outlier checks).

        Rows written by this import are left out, so later chunks are checked against the
        database as it was before the import (as a dry run sees it).
        """
        ids = list({row.enterprise.pk for row in rows if row.enterprise is not None})
        if not ids:
            return {}
        periods = {
            pair
            for row in rows
            for pair in (
                (row.period.year, row.period.month),
                (row.period.year, row.period.month - 1),
                (row.period.year - 1, row.period.month),
            )
        }
        if not any(self._period_stored(y, m) for y, m in periods):
            return {}  # a first import of these months: nothing stored to compare with
        years = list({y for y, _ in periods})
        months = list({m for _, m in periods})
        params: list[Any] = []
        where = []
        for column, values in (("enterprise_id", ids), ("year", years), ("month", months)):
            clause, bound = _keys_in(column, values)
            where.append(clause)
            params += bound
        sql = f"SELECT * FROM {_table(EnterpriseReport)} WHERE {' AND '.join(where)}"
        if self.record is not None and self.record.pk:
            sql += " AND (import_record_id IS NULL OR import_record_id <> %s)"
            params.append(self.record.pk)
        stored = list(EnterpriseReport.objects.raw(sql, params))
        if not stored:  # a first import: nothing to compare with (checked without a key set)
            return {}
        wanted: set[tuple[int, int, int]] = set()
        for row in rows:
            if row.enterprise is None:
                continue
            eid, p = row.enterprise.pk, row.period
            wanted.add((eid, p.year, p.month))
            if p.month > 2:
                wanted.add((eid, p.year, p.month - 1))
            wanted.add((eid, p.year - 1, p.month))
        found = {}
        for r in stored:
            key = (r.enterprise_id, r.year, r.month)
            if key in wanted:
                found[key] = r
        return found

    def _period_stored(self, year: int, month: int) -> bool:
        """Whether any report of (year, month) was stored before this import; asked once.

        Skipping the chunk lookups for months nobody has reported keeps a first import of a
        large file linear: the table grows inside the transaction, and a database whose
        statistics predate it may plan each lookup as a scan of everything written so far.
        """
        key = (year, month)
        known = self._stored_periods.get(key)
        if known is None:
            qs = EnterpriseReport.objects.filter(year=year, month=month)
            if self.record is not None and self.record.pk:
                qs = qs.exclude(import_record=self.record)
            known = self._stored_periods[key] = qs.exists()
        return known

    def _check_consistency(self, row: ReportRow, stored: dict) -> None:
        if row.enterprise is None:
            return
        p = row.period
        unit = row.unit
        prev = stored.get((row.enterprise.pk, p.year, p.month - 1)) if p.month > 2 else None
        if prev is not None and not row.correction:
            for prefix in NON_NEGATIVE:
                key = f"{prefix}_ytd"
                now = row.values.get(key)
                before = getattr(prev, key)
                if now is None or before is None:
                    continue
                now_w, before_w = _in(now, unit), _in(before, prev.unit)
                if now_w < before_w:
                    self.err(
                        row.record,
                        key,
                        f"{self._label(key)} {n(now)} 小于上月已入库的累计值 {n(before)}（{prev.unit}）："
                        "累计值不应下降；如确为更正，请在“更正标记”列填“是”",
                    )
        # A 10× or 1000× jump against the enterprise's own last figures smells of 千元/万元.
        ref = prev or stored.get((row.enterprise.pk, p.year - 1, p.month))
        if ref is not None:
            now = row.values.get("output_ytd")
            before = ref.output_ytd
            if now and before and now > 0 and before > 0:
                ratio = _in(now, unit) / _in(before, ref.unit)
                if ratio >= 8 or ratio <= Decimal("0.125"):
                    self.warn(
                        row.record,
                        "output_ytd",
                        f"工业总产值 {n(now)}（{unit}）是该企业 {ref.year}-{ref.month:02d} 已入库数的 "
                        f"{ratio.quantize(Decimal('0.1'))} 倍，疑似单位错误（千元/万元）：请核对",
                    )

    @staticmethod
    def _differs(current: EnterpriseReport, row: ReportRow) -> bool:
        if current.unit != row.unit or current.correction != row.correction:
            return True
        for key, value in row.values.items():
            if getattr(current, key) != value:
                return True
        return (current.extra or {}) != row.extra and bool(row.extra or current.extra)

    @staticmethod
    def _row_label(row: ReportRow) -> str:
        name = row.name or (row.enterprise.name if row.enterprise else "")
        return f"{name}（{row.credit_code}）{row.period}"

    @staticmethod
    def _at(row: ReportRow) -> dict[str, Any]:
        return {"sheet": row.record.sheet, "row": row.record.row}

    def _diff(self, current: EnterpriseReport, row: ReportRow) -> list[tuple[str, Any, Any]]:
        diff: list[tuple[str, Any, Any]] = []
        if current.unit != row.unit:
            diff.append(("金额单位", current.unit, row.unit))
        for key, value in row.values.items():
            before = getattr(current, key)
            if before != value:
                diff.append((self._label(key), before, value))
        if current.correction != row.correction:
            diff.append(("更正标记", current.correction, row.correction))
        if row.extra and (current.extra or {}) != row.extra:
            diff.append(("其他财务指标(B203)", "", "已更新"))
        return diff

    def _updated(self, current: EnterpriseReport, row: ReportRow) -> EnterpriseReport:
        for key, value in row.values.items():
            setattr(current, key, value)
        current.unit = row.unit
        current.extra = row.extra or current.extra
        current.correction = row.correction
        current.import_record = self.record
        return current

    def _write(
        self, create: list[ReportRow], update: list[EnterpriseReport], changed_fields: set[str]
    ) -> None:
        missing = {r.credit_code: r.park for r in create if r.enterprise is None}
        if missing:
            made = enterprises_create_many(
                rows=[
                    {"credit_code": c, "name": self.new_codes[c], "park": p}
                    for c, p in missing.items()
                ]
            )
            for e in made:
                self.created[e.credit_code] = EnterpriseRef(
                    e.pk, e.park_id, e.name, self.parks[e.park_id]
                )
            for row in create:
                if row.enterprise is None:
                    row.enterprise = self.created[row.credit_code]
        if update:
            names = sorted({"unit", "extra", "correction", "import_record", *changed_fields})
            # One prepared UPDATE (`update_rows`): bulk_update's CASE WHEN per field grows
            # with the batch squared on SQLite, inside the import's write transaction.
            attnames = [EnterpriseReport._meta.get_field(n).attname for n in names]
            update_rows(
                EnterpriseReport,
                names,
                ([*(getattr(obj, a) for a in attnames), obj.pk] for obj in update),
            )
        # New rows go through one prepared INSERT (`insert_rows`): bulk_create's per-value
        # preparation would be most of the import's time. Grouped by the figure columns the
        # rows carry (one group unless sheets differ); absent figures stay empty (NULL).
        groups: dict[tuple[str, ...], list[ReportRow]] = {}
        for row in create:
            groups.setdefault(tuple(row.values), []).append(row)
        record_id = self.record.pk
        # The usual chunk (one group) is stored behind, last (PostgreSQL: a thread runs the
        # COPY while the engine reads and checks the next chunk; `feed` and `finish` settle it).
        # Their foreign keys are checked with each COPY, not at the commit: nobody locks an
        # enterprise, a park or an import record FOR UPDATE (a claim is FOR NO KEY UPDATE).
        behind = ("enterprise", "park", "import_record") if len(groups) == 1 else None
        for names, group in groups.items():
            insert_rows(
                EnterpriseReport,
                (*REPORT_KEY_FIELDS, *names),
                (
                    (
                        row.enterprise.pk,
                        row.park.id,
                        row.period.year,
                        row.period.month,
                        row.unit,
                        row.extra,
                        row.correction,
                        record_id,
                        *row.values.values(),
                    )
                    for row in group
                ),
                behind=behind,
            )


# Two lookups run once per 5,000-row chunk with thousands of keys each: as plain SQL they
# skip the ORM's per-value preparation of IN lists (a fifth of an import's time otherwise).
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _keys_in(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column IN (…)` for a chunk's keys, with its parameters. On PostgreSQL one array
    parameter (`= ANY(%s)`): psycopg splits a query client-side at every placeholder, which
    for thousands of keys per chunk cost more than the lookup itself (issue 16)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _codes_in(codes: list[str]) -> tuple[str, list[Any]]:
    """`_keys_in` for validated credit codes: on PostgreSQL one text split by the server —
    psycopg's array dumper checks every element for quoting in Python (≈ 1 µs a code). A
    code passed `validate_uscc`, so it holds only GB 32100's characters, never a comma."""
    if connection.vendor == "postgresql":
        return "credit_code = ANY(string_to_array(%s, ','))", [",".join(codes)]
    return _keys_in("credit_code", codes)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if not params:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def n(value: Decimal) -> str:
    """A figure in a message as the user typed it: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _in(value: Decimal, unit: str) -> Decimal:
    """An amount in 千元, for comparing figures reported in different units."""
    factors = {
        "元": Decimal("0.001"),
        "千元": Decimal(1),
        "万元": Decimal(10),
        "亿元": Decimal(100000),
    }
    return value * factors.get(unit, Decimal(1))


# ---------------------------------------------------------------------------------------------
# Park indicators and targets
# ---------------------------------------------------------------------------------------------


def _indicator_lookup() -> dict[str, Indicator]:
    found = {}
    for ind in Indicator.objects.all():
        found[ind.code] = ind
        found[ind.name] = ind
    # Common short names used in bureau releases.
    aliases = {
        "固定资产投资": "fixed_asset_investment",
        "税收": "tax_total",
        "全口径税收收入": "tax_total",
        "一般公共预算收入": "budget_revenue",
        "工业增加值增速": "industrial_va_growth",
        "规上工业增加值": "industrial_va_growth",
        "实际利用外资": "fdi_actual",
        "工业总产值": "industrial_output",
    }
    for alias, code in aliases.items():
        if code in found:
            found.setdefault(alias, found[code])
    return found


class _ParkMixin:
    ctx: Any

    def _park(self, record: Any, value: Any) -> Park | None:
        code = str(value or "").strip().upper()
        chosen = self.ctx.park
        if chosen is not None:
            if code and code != chosen.code:
                # Another park's row in a file imported into this park: a mix-up to fix.
                self.err(  # type: ignore[attr-defined]
                    record,
                    "park",
                    f"本行园区代码“{code}”与所选园区“{chosen.code} {chosen.name}”不一致："
                    "请删除该行或改正园区代码（导入只能写入所选园区）",
                )
                return None
            return chosen
        park = self.parks.get(code)  # type: ignore[attr-defined]
        if park is None:
            self.err(
                record,
                "park",  # type: ignore[attr-defined]
                f"园区代码“{code}”不存在：请填写已登记的园区代码，或用 --park 指定"
                if code
                else "未指定园区：请在“园区代码”列填写，或用 --park 指定",
            )
        return park


@dataclass
class IndicatorValueRow:
    record: Any
    park: Park
    indicator: Indicator
    period: Period
    basis: str
    value: Decimal | None
    month_value: Decimal | None
    yoy_pct: Decimal | None
    note: str


@register
class ParkIndicatorImporter(_ParkMixin, PeriodSliceImporter):
    """Park figures released by other bureaux, with their released growth rate."""

    kind = "park-indicators"
    label = "园区指标（部门发布数）"
    model = ParkIndicatorValue
    slice_model = ParkIndicatorValue
    slice_label = "园区指标"
    fields = [
        FieldSpec("park", "园区代码", ("园区",), example="DEMO"),
        FieldSpec(
            "indicator",
            "指标",
            ("指标代码", "指标名称"),
            required=True,
            example="全社会固定资产投资",
            choices=(
                "全社会固定资产投资",
                "全口径税收",
                "一般公共预算收入",
                "规上工业增加值增速",
                "实际使用外资",
            ),
        ),
        FieldSpec("period", "报告期", ("期别", "时期", "年月"), example="2022-09"),
        FieldSpec(
            "value",
            "1-本月累计",
            ("累计值", "本年累计", "1-本月", "数值", "累计"),
            required=True,
            example="256000",
        ),
        FieldSpec("month_value", "本月", ("本月值", "当月")),
        FieldSpec(
            "yoy_pct",
            "增速(%)",
            ("同比增长(%)", "增速", "同比(%)", "增长(%)", "累计增速(%)"),
            example="12.5",
        ),
        FieldSpec("unit", "单位", ("计量单位",), example="万元"),
        FieldSpec("basis", "口径", (), example="统计数", choices=("统计数", "调度数")),
        FieldSpec("note", "备注", ("说明",)),
    ]
    BASIS = {
        "统计数": ParkIndicatorValue.Basis.STATISTICS,
        "调度数": ParkIndicatorValue.Basis.DISPATCH,
        "": ParkIndicatorValue.Basis.STATISTICS,
    }

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.indicators = _indicator_lookup()
        self.parks = {p.code: p for p in Park.objects.all()} if ctx.park is None else {}

    def clean(self, record: Any) -> IndicatorValueRow | None:
        v = record.values
        park = self._park(record, v.get("park"))
        ind_text = str(v.get("indicator") or "").strip()
        indicator = self.indicators.get(ind_text)
        if indicator is None:
            self.err(
                record,
                "indicator",
                f"未知指标“{ind_text}”：可填指标代码或名称，如 全社会固定资产投资、全口径税收",
            )
        elif indicator.source != Indicator.Source.ENTERED:
            self.err(
                record,
                "indicator",
                f"“{indicator.name}”由企业报表汇总计算，不能直接录入；请导入企业月度报表",
            )
            indicator = None
        period = self.ctx.period
        if v.get("period") not in (None, ""):
            try:
                period = parse_period(v.get("period"))
            except PeriodError as exc:
                self.err(record, "period", str(exc))
                period = None
        if period is None:
            self.err(record, "period", "缺少报告期：请填写（如 2022-09）或用 --period 指定")
        numbers = {}
        for key in ("value", "month_value", "yoy_pct"):
            try:
                numbers[key] = self.amount(record, key, v.get(key))
            except NumberError as exc:
                self.err(record, key, str(exc))
                numbers[key] = None
                indicator = None
        basis = self.BASIS.get(str(v.get("basis") or "").strip())
        if basis is None:
            self.err(record, "basis", "口径只能填“统计数”或“调度数”")
        if park is None or indicator is None or period is None or basis is None:
            return None
        unit = str(v.get("unit") or "").strip() or self.ctx.unit or indicator.unit
        unit = detect_unit(unit) or unit
        value, month_value = numbers["value"], numbers["month_value"]
        if unit != indicator.unit:
            if unit in AMOUNT_UNITS and indicator.unit in AMOUNT_UNITS:
                from yuanqu.core.wording import convert_amount

                value = convert_amount(value, unit, indicator.unit) if value is not None else None
                month_value = (
                    convert_amount(month_value, unit, indicator.unit)
                    if month_value is not None
                    else None
                )
            elif not (indicator.unit == "%" and unit in {"%", ""}):
                self.err(
                    record,
                    "unit",
                    f"单位“{unit}”与指标“{indicator.name}”的单位“{indicator.unit}”不符",
                )
                return None
            # Converted to the dictionary's unit: the stored value must fit as well.
            try:
                value = None if value is None else self.fit(record, "value", value)
                month_value = (
                    None if month_value is None else self.fit(record, "month_value", month_value)
                )
            except NumberError as exc:
                self.err(record, "value", f"换算为{indicator.unit}后，{exc}")
                return None
        if value is None:
            self.err(record, "value", "累计值为空")
            return None
        return IndicatorValueRow(
            record,
            park,
            indicator,
            period,
            basis,
            value,
            month_value,
            numbers["yoy_pct"],
            str(v.get("note") or "").strip(),
        )

    def check_all(self, rows: list[IndicatorValueRow]) -> None:
        seen: dict[tuple, int] = {}
        for row in rows:
            key = (row.park.pk, row.indicator.pk, row.period, row.basis)
            if key in seen:
                self.err(
                    row.record,
                    "indicator",
                    f"“{row.indicator.name}” {row.period} 在文件中重复（第{seen[key]}行已出现）",
                )
            seen[key] = row.record.row

    def plan(self, rows: list[IndicatorValueRow], preview: Preview) -> Any:
        keys = {(r.park.pk, r.period.year, r.period.month) for r in rows}
        existing = {}
        for r in ParkIndicatorValue.objects.filter(
            park_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
        ).select_related("park", "indicator"):
            if (r.park_id, r.year, r.month) in keys:
                existing[(r.park_id, r.indicator_id, r.year, r.month, r.basis)] = r
        pending, seen = [], set()
        labels = (("value", "累计值"), ("month_value", "当月值"), ("yoy_pct", "增速(%)"))
        for row in rows:
            key = (row.park.pk, row.indicator.pk, row.period.year, row.period.month, row.basis)
            current = existing.get(key)
            seen.add(key)
            where = {"sheet": row.record.sheet, "row": row.record.row}
            label = f"{row.park.code} {row.indicator.name} {row.period}"
            if current is None:
                preview.new += 1
                shown = [(t, "", getattr(row, f)) for f, t in labels if getattr(row, f) is not None]
                preview.add_sample("new", label, shown, **where)
            elif (current.value, current.month_value, current.yoy_pct, current.note) != (
                row.value,
                row.month_value,
                row.yoy_pct,
                row.note,
            ):
                preview.changed += 1
                diff = [
                    (t, getattr(current, f), getattr(row, f))
                    for f, t in (*labels, ("note", "备注"))
                    if getattr(current, f) != getattr(row, f)
                ]
                preview.add_sample("changed", label, diff, **where)
            else:
                preview.unchanged += 1
                continue
            pending.append((row, current))
        self.note_slices(keys)
        for row, current in pending:
            self.slice_change(
                (row.park.pk, row.period.year, row.period.month),
                existing=current is not None,
                record=row.record,
                label=f"{row.indicator.name} {row.period}",
            )
        delete = []
        deleted: dict[tuple[int, int, int], int] = {}
        if self.replacing:
            gone = [obj for key, obj in existing.items() if key not in seen]
            delete = [obj.pk for obj in gone]
            preview.deleted = len(delete)
            for obj in gone:
                key = (obj.park_id, obj.year, obj.month)
                deleted[key] = deleted.get(key, 0) + 1
                self.slice_change(key, existing=True)
                self.sample_deleted(
                    preview,
                    f"{obj.park.code} {obj.indicator.name} "
                    + (f"{obj.year}-{obj.month:02d}" if obj.month else f"{obj.year}年"),
                    [("累计值", obj.value, "")],
                )
            stored: dict[tuple[int, int, int], int] = {}
            for _key, obj in existing.items():
                k = (obj.park_id, obj.year, obj.month)
                stored[k] = stored.get(k, 0) + 1
            self.guard_deletions(preview, deleted, stored)
        if self.ctx.has_errors:
            return None
        return {"pending": pending, "delete": delete}

    def apply(self, plan: Any, preview: Preview, record: Any) -> None:
        for row, current in plan["pending"]:
            obj = current or ParkIndicatorValue(
                park=row.park,
                indicator=row.indicator,
                year=row.period.year,
                month=row.period.month,
                basis=row.basis,
            )
            obj.value, obj.month_value, obj.yoy_pct, obj.note = (
                row.value,
                row.month_value,
                row.yoy_pct,
                row.note,
            )
            obj.import_record = record
            obj.save()
        ParkIndicatorValue.objects.filter(pk__in=plan["delete"]).delete()
        self.slices_commit(record)


@register
class TargetImporter(_ParkMixin, KeyedImporter):
    """Annual targets per park and indicator (a level in the indicator's unit, or a growth %)."""

    kind = "targets"
    write_area = "economy"
    label = "年度目标"
    model = Target
    key_label = "园区+指标+年度"
    fields = [
        FieldSpec("park", "园区代码", ("园区",), example="DEMO"),
        FieldSpec(
            "indicator", "指标", ("指标代码", "指标名称"), required=True, example="规上工业总产值"
        ),
        FieldSpec("year", "年度", ("年份",), required=True, example="2022"),
        FieldSpec("kind", "目标类型", ("类型",), example="总量", choices=("总量", "增速")),
        FieldSpec("value", "目标值", ("目标",), required=True, example="1000000"),
        FieldSpec("unit", "单位", (), example="万元"),
        FieldSpec("note", "备注", ()),
    ]

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.indicators = _indicator_lookup()
        self.parks = {p.code: p for p in Park.objects.all()} if ctx.park is None else {}

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        park = self._park(record, v.get("park"))
        indicator = self.indicators.get(str(v.get("indicator") or "").strip())
        if indicator is None:
            self.err(record, "indicator", f"未知指标“{v.get('indicator')}”")
        try:
            year = int(parse_amount(v.get("year")) or 0)
            if not 1990 <= year <= 2100:
                raise ValueError
        except (NumberError, ValueError):
            self.err(record, "year", "年度应为四位年份，如 2022")
            year = 0
        kind_text = str(v.get("kind") or "").strip()
        kind = {
            "总量": Target.Kind.LEVEL,
            "": Target.Kind.LEVEL,
            "增速": Target.Kind.GROWTH,
            "level": Target.Kind.LEVEL,
            "growth": Target.Kind.GROWTH,
        }.get(kind_text)
        if kind is None:
            self.err(record, "kind", "目标类型只能填“总量”或“增速”")
        try:
            value = self.amount(record, "value", v.get("value"))
            if value is None:
                self.err(record, "value", "目标值为空")
        except NumberError as exc:
            self.err(record, "value", str(exc))
            value = None
        if park is None or indicator is None or not year or kind is None or value is None:
            return None
        unit = detect_unit(str(v.get("unit") or "")) or str(v.get("unit") or "").strip()
        if kind == Target.Kind.LEVEL and unit and unit != indicator.unit:
            if unit in AMOUNT_UNITS and indicator.unit in AMOUNT_UNITS:
                from yuanqu.core.wording import convert_amount

                try:
                    value = self.fit(record, "value", convert_amount(value, unit, indicator.unit))
                except NumberError as exc:
                    self.err(record, "value", f"换算为{indicator.unit}后，{exc}")
                    return None
            else:
                self.err(record, "unit", f"单位“{unit}”与指标单位“{indicator.unit}”不符")
                return None
        return KeyedRow(
            key=f"{park.pk}:{indicator.pk}:{year}",
            record=record,
            values={"kind": kind, "value": value, "note": str(v.get("note") or "").strip()},
            extra={"park": park, "indicator": indicator, "year": year},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        parks = {int(k.split(":")[0]) for k in keys}
        return {
            f"{t.park_id}:{t.indicator_id}:{t.year}": t
            for t in Target.objects.filter(park_id__in=parks)
        }

    def build(self, row: KeyedRow) -> Target:
        return Target(**row.extra, **row.values)
