"""Import kinds of the registry: `parks`, `enterprises`, `enterprise-scale`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from yuanqu.accounts.scopes import is_global
from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.core.summaries import Change, notify
from yuanqu.core.uscc import USCCError, validate_uscc
from yuanqu.imports.engine import FieldSpec, register
from yuanqu.imports.keyed import KeyedImporter, KeyedRow
from yuanqu.registry.models import Enterprise, EnterpriseScale, IndustryCluster, Park
from yuanqu.registry.services import (
    enterprises_create_many,
    enterprises_update_many,
    map_level,
    map_park_type,
    province_region,
)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@register
class ParkImporter(KeyedImporter):
    """Parks, e.g. the national catalogue of development zones (every column kept in `raw`)."""

    kind = "parks"
    label = "园区名录"
    model = Park
    wants_raw = True
    fields = [
        FieldSpec("seq", "序号"),
        FieldSpec("code", "代码", ("园区代码", "开发区代码"), required=True, example="G350001"),
        FieldSpec(
            "name", "开发区名称", ("园区名称", "名称"), required=True, example="示范经济技术开发区"
        ),
        FieldSpec("province", "省份", ("省",), example="福建省"),
        FieldSpec("city_county", "城市/区县", ("城市", "所在地", "区县"), example="福州"),
        FieldSpec(
            "approval_level",
            "批准级别",
            ("级别",),
            example="国务院",
            choices=("国务院", "省政府", "国家级", "省级", "市级", "县级"),
        ),
        FieldSpec(
            "park_type",
            "开发区类型",
            ("园区类型", "类型"),
            example="经济技术开发区",
            choices=(
                "经济技术开发区",
                "高新技术产业开发区",
                "海关特殊监管区域",
                "边境/跨境经济合作区",
                "其他类型开发区",
                "工业园区",
            ),
        ),
        FieldSpec("approval_date", "批准时间", ("批准日期",), example="1992.10"),
        FieldSpec(
            "area_ha",
            "核准面积_公顷",
            ("核准面积(公顷)", "核准面积", "面积(公顷)"),
            example="1000.5",
            unit="公顷",
            model_field="approved_area_ha",
        ),
        FieldSpec("leading_industries", "主导产业", example="装备制造、新材料"),
        FieldSpec("division_code", "行政区划代码", ("区划代码",)),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        code = text(v.get("code")).upper()
        name = text(v.get("name"))
        ok = True
        if not code:
            self.err(record, "code", "园区代码为空：请填写代码（如目录中的 G/S 开头代码）")
            ok = False
        if not name:
            self.err(record, "name", "园区名称为空")
            ok = False
        level_raw = text(v.get("approval_level"))
        level = map_level(level_raw)
        if level is None:
            self.err(
                record,
                "approval_level",
                f"无法识别的批准级别“{level_raw}”：可填 国务院、省政府、国家级、省级、市级、县级",
            )
            ok = False
        type_raw = text(v.get("park_type"))
        park_type = map_park_type(type_raw)
        if park_type is None:
            self.warn(
                record,
                "park_type",
                f"开发区类型“{type_raw}”不在标准类型中，已记为“其他”（原文保留）",
            )
            park_type = Park.ParkType.OTHER
        area: Decimal | None = None
        try:
            area = self.amount(record, "area_ha", v.get("area_ha"))
        except NumberError as exc:
            self.err(record, "area_ha", f"{exc}：核准面积应为数字（公顷）")
            ok = False
        if not ok:
            return None
        province = text(v.get("province"))
        region = province_region(province=province)
        # Every column of the file exactly as published, mapped or not (DECISIONS.md).
        raw = dict(record.raw)
        return KeyedRow(
            key=code,
            record=record,
            values={
                "name": name,
                "level": level or "",
                "park_type": park_type or "",
                "province": province,
                "city_county": text(v.get("city_county")),
                "approval_date": text(v.get("approval_date")),
                "approved_area_ha": area,
                "leading_industries": text(v.get("leading_industries")),
                "division_code": text(v.get("division_code")),
                "region": region,
                "raw": raw,
            },
        )

    def plan(self, rows: list[KeyedRow], preview: Any) -> Any:
        # A park imported with its region keeps a region assigned by hand (e.g. the demo city).
        current = self.existing([r.key for r in rows])
        for row in rows:
            obj = current.get(row.key)
            if obj is not None and obj.region_id and row.values["region"] is not None:
                if obj.region.level != "province":
                    row.values["region"] = obj.region
        return super().plan(rows, preview)


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    s = s.replace("/", "-").replace(".", "-").strip("-")
    parts = s.split("-")
    if len(parts) == 3:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 1 and len(s) == 8 and s.isdigit():
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    raise ValueError(f"无法识别的日期“{value}”：请写成 2020-05-18 或 2020年5月18日")


@register
class EnterpriseImporter(KeyedImporter):
    """Enterprises of one park (`--park CODE`), keyed by 统一社会信用代码."""

    kind = "enterprises"
    write_area = "economy"
    label = "企业名录"
    model = Enterprise
    key_field = "credit_code"
    key_label = "统一社会信用代码"
    needs_park = True
    fields = [
        FieldSpec(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "社会信用代码", "统一代码"),
            required=True,
            example="91350100M000100Y43",
        ),
        FieldSpec(
            "name",
            "企业名称",
            ("单位名称", "名称", "企业"),
            required=True,
            example="示范机械有限公司",
        ),
        FieldSpec("park", "园区代码", ("园区",)),
        FieldSpec("cluster", "产业集群", ("集群", "产业链")),
        FieldSpec("industry_code", "行业代码", ("国民经济行业代码", "行业代码(GB/T 4754)")),
        FieldSpec(
            "land_area_mu",
            "用地面积(亩)",
            ("用地面积", "占地面积(亩)", "占地面积"),
            unit="亩",
            example="56.5",
        ),
        FieldSpec("established_on", "成立日期", ("成立时间", "注册日期"), example="2015-06-01"),
    ]

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.parks = {p.code: p for p in Park.objects.all()} if ctx.park is None else {}
        self.clusters: dict[tuple[int, str], IndustryCluster] = {
            (c.park_id, c.name): c for c in IndustryCluster.objects.all()
        }

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        ok = True
        try:
            code = validate_uscc(v.get("credit_code"))
        except USCCError as exc:
            self.err(record, "credit_code", str(exc))
            code = ""
            ok = False
        name = text(v.get("name"))
        if not name:
            self.err(record, "name", "企业名称为空")
            ok = False
        park = self.ctx.park
        park_code = text(v.get("park")).upper()
        if park is not None and park_code and park_code != park.code:
            # A row for another park in a file imported into this one is a mix-up, not a move.
            self.err(
                record,
                "park",
                f"本行园区代码“{park_code}”与所选园区“{park.code} {park.name}”不一致："
                "请删除该行或改正园区代码（导入只能写入所选园区）",
            )
            ok = False
        if park is None:
            park = self.parks.get(park_code)
            if park is None:
                self.err(
                    record,
                    "park",
                    f"园区代码“{park_code}”不存在：请填写已登记的园区代码，或用 --park 指定园区"
                    if park_code
                    else "未指定园区：请在“园区代码”列填写，或用 --park 指定园区",
                )
                ok = False
        cluster = None
        cluster_name = text(v.get("cluster"))
        if cluster_name and park is not None:
            cluster = self.clusters.get((park.pk, cluster_name))
            if cluster is None:
                self.err(
                    record,
                    "cluster",
                    f"产业集群“{cluster_name}”在园区{park.name}中不存在：请先在后台新增该集群，或改为已有集群名称",
                )
                ok = False
        try:
            land = self.amount(record, "land_area_mu", v.get("land_area_mu"))
            if land is not None and land < 0:
                self.err(record, "land_area_mu", "用地面积不能为负数")
                ok = False
        except NumberError as exc:
            self.err(record, "land_area_mu", f"{exc}：用地面积应为数字（亩）")
            land = None
            ok = False
        try:
            established = parse_date(v.get("established_on"))
        except (ValueError, TypeError):
            self.err(
                record,
                "established_on",
                f"成立日期“{v.get('established_on')}”不是有效日期：请写成 2015-06-01 或 2015年6月1日",
            )
            established = None
            ok = False
        if not ok:
            return None
        values: dict[str, Any] = {"name": name, "park": park}
        # Optional columns only overwrite when the file carries them.
        if "cluster" in v:
            values["cluster"] = cluster
        if "industry_code" in v:
            values["industry_code"] = text(v.get("industry_code"))
        if "land_area_mu" in v:
            values["land_area_mu"] = land
        if "established_on" in v:
            values["established_on"] = established
        return KeyedRow(key=code, record=record, values=values)

    def plan(self, rows: list[KeyedRow], preview: Any) -> Any:
        """An enterprise registered in another park is not moved by an import: that would
        hand one park's enterprise (and its history) to another. The operator's CLI without
        --park (the whole catalogue) may move it, with a warning."""
        current = self.existing([r.key for r in rows])
        may_move = self.ctx.park is None and (
            self.ctx.user is None
            or not getattr(self.ctx.user, "pk", None)
            or is_global(self.ctx.user)
        )
        kept = []
        for row in rows:
            obj = current.get(row.key)
            park = row.values["park"]
            if obj is None or obj.park_id == park.pk:
                kept.append(row)
            elif may_move:
                self.warn(
                    row.record,
                    "park",
                    f"企业“{obj.name}”将从园区“{obj.park.name}”迁至“{park.name}”",
                )
                kept.append(row)
            else:
                self.err(
                    row.record,
                    "credit_code",
                    f"企业“{obj.name}”（{row.key}）已登记在园区“{obj.park.name}”，不属于“{park.name}”："
                    "请删除该行；如企业确已迁入，请由系统管理员在后台修改所属园区",
                )
        return super().plan(kept, preview)

    def apply(self, plan: Any, preview: Any, record: Any) -> None:
        # Through the registry's services, like every other write of enterprises.
        enterprises_create_many(
            rows=[{"credit_code": r.key, **r.values} for r in plan.create], batch_size=500
        )
        enterprises_update_many(changes=[(obj, row.values) for obj, row in plan.update])


@register
class EnterpriseScaleImporter(KeyedImporter):
    """规上 status by year: one row per enterprise and year."""

    kind = "enterprise-scale"
    write_area = "economy"
    label = "规上企业名单"
    model = EnterpriseScale
    key_label = "统一社会信用代码+年度"
    fields = [
        FieldSpec(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "社会信用代码"),
            required=True,
            example="91350100M000100Y43",
        ),
        FieldSpec("name", "企业名称", ("单位名称",)),
        FieldSpec("year", "年度", ("年份",), required=True, example="2022"),
        FieldSpec("is_above_scale", "是否规上", ("规上",), example="是", choices=("是", "否")),
        FieldSpec(
            "entry",
            "入库方式",
            (),
            example="年度入库",
            choices=("年度入库", "月度入库", "上年延续"),
        ),
        FieldSpec("entry_month", "入库月份", (), example=""),
        FieldSpec("exit_reason", "退库原因", ("退出原因",)),
    ]
    ENTRY = {label: value for value, label in EnterpriseScale.Entry.choices}

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        qs = Enterprise.objects.all()
        if ctx.park is not None:
            qs = qs.filter(park=ctx.park)
        self.enterprises = {e.credit_code: e for e in qs}

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        ok = True
        try:
            code = validate_uscc(v.get("credit_code"))
        except USCCError as exc:
            self.err(record, "credit_code", str(exc))
            return None
        enterprise = self.enterprises.get(code)
        if enterprise is None:
            self.err(
                record, "credit_code", f"企业“{code}”尚未登记：请先导入企业名录（enterprises）"
            )
            ok = False
        try:
            year = int(parse_amount(v.get("year")) or 0)
            if not 1990 <= year <= 2100:
                raise ValueError
        except (NumberError, ValueError):
            self.err(record, "year", f"年度“{v.get('year')}”无效：请填写四位年份，如 2022")
            ok = False
            year = 0
        flag = text(v.get("is_above_scale")) or "是"
        if flag not in {"是", "否", "1", "0", "Y", "N"}:
            self.err(record, "is_above_scale", f"“{flag}”无效：填“是”或“否”")
            ok = False
        entry_label = text(v.get("entry"))
        entry = self.ENTRY.get(entry_label, "") if entry_label else ""
        if entry_label and not entry:
            self.err(
                record, "entry", f"入库方式“{entry_label}”无效：可填 年度入库、月度入库、上年延续"
            )
            ok = False
        month = None
        if text(v.get("entry_month")):
            try:
                month = int(parse_amount(v.get("entry_month")) or 0)
                if not 1 <= month <= 12:
                    raise ValueError
            except (NumberError, ValueError):
                self.err(record, "entry_month", "入库月份应为1-12")
                ok = False
        if not ok:
            return None
        return KeyedRow(
            key=f"{code}:{year}",
            record=record,
            values={
                "is_above_scale": flag in {"是", "1", "Y"},
                "entry": entry,
                "entry_month": month,
                "exit_reason": text(v.get("exit_reason")),
            },
            extra={"enterprise": enterprise, "year": year},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        years = {int(k.split(":")[1]) for k in keys}
        found = {}
        for obj in EnterpriseScale.objects.filter(year__in=years).select_related("enterprise"):
            found[f"{obj.enterprise.credit_code}:{obj.year}"] = obj
        return found

    def build(self, row: KeyedRow) -> EnterpriseScale:
        return EnterpriseScale(**row.extra, **row.values)

    def apply(self, plan: Any, preview: Any, record: Any) -> None:
        super().apply(plan, preview, record)
        # The 规上 list decides who is expected: 报送率 summaries of these parks and years.
        scales = [self.build(r) for r in plan.create] + [obj for obj, _ in plan.update]
        notify(
            Change(
                kind=self.kind,
                event="registry",
                park_ids=frozenset(s.enterprise.park_id for s in scales),
                years=frozenset(s.year for s in scales),
            )
        )
