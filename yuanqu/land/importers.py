"""Import kinds of 土地: `parcels` (our template, and the national land-market supply results
layout of 中国土地市场网: 项目名称, 项目位置, 面积(公顷), 土地来源, 土地用途, 供地方式 / 供应方式,
土地使用年限, 行业分类, 土地级别, 成交价格(万元), 土地使用权人, 约定容积率(上限)/(下限), 约定交地
时间, 约定开工时间, 约定竣工时间, 批准单位, 合同签订日期) and `parcel-events` (a parcel reaching a
step of its lifecycle on a date).

The land-market files repeat their header (one per page of the listing), write dates as
2017年01月31日 or 2017/1/3 and pad cells with non-breaking spaces: a repeated header row is
skipped with a note, both date forms are read, and the spaces are dropped. A row lacking its
area or its 供地方式 is not imported and is reported with its row number — never stored as zero
(DOMAIN.md §8; issue 12 item 5). A land-market row is a sale: the parcel is 已出让 on its
合同签订日期, its buyer linked to the registry when the park has an enterprise of that name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.imports.engine import FieldSpec, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedPlan, KeyedRow
from yuanqu.land import services
from yuanqu.land.models import LandUse, Parcel, ParcelEvent, ParcelStatus, SupplyMethod
from yuanqu.projects.importers import _AmountsMixin, _text
from yuanqu.projects.models import Project
from yuanqu.registry.models import Enterprise

_DATE_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_DATE_SEP = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")

STATUSES = {label: value for value, label in ParcelStatus.choices}
STATUSES.update(
    {
        "净地": "reserved",
        "已收储": "reserved",
        "组卷": "dossier",
        "挂牌": "listed",
        "出让": "sold",
        "交地": "handed_over",
        "开工": "started",
        "征收": "expropriating",
        "收储协议": "agreement",
    }
)
USE_WORDS = (
    ("工业", LandUse.INDUSTRIAL),
    ("仓储", LandUse.WAREHOUSE),
    ("住宅", LandUse.RESIDENTIAL),
    ("商", LandUse.COMMERCIAL),
    ("零售", LandUse.COMMERCIAL),
    ("餐饮", LandUse.COMMERCIAL),
    ("住宿", LandUse.COMMERCIAL),
    ("公共", LandUse.PUBLIC),
    ("公用", LandUse.PUBLIC),
    ("机关", LandUse.PUBLIC),
    ("教", LandUse.PUBLIC),
    ("医", LandUse.PUBLIC),
)
METHOD_WORDS = (
    ("挂牌", SupplyMethod.LISTING),
    ("拍卖", SupplyMethod.AUCTION),
    ("招标", SupplyMethod.TENDER),
    ("协议", SupplyMethod.AGREEMENT),
    ("划拨", SupplyMethod.ALLOCATION),
)


def parse_date(value: Any) -> dt.date | None:
    """A date cell: a date, 2017年01月31日, 2017/1/3, 2017-01-31 or 2017.1.3 (None if empty).
    Raises ValueError (Chinese) for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace(" ", "")
    if not text:
        return None
    m = _DATE_CN.match(text) or _DATE_SEP.match(text)
    if m is None:
        raise ValueError(f"日期“{text}”无法识别：请写成 2017年01月31日 或 2017/1/3")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(f"日期“{text}”不存在") from exc


def _choice(text: str, words: tuple[tuple[str, str], ...]) -> str | None:
    return next((value for word, value in words if word in text), None)


class _LandBase(_AmountsMixin, KeyedImporter):
    write_area = "land"
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


HEADER_WORDS = (
    "项目名称",
    "面积(公顷)",
    "面积（公顷）",
    "面积(亩)",
    "宗地编号",
    "供地方式",
    "供应方式",
)


