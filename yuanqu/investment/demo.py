"""Demo data of 招商引资 (DECISIONS.md: module demo data cover 2022 and 2023, targets
2022–2024).

DEMO 2022 has the speech's (四) shape and its 招大引强 criticism: twelve signings (target ten,
reached on 18 October: 提前; 351,341.2万元 against 300,000: 超额), ten of them ≥ 1亿元, the
largest 8.5亿元 — below the city's 10亿元 — one of them in US dollars at the signing date's
rate; eight reserve (意向) leads in the four clusters (290,500万元: 超29亿元); one lead
terminated in talks. The leads that became the projects demo's XM0007 and XM0012 (2022) and
XM0003 and XM0006 (earlier) are linked to their enterprise, parcel and key project, so the
lifecycle page of ZS2020003 runs from 线索 to 投产 and the enterprise's output. DEMO2–DEMO4 get
a few leads. Fixed figures, no "today".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from yuanqu.economy.models import Indicator, Target
from yuanqu.investment import services
from yuanqu.land.models import Parcel
from yuanqu.projects.models import Project
from yuanqu.registry.models import Department, IndustryCluster, Park

d = dt.date
ORIGINS = ("outside_province", "outside_city", "outside_province", "abroad")
# code, name, investor, cluster, amount (万元; 万美元 for USD), currency/rate, stages
# [(stage, date[, note])], project code (its enterprise), parcel code
DEMO_LEADS = (
    (
        "ZS2020003",
        "新型建材产业园项目",
        "华东建材集团有限公司",
        "新材料",
        45000,
        None,
        [
            ("clue", d(2019, 11, 5)),
            ("talks", d(2020, 1, 8)),
            ("intent", d(2020, 3, 20)),
            ("signed", d(2020, 6, 18)),
            ("started", d(2021, 3, 1)),
            ("producing", d(2022, 12, 20)),
        ],
        "XM0006",
        "GY2020-01",
    ),
    (
        "ZS2021001",
        "半导体封装测试基地项目",
        "深芯半导体股份有限公司",
        "电子信息",
        200000,
        None,
        [
            ("talks", d(2020, 12, 1)),
            ("intent", d(2021, 3, 15)),
            ("signed", d(2021, 6, 28)),
            ("started", d(2022, 4, 8)),
        ],
        "XM0003",
        "GY2021-01",
    ),
    (
        "ZS2022001",
        "机械装备再制造项目",
        "江南重工集团有限公司",
        "机械装备",
        27000,
        None,
        [
            ("talks", d(2021, 10, 9)),
            ("intent", d(2021, 12, 2)),
            ("signed", d(2022, 1, 18)),
            ("started", d(2022, 7, 1)),
        ],
        "XM0012",
        "GY2022-03",
    ),
    (
        "ZS2022002",
        "电子元器件产业园二期",
        "华讯电子科技有限公司",
        "电子信息",
        58000,
        None,
        [
            ("talks", d(2021, 9, 1)),
            ("intent", d(2021, 11, 20)),
            ("signed", d(2022, 1, 10)),
            ("started", d(2022, 5, 6)),
        ],
        "XM0007",
        "GY2022-02",
    ),
    (
        "ZS2022003",
        "新能源汽车精密结构件项目",
        "长三角汽车部件集团",
        "金属智造",
        85000,
        None,
        [
            ("talks", d(2021, 12, 10)),
            ("intent", d(2022, 2, 10)),
            ("signed", d(2022, 3, 22)),
            ("started", d(2023, 4, 10)),
        ],
        None,
        "GY2022-05",
    ),
    (
        "ZS2022004",
        "高性能铝合金型材项目",
        "粤港铝业有限公司",
        "新材料",
        42000,
        None,
        [("talks", d(2022, 1, 12)), ("intent", d(2022, 3, 1)), ("signed", d(2022, 4, 15))],
        None,
        None,
    ),
    (
        "ZS2022005",
        "智能焊接装备制造项目",
        "北方焊接设备有限公司",
        "机械装备",
        18000,
        None,
        [("talks", d(2022, 2, 8)), ("signed", d(2022, 5, 9))],
        None,
        None,
    ),
    (
        "ZS2022006",
        "精密模具（外资）项目",
        "新加坡精工模具私人有限公司",
        "金属智造",
        1200,
        Decimal("6.701"),
        [("talks", d(2022, 3, 3)), ("intent", d(2022, 4, 20)), ("signed", d(2022, 6, 8))],
        None,
        None,
    ),
    (
        "ZS2022007",
        "特种陶瓷新材料项目",
        "景德镇特瓷科技有限公司",
        "新材料",
        26000,
        None,
        [("talks", d(2022, 3, 18)), ("intent", d(2022, 5, 6)), ("signed", d(2022, 7, 12))],
        None,
        None,
    ),
    (
        "ZS2022008",
        "工业机器人减速器项目",
        "智驱传动科技有限公司",
        "机械装备",
        32000,
        None,
        [("talks", d(2022, 4, 2)), ("signed", d(2022, 8, 3))],
        None,
        None,
    ),
    (
        "ZS2022009",
        "5G通信模组项目",
        "联芯通信技术有限公司",
        "电子信息",
        21000,
        None,
        [("talks", d(2022, 5, 16)), ("intent", d(2022, 7, 1)), ("signed", d(2022, 9, 6))],
        None,
        None,
    ),
    (
        "ZS2022010",
        "废钢循环利用项目",
        "中再资源环保有限公司",
        "金属智造",
        15000,
        None,
        [("talks", d(2022, 6, 1)), ("signed", d(2022, 10, 18))],
        None,
        None,
    ),
    (
        "ZS2022011",
        "碳纤维复合材料项目",
        "恒信碳纤维有限公司",
        "新材料",
        12500,
        None,
        [("talks", d(2022, 7, 20)), ("signed", d(2022, 11, 9))],
        None,
        None,
    ),
    (
        "ZS2022012",
        "农机零部件项目",
        "齐鲁农机配件有限公司",
        "机械装备",
        6800,
        None,
        [("talks", d(2022, 8, 8)), ("signed", d(2022, 12, 6))],
        None,
        None,
    ),
    (
        "ZS2022013",
        "锂电池回收项目",
        "绿源新能源有限公司",
        "新材料",
        60000,
        None,
        [("talks", d(2022, 3, 10)), ("terminated", d(2022, 8, 15), "投资方调整战略布局，转投外省")],
        None,
        None,
    ),
    # Reserve (意向) at the end of 2022, in the four clusters.
    (
        "ZS2022014",
        "高端装备铸锻件项目",
        "中原锻造集团",
        "金属智造",
        60000,
        None,
        [("talks", d(2022, 6, 10)), ("intent", d(2022, 9, 20))],
        None,
        None,
    ),
    (
        "ZS2022015",
        "不锈钢精密管材项目",
        "东方特钢有限公司",
        "金属智造",
        45000,
        None,
        [("talks", d(2022, 8, 1)), ("intent", d(2022, 11, 2))],
        None,
        None,
    ),
    (
        "ZS2022016",
        "智能终端整机项目",
        "华南智能终端有限公司",
        "电子信息",
        50000,
        None,
        [("talks", d(2022, 7, 5)), ("intent", d(2022, 10, 8)), ("signed", d(2023, 3, 16))],
        None,
        None,
    ),
    (
        "ZS2022017",
        "印制电路板项目",
        "鹏城电路科技有限公司",
        "电子信息",
        32000,
        None,
        [("talks", d(2022, 9, 1)), ("intent", d(2022, 12, 1))],
        None,
        None,
    ),
    (
        "ZS2022018",
        "高纯石英材料项目",
        "晶源新材料有限公司",
        "新材料",
        38000,
        None,
        [("talks", d(2022, 5, 20)), ("intent", d(2022, 8, 30)), ("signed", d(2023, 5, 22))],
        None,
        None,
    ),
    (
        "ZS2022019",
        "功能薄膜材料项目",
        "安泰薄膜科技有限公司",
        "新材料",
        22000,
        None,
        [("talks", d(2022, 9, 15)), ("intent", d(2022, 12, 12))],
        None,
        None,
    ),
    (
        "ZS2022020",
        "盾构机零部件项目",
        "中铁装备配套有限公司",
        "机械装备",
        25000,
        None,
        [("talks", d(2022, 4, 11)), ("intent", d(2022, 7, 28))],
        None,
        None,
    ),
    (
        "ZS2022021",
        "液压件智能制造项目",
        "恒力液压有限公司",
        "机械装备",
        18500,
        None,
        [("talks", d(2022, 10, 10)), ("intent", d(2022, 12, 20))],
        None,
        None,
    ),
    # The pipeline's early stages.
    (
        "ZS2023001",
        "氢能储运装备项目",
        "氢动科技有限公司",
        "机械装备",
        30000,
        None,
        [("clue", d(2023, 2, 1)), ("talks", d(2023, 6, 12))],
        None,
        None,
    ),
    (
        "ZS2023002",
        "光伏边框项目",
        "阳光金属制品有限公司",
        "金属智造",
        16000,
        None,
        [("clue", d(2023, 8, 18))],
        None,
        None,
    ),
    (
        "ZS2023003",
        "电子特气项目",
        "华气科技有限公司",
        "新材料",
        20000,
        None,
        [("clue", d(2023, 3, 8)), ("talks", d(2023, 4, 1)), ("signed", d(2023, 9, 26))],
        None,
        None,
    ),
)
OTHER_LEADS = (
    (
        "DEMO2",
        "ZS2022001",
        "创新药研发中心项目",
        "生物医药",
        30000,
        [("talks", d(2022, 2, 1)), ("signed", d(2022, 6, 1))],
    ),
    (
        "DEMO2",
        "ZS2022002",
        "智能装备整机项目",
        "智能装备",
        18000,
        [("talks", d(2022, 5, 1)), ("intent", d(2022, 9, 1))],
    ),
    (
        "DEMO3",
        "ZS2022001",
        "冷链物流中心项目",
        "临港物流",
        22000,
        [("talks", d(2022, 3, 1)), ("signed", d(2022, 7, 15))],
    ),
    (
        "DEMO4",
        "ZS2023001",
        "预制菜加工项目",
        "食品加工",
        8000,
        [("talks", d(2023, 2, 1)), ("signed", d(2023, 6, 1))],
    ),
)
# park, year, count target (个), amount target (万元)
TARGETS = (
    ("DEMO", 2022, 10, 300000),
    ("DEMO", 2023, 12, 350000),
    ("DEMO", 2024, 12, 380000),
    ("DEMO2", 2022, 3, 80000),
)
# 到位资金 (万元) of some 2022 signings: (code, year, month, fixed assets, working capital)
FUNDS = (
    ("ZS2022001", 2022, 5, 6000, 500),
    ("ZS2022001", 2022, 9, 8000, 1000),
    ("ZS2022002", 2022, 4, 12000, 2000),
    ("ZS2022002", 2022, 10, 15000, 1500),
    ("ZS2022003", 2022, 12, 5000, 0),
    ("ZS2022004", 2022, 11, 3000, 0),
    ("ZS2022003", 2023, 6, 20000, 3000),
)


def load_investment() -> None:
    # The module indicators the targets hang on, as the migration seeds them (again after a
    # test's flush, which empties migration data).
    import_module("yuanqu.investment.migrations.0002_module_indicators").seed(apps, None)
    park = Park.objects.get(code="DEMO")
    clusters = {c.name: c for c in IndustryCluster.objects.filter(park=park)}
    dept = Department.objects.filter(park=park, code="ZSJ").first()
    projects = {p.code: p for p in Project.objects.filter(park=park)}
    parcels = {p.code: p for p in Parcel.objects.filter(park=park)}
    for i, (code, name, investor, cluster, amount, rate, stages, project, parcel) in enumerate(
        DEMO_LEADS
    ):
        the_project = projects.get(project or "")
        signed = any(s[0] == "signed" for s in stages)
        lead = services.lead_upsert(
            park=park,
            code=code,
            name=name,
            investor=investor,
            origin=ORIGINS[i % len(ORIGINS)] if rate is None else "abroad",
            cluster=clusters.get(cluster),
            currency="USD" if rate is not None else "CNY",
            usd_rate=rate,
            planned_investment=Decimal(amount),
            agreement_amount=Decimal(amount) if signed else None,
            responsible_person=f"招商专员{i % 5 + 1}",
            department=dept,
            enterprise=the_project.enterprise if the_project else None,
            project=the_project,
            parcel=parcels.get(parcel or ""),
        )
        for stage, date, *note in stages:
            services.lead_stage_set(lead=lead, stage=stage, date=date, note=note[0] if note else "")
    leads = {lead.code: lead for lead in park.leads.all()}
    for code, year, month, fixed, working in FUNDS:
        services.lead_fund_set(
            lead=leads[code],
            year=year,
            month=month,
            fixed_assets=Decimal(fixed),
            working_capital=Decimal(working),
        )
    for park_code, code, name, cluster, amount, stages in OTHER_LEADS:
        other = Park.objects.get(code=park_code)
        lead = services.lead_upsert(
            park=other,
            code=code,
            name=name,
            cluster=IndustryCluster.objects.filter(park=other, name=cluster).first(),
            planned_investment=Decimal(amount),
            agreement_amount=Decimal(amount),
            origin="outside_province",
        )
        for stage, date in stages:
            services.lead_stage_set(lead=lead, stage=stage, date=date)
    count = Indicator.objects.get(code="investment_signed_count")
    total = Indicator.objects.get(code="investment_signed_amount")
    for park_code, year, n, amount in TARGETS:
        the_park = Park.objects.get(code=park_code)
        for indicator, value, note in ((count, n, "签约项目（个）"), (total, amount, "协议总投资")):
            Target.objects.update_or_create(
                park=the_park,
                indicator=indicator,
                year=year,
                defaults={"value": Decimal(value), "note": note},
            )
