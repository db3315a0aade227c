"""Demo registry: region 示范市, four parks, departments, clusters, enterprises, 规上 by year.

Deterministic (fixed seed): the same database every run, on every machine.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from yuanqu.core.uscc import CHARSET, make_uscc
from yuanqu.registry.models import (
    Department,
    Enterprise,
    EnterpriseScale,
    IndustryCluster,
    Park,
    Region,
)
from yuanqu.registry.services import department_create, enterprises_create_many

SEED = 20221231
YEARS = range(2019, 2024)
CITY_CODE = "DEMO-CITY"
CITY_DIVISION = "369900"  # a made-up division code in the digits-only form GB/T 2260 uses


@dataclass(frozen=True)
class DemoPark:
    code: str
    name: str
    level: str
    park_type: str
    clusters: tuple[str, ...]
    enterprises: int
    area_ha: str
    established: str


PARKS = (
    DemoPark(
        "DEMO",
        "示范工业园区",
        Park.Level.PROVINCIAL,
        Park.ParkType.INDUSTRIAL,
        ("金属智造", "新材料", "机械装备", "电子信息"),
        150,
        "1256.80",
        "2006.03",
    ),
    DemoPark(
        "DEMO2",
        "示范高新技术产业园区",
        Park.Level.PROVINCIAL,
        Park.ParkType.HTZ,
        ("电子信息", "生物医药", "智能装备"),
        70,
        "860.50",
        "2010.11",
    ),
    DemoPark(
        "DEMO3",
        "示范临港经济开发区",
        Park.Level.CITY,
        Park.ParkType.ETDZ,
        ("临港物流", "化工新材料", "装备制造"),
        55,
        "980.00",
        "2012.06",
    ),
    DemoPark(
        "DEMO4",
        "示范绿色食品产业园",
        Park.Level.COUNTY,
        Park.ParkType.INDUSTRIAL,
        ("食品加工", "农副产品", "包装印刷"),
        40,
        "420.30",
        "2015.09",
    ),
)

# (code, name, parent, write areas): which modules each department administers (a field of
# the department, editable by administrators; DECISIONS.md "Access").
DEPARTMENTS = (
    ("GWH", "管委会", None, ()),
    ("JFJ", "经发局", "GWH", ("economy",)),
    ("ZSJ", "招商局", "GWH", ("investment",)),
    ("XMB", "项目办", "GWH", ("projects",)),
    ("GHJSJ", "规划建设局", "GWH", ("land",)),
    ("CZJ", "财政局", "GWH", ("funding",)),
    ("YSB", "营商办", "GWH", ("service",)),
    ("DZB", "党政办", "GWH", ("supervision", "reports")),
)

NAME_HEADS = (
    "华鑫",
    "恒泰",
    "金鼎",
    "宏达",
    "瑞丰",
    "鼎盛",
    "永安",
    "新源",
    "博远",
    "汇通",
    "中科",
    "天成",
    "盛世",
    "锦程",
    "创新",
    "明辉",
    "东方",
    "海川",
    "长青",
    "信达",
    "凯瑞",
    "佳和",
    "万通",
    "嘉禾",
    "力拓",
    "鸿运",
    "昌盛",
    "晶华",
    "广源",
    "联创",
    "卓越",
    "众和",
    "荣达",
    "精工",
    "正泰",
    "安泰",
)
CLUSTER_WORDS = {
    "金属智造": ("金属制品", "精密铸造", "智能锻造", "钢结构", "合金材料"),
    "新材料": ("新材料", "复合材料", "高分子材料", "陶瓷材料", "纳米科技"),
    "机械装备": ("机械制造", "重工装备", "液压机械", "传动设备", "农机装备"),
    "电子信息": ("电子科技", "光电", "智能终端", "电子元件", "信息技术"),
    "生物医药": ("生物科技", "制药", "医疗器械", "健康产业", "生物工程"),
    "智能装备": ("智能装备", "机器人", "自动化设备", "数控机床", "智能制造"),
    "临港物流": ("物流", "港口机械", "供应链", "仓储设备", "船舶配套"),
    "化工新材料": ("化工", "精细化工", "涂料", "新能源材料", "化学材料"),
    "装备制造": ("装备制造", "机电设备", "工程机械", "电力设备", "环保设备"),
    "食品加工": ("食品", "饮料", "乳业", "调味品", "粮油"),
    "农副产品": ("农产品加工", "茶业", "果蔬", "畜产品", "林产品"),
    "包装印刷": ("包装", "印务", "纸业", "塑料制品", "彩印"),
}
INDUSTRY_CODES = {
    "金属智造": "3311",
    "新材料": "2651",
    "机械装备": "3421",
    "电子信息": "3971",
    "生物医药": "2710",
    "智能装备": "3491",
    "临港物流": "3734",
    "化工新材料": "2641",
    "装备制造": "3511",
    "食品加工": "1491",
    "农副产品": "1371",
    "包装印刷": "2231",
}
EXIT_REASONS = ("主营业务收入低于2000万元", "停产", "迁出园区")


def _credit_code(rng: random.Random, seq: int) -> str:
    # 9 = 工商, 1 = 企业; then the division code; then a 9-character organisation code.
    org = "MA" + "".join(rng.choice(CHARSET) for _ in range(6)) + CHARSET[seq % 31]
    return make_uscc("91" + CITY_DIVISION + org)


def load_registry() -> dict[str, Park]:
    """Create (or find) the demo region, parks, departments, clusters and enterprises."""
    rng = random.Random(SEED)
    region, _ = Region.objects.get_or_create(
        code=CITY_CODE,
        defaults={"name": "示范市", "level": Region.Level.CITY, "division_code": CITY_DIVISION},
    )
    parks: dict[str, Park] = {}
    used_codes: set[str] = set()
    seq = 0
    for spec in PARKS:
        park, _ = Park.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "park_type": spec.park_type,
                "province": "示范省",
                "city_county": "示范市",
                "approval_date": spec.established,
                "approved_area_ha": Decimal(spec.area_ha),
                "leading_industries": "、".join(spec.clusters),
                "region": region,
                "raw": {"来源": "演示数据"},
            },
        )
        parks[spec.code] = park
        departments: dict[str, Department] = {}
        for code, name, parent, areas in DEPARTMENTS:
            found = Department.objects.filter(park=park, code=code).first()
            departments[code] = found or department_create(
                park=park,
                code=code,
                name=name,
                parent=departments.get(parent) if parent else None,
                modules=areas,
            )
        clusters = [
            IndustryCluster.objects.get_or_create(park=park, name=name)[0] for name in spec.clusters
        ]
        existing = set(park.enterprises.values_list("credit_code", flat=True))
        new_enterprises = []
        scales = []
        for i in range(spec.enterprises):
            seq += 1
            cluster = clusters[i % len(clusters)]
            code = _credit_code(rng, seq)
            while code in used_codes:
                code = _credit_code(rng, seq)
            used_codes.add(code)
            head = NAME_HEADS[(seq * 7 + i) % len(NAME_HEADS)]
            word = CLUSTER_WORDS[cluster.name][rng.randrange(5)]
            suffix = "" if i < len(NAME_HEADS) * 2 else f"{i}"
            name = f"示范市{head}{word}{suffix}有限公司"
            land = Decimal(rng.randint(800, 30000)) / Decimal(100)
            established = dt.date(rng.randint(2003, 2021), rng.randint(1, 12), rng.randint(1, 28))
            profile = _scale_profile(rng, i, established.year)
            if code in existing:
                continue
            new_enterprises.append(
                {
                    "credit_code": code,
                    "name": name,
                    "park": park,
                    "cluster": cluster,
                    "industry_code": INDUSTRY_CODES[cluster.name],
                    "land_area_mu": land,
                    "established_on": established,
                    "status": Enterprise.Status.OPERATING
                    if profile[-1]
                    else Enterprise.Status.SUSPENDED,
                }
            )
            scales.append((profile, rng.randint(3, 10), rng.choice(EXIT_REASONS)))
        made = enterprises_create_many(rows=new_enterprises)
        EnterpriseScale.objects.bulk_create(
            [
                obj
                for e, (prof, month, reason) in zip(made, scales, strict=True)
                for obj in _scale_rows(e, prof, month, reason)
            ]
        )
    return parks


def _scale_profile(rng: random.Random, index: int, founded: int) -> tuple[bool, ...]:
    """Which of 2019–2023 the enterprise is 规上: most always; some enter, some leave."""
    roll = rng.random()
    years = list(YEARS)
    if roll < 0.62 and founded <= 2018:
        return tuple(True for _ in years)
    if roll < 0.80:  # enters later (annual or monthly entry)
        start = max(founded + 1, rng.choice(years[1:]))
        return tuple(y >= start for y in years)
    if roll < 0.90 and founded <= 2018:  # leaves
        end = rng.choice(years[1:4])
        return tuple(y < end for y in years)
    start = max(founded + 1, 2019)
    return tuple(y >= start for y in years)


def _scale_rows(
    enterprise: Enterprise, profile: tuple[bool, ...], month: int, reason: str
) -> list[EnterpriseScale]:
    rows = []
    prev = None
    for year, above in zip(YEARS, profile, strict=True):
        if not above and not prev:
            prev = above
            continue
        if above:
            if prev is None or year == YEARS[0]:
                entry, entry_month = EnterpriseScale.Entry.CONTINUING, None
            elif not prev:
                # New plants enter during the year (月度入库); others at the annual review.
                monthly = enterprise.established_on and enterprise.established_on.year >= year - 1
                entry = EnterpriseScale.Entry.MONTHLY if monthly else EnterpriseScale.Entry.ANNUAL
                entry_month = month if monthly else None
            else:
                entry, entry_month = EnterpriseScale.Entry.CONTINUING, None
            rows.append(
                EnterpriseScale(
                    enterprise=enterprise,
                    year=year,
                    is_above_scale=True,
                    entry=entry,
                    entry_month=entry_month,
                )
            )
        else:
            rows.append(
                EnterpriseScale(
                    enterprise=enterprise,
                    year=year,
                    is_above_scale=False,
                    exit_reason=reason,
                )
            )
        prev = above
    return rows
