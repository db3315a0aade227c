"""Import kinds of 项目资金: `funds` (one row per fund and year), `fund-flows` (到位 and 支出 of
a fund in a month) and `fund-applications` (拟申报, by target year). Amounts in 万元 unless the
header or a units line says otherwise."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.funding.models import Fund, FundApplication, FundFlow, FundType
from yuanqu.imports.engine import FieldSpec, register
from yuanqu.imports.keyed import KeyedImporter, KeyedRow
from yuanqu.projects.importers import _AmountsMixin, _text
from yuanqu.projects.models import Project

TYPES = {label: value for value, label in FundType.choices}
TYPES.update({"专项债": FundType.SPECIAL_BOND, "政策性金融工具": FundType.POLICY_FINANCE})


class _FundingBase(_AmountsMixin, KeyedImporter):
    write_area = "funding"

    def park_or_error(self, record: Any, name: str) -> Any:
        if self.ctx.park is None:
            self.err(record, name, "未指定园区：请用 --park 指定，或在网页上选择园区")
        return self.ctx.park

    def year(self, record: Any, name: str) -> int | None:
        try:
            year = int(parse_amount(record.values.get(name)) or 0)
        except (NumberError, ValueError):
            year = 0
        if not 1990 <= year <= 2100:
            self.err(record, name, "年度应为四位年份，如 2022")
            return None
        return year

    def fund_type(self, record: Any, name: str) -> str | None:
        text = _text(record.values.get(name))
        if text not in TYPES:
            self.err(record, name, f"资金类型“{text}”不是可选值：{'、'.join(FundType.labels)}")
            return None
        return TYPES[text]

    def project(self, record: Any, name: str) -> Project | None:
        code = _text(record.values.get(name))
        if not code:
            return None
        found = Project.objects.filter(park=self.ctx.park, code=code).first()
        if found is None:
            self.err(record, name, f"项目编号“{code}”不存在：请先导入重点项目库")
        return found


@register
class FundImporter(_FundingBase):
    """项目资金台账: one fund per row (申报 and 下达 amounts)."""

    kind = "funds"
    label = "项目资金（申报与下达）"
    model = Fund
    key_label = "资金编号"
    fields = [
        FieldSpec("code", "资金编号", (), required=True, example="ZJ2022001"),
        FieldSpec("name", "资金名称", (), required=True, example="2022年新增专项债券"),
        FieldSpec(
            "fund_type",
            "资金类型",
            (),
            required=True,
            example="地方政府专项债券",
            choices=tuple(FundType.labels),
        ),
        FieldSpec("year", "年度", (), required=True, example="2022"),
        FieldSpec("project", "项目编号", ()),
        FieldSpec("applied", "申报金额", ("申请金额", "申请资金"), example="8000"),
        FieldSpec("approved", "下达金额", ("下达资金",), example="6000"),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "code") is None:
            return None
        code, name = _text(record.values.get("code")), _text(record.values.get("name"))
        fund_type = self.fund_type(record, "fund_type")
        year = self.year(record, "year")
        try:
            applied = self.wan(record, "applied") or Decimal(0)
            approved = self.wan(record, "approved") or Decimal(0)
        except NumberError:
            return None
        project = self.project(record, "project")
        if not code or not name:
            self.err(record, "code", "资金编号和资金名称不能为空")
            return None
        if fund_type is None or year is None:
            return None
        values = {
            "name": name,
            "fund_type": fund_type,
            "year": year,
            "applied": applied,
            "approved": approved,
            "project": project,
        }
        return KeyedRow(key=code, values=values, record=record)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {f.code: f for f in Fund.objects.filter(park=self.ctx.park, code__in=keys)}

    def build(self, row: KeyedRow) -> Fund:
        return Fund(park=self.ctx.park, code=row.key, **row.values)


@register
class FundFlowImporter(_FundingBase):
    """资金到位与支出: per fund and month, the month's 到位 and 支出."""

    kind = "fund-flows"
    label = "资金到位与支出（按月）"
    model = FundFlow
    key_label = "资金编号+月份"
    fields = [
        FieldSpec("code", "资金编号", (), required=True, example="ZJ2022001"),
        FieldSpec("period", "月份", ("报告期", "年月"), required=True, example="2022-06"),
        FieldSpec("received", "本月到位", ("到位金额", "到位资金"), example="6000"),
        FieldSpec("spent", "本月支出", ("支出金额", "已支出"), example="2000"),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "code") is None:
            return None
        code = _text(record.values.get("code"))
        fund = Fund.objects.filter(park=self.ctx.park, code=code).first()
        if fund is None:
            self.err(record, "code", f"资金编号“{code}”不存在：请先导入项目资金")
        try:
            period = parse_period(record.values.get("period"))
        except PeriodError as exc:
            self.err(record, "period", str(exc))
            period = None
        try:
            received = self.wan(record, "received") or Decimal(0)
            spent = self.wan(record, "spent") or Decimal(0)
        except NumberError:
            return None
        if fund is None or period is None:
            return None
        return KeyedRow(
            key=f"{fund.pk}:{period.year}:{period.month}",
            values={"received": received, "spent": spent},
            record=record,
            extra={"fund": fund, "year": period.year, "month": period.month},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        ids = {int(k.split(":")[0]) for k in keys}
        return {
            f"{f.fund_id}:{f.year}:{f.month}": f for f in FundFlow.objects.filter(fund_id__in=ids)
        }

    def build(self, row: KeyedRow) -> FundFlow:
        return FundFlow(**row.extra, **row.values)


@register
class ApplicationImporter(_FundingBase):
    """拟申报资金: applications prepared in a year for money in later years."""

    kind = "fund-applications"
    label = "拟申报资金项目"
    model = FundApplication
    key_label = "资金类型+申报年度+拟申报年度+项目名称"
    fields = [
        FieldSpec("project_name", "项目名称", (), required=True, example="示范园区标准厂房项目"),
        FieldSpec(
            "fund_type",
            "资金类型",
            (),
            required=True,
            example="地方政府专项债券",
            choices=tuple(FundType.labels),
        ),
        FieldSpec("declared_year", "申报年度", (), required=True, example="2022"),
        FieldSpec("target_year", "拟申报年度", ("资金年度",), required=True, example="2023"),
        FieldSpec(
            "amount", "拟申请资金", ("拟申请金额", "申请资金"), required=True, example="15000"
        ),
        FieldSpec("project", "项目编号", ()),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        park = self.park_or_error(record, "project_name")
        name = _text(record.values.get("project_name"))
        fund_type = self.fund_type(record, "fund_type")
        declared = self.year(record, "declared_year")
        target = self.year(record, "target_year")
        try:
            amount = self.wan(record, "amount")
        except NumberError:
            return None
        project = self.project(record, "project") if park else None
        if (
            park is None
            or not name
            or fund_type is None
            or declared is None
            or target is None
            or amount is None
        ):
            if not name:
                self.err(record, "project_name", "项目名称不能为空")
            return None
        return KeyedRow(
            key=f"{fund_type}:{declared}:{target}:{name}",
            values={"amount": amount, "project": project},
            record=record,
            extra={
                "fund_type": fund_type,
                "declared_year": declared,
                "target_year": target,
                "project_name": name,
            },
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {
            f"{a.fund_type}:{a.declared_year}:{a.target_year}:{a.project_name}": a
            for a in FundApplication.objects.filter(park=self.ctx.park)
        }

    def build(self, row: KeyedRow) -> FundApplication:
        return FundApplication(park=self.ctx.park, **row.extra, **row.values)
