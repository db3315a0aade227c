"""Import kinds of 招商引资: `leads` (the lead register: one row per lead, its current stage
with the date it was reached, signing date and 协议总投资) and `investment-funds` (到位资金 per
lead and month: 固定资产 and 流动资金, 万元).

A lead's amounts are in its currency's 万 (万元, or 万美元 for a USD lead, with the rate of the
signing date in 汇率). Each stage row adds to the lead's dated history (`services.lead_stage_set`);
a 签约日期 records the 签约 step as well.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports.engine import FieldSpec, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedPlan, KeyedRow
from yuanqu.investment import services
from yuanqu.investment.models import Lead, LeadFund, LeadStage, Origin
from yuanqu.land.importers import parse_date
from yuanqu.land.models import Parcel
from yuanqu.projects.importers import _AmountsMixin, _text
from yuanqu.projects.models import Project
from yuanqu.registry.models import Department, Enterprise, IndustryCluster

STAGES = {label: value for value, label in LeadStage.choices}
STAGES.update(
    {
        "意向": "intent",
        "储备": "intent",
        "在谈": "talks",
        "已签约": "signed",
        "已开工": "started",
        "已投产": "producing",
        "已终止": "terminated",
    }
)
ORIGINS = {label: value for value, label in Origin.choices}
CURRENCIES = {"人民币": "CNY", "CNY": "CNY", "元": "CNY", "美元": "USD", "USD": "USD", "": "CNY"}


class _InvestmentBase(_AmountsMixin, KeyedImporter):
    write_area = "investment"
    needs_park = True

    def park_or_error(self, record: Any, name: str) -> Any:
        if self.ctx.park is None:
            self.err(record, name, "未指定园区：请用 --park 指定，或在网页上选择园区")
        return self.ctx.park

    def date(self, record: Any, name: str) -> dt.date | None:
        try:
            return parse_date(record.values.get(name))
        except ValueError as exc:
            self.err(record, name, str(exc))
            return None

    def number(self, record: Any, name: str) -> Decimal | None:
        try:
            return self.amount(record, name, _text(record.values.get(name)) or None)
        except NumberError as exc:
            self.err(record, name, str(exc))
            raise


@register
class LeadImporter(_InvestmentBase):
    """招商项目台账: one lead per row."""

    kind = "leads"
    label = "招商项目（线索、意向、签约…）"
    model = Lead
    key_label = "项目编号"
    fields = [
        FieldSpec("code", "项目编号", ("招商项目编号",), required=True, example="ZS2022001"),
        FieldSpec("name", "项目名称", (), required=True, example="精密铸造智能工厂项目"),
        FieldSpec("investor", "投资方", ("投资主体",), example="某某集团有限公司"),
        FieldSpec(
            "origin", "投资方来源", ("来源地",), example="省外", choices=tuple(Origin.labels)
        ),
        FieldSpec("cluster", "产业集群", ("产业领域", "所属产业"), example="金属智造"),
        FieldSpec("currency", "币种", (), example="人民币", choices=("人民币", "美元")),
        FieldSpec("planned_investment", "计划总投资", ("总投资",), example="50000"),
        FieldSpec("usd_rate", "汇率", ("美元汇率",)),
        FieldSpec(
            "stage",
            "阶段",
            ("项目阶段", "进展阶段"),
            required=True,
            example="签约",
            choices=tuple(LeadStage.labels),
        ),
        FieldSpec("stage_date", "阶段日期", ("进入阶段日期",), example="2022/5/10"),
        FieldSpec("signed_on", "签约日期", (), example="2022/5/10"),
        FieldSpec("agreement_amount", "协议总投资", ("协议投资额", "合同总投资"), example="50000"),
        FieldSpec("terminated_reason", "终止原因", ()),
        FieldSpec("responsible_person", "责任人", (), example="张三"),
        FieldSpec("department", "责任部门", (), example="招商局"),
        FieldSpec("enterprise", "落地企业统一社会信用代码", ("企业统一社会信用代码",)),
        FieldSpec("project", "重点项目编号", ()),
        FieldSpec("parcel", "宗地编号", ()),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        if self.park_or_error(record, "code") is None:
            return None
        park = self.ctx.park
        code, name = _text(v.get("code")), _text(v.get("name"))
        if not code or not name:
            self.err(record, "code", "项目编号和项目名称不能为空")
            return None
        stage_text = _text(v.get("stage"))
        stage = STAGES.get(stage_text)
        if stage is None:
            self.err(
                record, "stage", f"阶段“{stage_text}”不是可选值：{'、'.join(LeadStage.labels)}"
            )
        currency = CURRENCIES.get(_text(v.get("currency")))
        if currency is None:
            self.err(record, "currency", "币种只能填“人民币”或“美元”")
        origin_text = _text(v.get("origin"))
        origin = ORIGINS.get(origin_text, "") if origin_text else ""
        if origin_text and not origin:
            self.err(
                record, "origin", f"投资方来源“{origin_text}”不是可选值：{'、'.join(Origin.labels)}"
            )
        try:
            planned = self.number(record, "planned_investment") or Decimal(0)
            agreed = self.number(record, "agreement_amount")
            rate = parse_amount(_text(v.get("usd_rate")) or None)
        except NumberError:
            return None
        signed_on = self.date(record, "signed_on")
        stage_date = self.date(record, "stage_date") or (signed_on if stage == "signed" else None)
        if stage is not None and stage != "clue" and stage_date is None:
            self.err(record, "stage_date", "请填写进入该阶段的日期（如 2022/5/10）")
            return None
        if currency == "USD" and (rate is None or rate <= 0):
            self.err(record, "usd_rate", "美元项目须填写签约日（或填报日）的汇率，如 6.7")
            return None
        cluster_name = _text(v.get("cluster"))
        cluster = None
        if cluster_name:
            cluster = IndustryCluster.objects.filter(park=park, name=cluster_name).first()
            if cluster is None:
                self.err(record, "cluster", f"产业集群“{cluster_name}”不在本园区的集群中")
                return None
        values: dict[str, Any] = {
            "name": name,
            "investor": _text(v.get("investor")),
            "origin": origin,
            "cluster": cluster,
            "currency": currency,
            "planned_investment": planned,
            "usd_rate": rate if currency == "USD" else None,
            "agreement_amount": agreed,
            "responsible_person": _text(v.get("responsible_person"))[:64],
        }
        if reason := _text(v.get("terminated_reason")):
            values["terminated_reason"] = reason[:255]
        dept_name = _text(v.get("department"))
        if dept_name:
            dept = Department.objects.filter(park=park, name=dept_name).first()
            if dept is None:
                self.err(record, "department", f"责任部门“{dept_name}”不是本园区的部门")
                return None
            values["department"] = dept
        for field, model, key, label in (
            ("enterprise", Enterprise, "credit_code", "企业统一社会信用代码"),
            ("project", Project, "code", "重点项目编号"),
            ("parcel", Parcel, "code", "宗地编号"),
        ):
            text = _text(v.get(field))
            if not text:
                continue
            found = model.objects.filter(park=park, **{key: text}).first()  # type: ignore[attr-defined]
            if found is None:
                self.err(record, field, f"{label}“{text}”在本园区不存在")
                return None
            values[field] = found
        if stage is None or currency is None or (origin_text and not origin):
            return None
        events: dict[str, tuple[dt.date, str]] = {}
        if signed_on is not None:
            events["signed"] = (signed_on, "")
        if stage != "clue" and stage_date is not None:
            events[stage] = (stage_date, values.get("terminated_reason", ""))
        return KeyedRow(key=code, values=values, record=record, extra={"events": events})

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {
            lead.code: lead
            for lead in Lead.objects.filter(park=self.ctx.park, code__in=keys).prefetch_related(
                "events"
            )
        }

    def plan(self, rows: list[KeyedRow], preview: Preview) -> KeyedPlan:
        plan = super().plan(rows, preview)
        current = self.existing([r.key for r in rows])
        touched = {id(r) for r in plan.create} | {id(r) for _, r in plan.update}
        for row in rows:
            obj = current.get(row.key)
            if obj is None or id(row) in touched:
                continue
            have = {e.stage: e.date for e in obj.events.all()}
            if any(have.get(s) != d for s, (d, _) in row.extra["events"].items()):
                plan.update.append((obj, row))
                preview.changed += 1
                preview.unchanged -= 1
        return plan

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        for row in [*plan.create, *(r for _, r in plan.update)]:
            lead = services.lead_upsert(park=self.ctx.park, code=row.key, **row.values)
            for stage, (date, note) in row.extra["events"].items():
                services.lead_stage_set(lead=lead, stage=stage, date=date, note=note)


@register
class LeadFundImporter(_InvestmentBase):
    """到位资金: per lead and month, 固定资产 and 流动资金 (万元)."""

    kind = "investment-funds"
    label = "招商项目到位资金（按月）"
    model = LeadFund
    key_label = "项目编号+月份"
    fields = [
        FieldSpec("code", "项目编号", ("招商项目编号",), required=True, example="ZS2022001"),
        FieldSpec("period", "月份", ("报告期", "年月"), required=True, example="2022-07"),
        FieldSpec("fixed_assets", "固定资产到位", ("固定资产",), example="800"),
        FieldSpec("working_capital", "流动资金到位", ("流动资金",), example="200"),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "code") is None:
            return None
        code = _text(record.values.get("code"))
        lead = Lead.objects.filter(park=self.ctx.park, code=code).first()
        if lead is None:
            self.err(record, "code", f"项目编号“{code}”不存在：请先导入招商项目")
        try:
            period = parse_period(record.values.get("period"))
        except PeriodError as exc:
            self.err(record, "period", str(exc))
            period = None
        try:
            fixed = self.wan(record, "fixed_assets") or Decimal(0)
            working = self.wan(record, "working_capital") or Decimal(0)
        except NumberError:
            return None
        if lead is None or period is None:
            return None
        return KeyedRow(
            key=f"{lead.pk}:{period.year}:{period.month}",
            values={"fixed_assets": fixed, "working_capital": working},
            record=record,
            extra={"lead": lead, "year": period.year, "month": period.month},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        ids = {int(k.split(":")[0]) for k in keys}
        return {
            f"{f.lead_id}:{f.year}:{f.month}": f for f in LeadFund.objects.filter(lead_id__in=ids)
        }

    def build(self, row: KeyedRow) -> LeadFund:
        return LeadFund(**row.extra, **row.values)