@register
class ParcelImporter(_LandBase):
    """宗地台账, or the national land-market supply results (结果公告) as published."""

    kind = "parcels"
    label = "宗地（含土地市场网供地结果）"
    model = Parcel
    key_label = "宗地编号"
    fields = [
        FieldSpec("code", "宗地编号", ("电子监管号", "地块编号"), example="GY2022-01"),
        FieldSpec("name", "项目名称", ("地块名称",), required=True, example="某某公司新建厂房项目"),
        FieldSpec(
            "location", "项目位置", ("位置", "宗地坐落", "宗地位置"), example="园区纬三路北侧"
        ),
        # One area column: its unit from the header (面积(公顷) as the land market publishes,
        # 面积(亩) in our template) or from a 面积单位 column.
        FieldSpec(
            "area",
            "面积(亩)",
            ("面积(公顷)", "面积", "供地面积", "出让面积", "用地面积"),
            example="120.5",
        ),
        FieldSpec("area_unit", "面积单位", (), choices=("亩", "公顷")),
        FieldSpec("land_source", "土地来源", (), example="现有建设用地"),
        FieldSpec("use", "土地用途", ("用途",), example="工业用地"),
        FieldSpec("supply_method", "供地方式", ("供应方式",), example="挂牌出让"),
        FieldSpec("term_years", "土地使用年限", ("使用年限",), example="50"),
        FieldSpec("industry", "行业分类", (), example="金属制品业"),
        FieldSpec("land_grade", "土地级别", (), example="五级"),
        FieldSpec(
            "price",
            "成交价格(万元)",
            ("成交价格", "成交价格（万元）", "出让价款(万元)"),
            example="1440",
        ),
        FieldSpec(
            "buyer_name", "土地使用权人", ("受让人", "竞得人", "受让单位"), example="某某公司"
        ),
        FieldSpec("buyer_code", "受让企业统一社会信用代码", ("统一社会信用代码",)),
        FieldSpec("plot_ratio_max", "约定容积率(上限)", ("约定容积率（上限）", "容积率上限")),
        FieldSpec("plot_ratio_min", "约定容积率(下限)", ("约定容积率（下限）", "容积率下限")),
        FieldSpec("handover_contracted", "约定交地时间", ()),
        FieldSpec("start_contracted", "约定开工时间", (), example="2022年09月01日"),
        FieldSpec("completion_contracted", "约定竣工时间", ()),
        FieldSpec("approved_by", "批准单位", ()),
        FieldSpec("contract_signed_on", "合同签订日期", (), example="2022/6/20"),
        FieldSpec("project", "重点项目编号", ("项目编号",)),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        if self.park_or_error(record, "name") is None:
            return None
        name, code = _text(v.get("name")), _text(v.get("code"))
        if name in HEADER_WORDS or _text(v.get("area")) in HEADER_WORDS:
            self.warn(record, "name", "重复的表头行，已跳过")
            return None
        try:
            area = parse_amount(_text(v.get("area")) or None)
            price = self.wan(record, "price") if _text(v.get("price")) else None
            plot_max = parse_amount(_text(v.get("plot_ratio_max")) or None)
            plot_min = parse_amount(_text(v.get("plot_ratio_min")) or None)
        except NumberError as exc:
            self.err(record, "area", str(exc))
            return None
        if area is None:
            self.warn(record, "area", "缺少面积：该行未导入，不按0保存，请补填后重新导入")
            return None
        if area <= 0:
            self.warn(record, "area", f"面积“{area}”不是正数：该行未导入，请更正后重新导入")
            return None
        unit_text = _text(v.get("area_unit")) or self.ctx.column_units.get("area") or ""
        unit = {"亩": "mu", "公顷": "ha"}.get(unit_text)
        if unit is None:
            self.err(
                record, "area", "面积没有单位：表头写“面积(亩)”或“面积(公顷)”，或填“面积单位”列"
            )
            return None
        method_text = _text(v.get("supply_method"))
        method = _choice(method_text, METHOD_WORDS) if method_text else None
        contract = self.date(record, "contract_signed_on")
        if method_text and method is None:
            self.err(
                record, "supply_method", f"供地方式“{method_text}”不是挂牌、拍卖、招标、协议或划拨"
            )
            return None
        if method is None and (contract is not None or price is not None):
            self.warn(
                record,
                "supply_method",
                "缺少供地方式：该行未导入，请补填（挂牌、拍卖、招标、协议、划拨）后重新导入",
            )
            return None
        if not code:
            if not name:
                self.err(record, "name", "宗地编号和项目名称不能都为空")
                return None
            # A land-market row has no 宗地编号: a stable one from what identifies the sale,
            # so importing the same file twice changes nothing.
            seed = f"{name}|{_text(v.get('location'))}|{contract}|{area}"
            code = f"LM{contract:%Y%m%d}-" if contract else "LM-"
            code += hashlib.sha1(seed.encode()).hexdigest()[:8].upper()
        use_text = _text(v.get("use"))
        term = re.sub(r"\D", "", _text(v.get("term_years")))
        values: dict[str, Any] = {
            "name": name,
            "location": _text(v.get("location")),
            "area": area,
            "area_unit": unit,
            "land_source": _text(v.get("land_source"))[:64],
            "use": (_choice(use_text, USE_WORDS) or LandUse.OTHER)
            if use_text
            else LandUse.INDUSTRIAL,
            "supply_method": method or "",
            "price": price,
            "buyer_name": _text(v.get("buyer_name")),
            "plot_ratio_max": plot_max,
            "plot_ratio_min": plot_min,
            "term_years": int(term) if term and int(term) < 1000 else None,
            "industry": _text(v.get("industry"))[:100],
            "land_grade": _text(v.get("land_grade"))[:32],
            "approved_by": _text(v.get("approved_by"))[:100],
            "contract_signed_on": contract,
            "handover_contracted": self.date(record, "handover_contracted"),
            "start_contracted": self.date(record, "start_contracted"),
            "completion_contracted": self.date(record, "completion_contracted"),
        }
        credit = _text(v.get("buyer_code"))
        buyer = None
        if credit:
            buyer = Enterprise.objects.filter(park=self.ctx.park, credit_code=credit).first()
            if buyer is None:
                self.warn(
                    record,
                    "buyer_code",
                    f"统一社会信用代码“{credit}”不在本园区企业名录中，未关联企业",
                )
        elif values["buyer_name"]:
            buyer = Enterprise.objects.filter(park=self.ctx.park, name=values["buyer_name"]).first()
        if buyer is not None:
            values["enterprise"] = buyer
        project_code = _text(v.get("project"))
        if project_code:
            project = Project.objects.filter(park=self.ctx.park, code=project_code).first()
            if project is None:
                self.err(
                    record, "project", f"重点项目编号“{project_code}”不存在：请先导入重点项目库"
                )
                return None
            values["project"] = project
        # A sale (a date and a method, as every land-market row has) is 已出让 on that date.
        events = {ParcelStatus.SOLD.value: contract} if contract and method else {}
        return KeyedRow(key=code, values=values, record=record, extra={"events": events})

    def existing(self, keys: list[str]) -> dict[str, Any]:
        found = {}
        for p in Parcel.objects.filter(park=self.ctx.park, code__in=keys).prefetch_related(
            "events"
        ):
            found[p.code] = p
        return found

    def plan(self, rows: list[KeyedRow], preview: Preview) -> KeyedPlan:
        plan = super().plan(rows, preview)
        # A row whose fields are unchanged may still bring a new event date.
        current = self.existing([r.key for r in rows])
        moved = []
        updating = {id(r) for _, r in plan.update}
        creating = {id(r) for r in plan.create}
        for row in rows:
            obj = current.get(row.key)
            if obj is None or id(row) in updating or id(row) in creating:
                continue
            have = {e.status: e.date for e in obj.events.all()}
            if any(have.get(s) != d for s, d in row.extra["events"].items()):
                moved.append((obj, row))
        if moved:
            plan.update.extend(moved)
            preview.changed += len(moved)
            preview.unchanged -= len(moved)
        return plan

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        for row in plan.create:
            self._write(row)
        for _obj, row in plan.update:
            self._write(row)

    def _write(self, row: KeyedRow) -> None:
        parcel = services.parcel_upsert(park=self.ctx.park, code=row.key, **row.values)
        for status, date in row.extra["events"].items():
            services.parcel_event_set(parcel=parcel, status=status, date=date)


@register
class ParcelEventImporter(_LandBase):
    """宗地环节: a parcel reaching a step (收储协议签订, 征收中, 已收储 …) on a date."""

    kind = "parcel-events"
    label = "宗地环节（收储、征收、组卷、出让、交地、开工）"
    model = ParcelEvent
    key_label = "宗地编号+环节"
    fields = [
        FieldSpec("code", "宗地编号", (), required=True, example="GY2022-01"),
        FieldSpec(
            "status",
            "环节",
            ("状态",),
            required=True,
            example="收储协议签订",
            choices=tuple(ParcelStatus.labels),
        ),
        FieldSpec("date", "日期", ("环节日期", "发生日期"), required=True, example="2022/3/1"),
        FieldSpec("note", "说明", ("备注",)),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "code") is None:
            return None
        code = _text(record.values.get("code"))
        parcel = Parcel.objects.filter(park=self.ctx.park, code=code).first()
        if parcel is None:
            self.err(record, "code", f"宗地编号“{code}”不存在：请先导入宗地")
        text = _text(record.values.get("status"))
        status = STATUSES.get(text)
        if status is None:
            self.err(record, "status", f"环节“{text}”不是可选值：{'、'.join(ParcelStatus.labels)}")
        date = self.date(record, "date")
        if date is None and not _text(record.values.get("date")):
            self.err(record, "date", "日期不能为空")
        if parcel is None or status is None or date is None:
            return None
        return KeyedRow(
            key=f"{parcel.pk}:{status}",
            values={"date": date, "note": _text(record.values.get("note"))[:255]},
            record=record,
            extra={"parcel": parcel, "status": status},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        ids = {int(k.split(":")[0]) for k in keys}
        return {
            f"{e.parcel_id}:{e.status}": e for e in ParcelEvent.objects.filter(parcel_id__in=ids)
        }

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        for row in [*plan.create, *(r for _, r in plan.update)]:
            services.parcel_event_set(
                parcel=row.extra["parcel"], status=row.extra["status"], **row.values
            )
