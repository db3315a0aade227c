"""Demo data of 重点项目 and 项目资金 (DECISIONS.md: module demo data cover 2022 and 2023).

DEMO's 2022 provincial and municipal key projects have the speech's shape: all planned new
starts started as planned, the year's plan exceeded; a special bond received in June and fully
spent by the end of September; three policy-finance applications (the reference speech has
two: a count written as a literal would show); six special-bond applications
prepared for 2023 and 2024. The other parks get a few projects and one bond each, so city
views are not empty. Deterministic: fixed figures, no randomness, no "today".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yuanqu.funding import services as funding
from yuanqu.funding.models import FundType
from yuanqu.imports.status import slices_touch
from yuanqu.projects import services
from yuanqu.projects.models import Category, Level, Stage
from yuanqu.registry.models import Department, Enterprise, Park

# Cumulative share of the year's investment done by the end of each month (1..12).
CURVE = tuple(
    Decimal(s)
    for s in (
        "0.05",
        "0.12",
        "0.20",
        "0.29",
        "0.38",
        "0.48",
        "0.57",
        "0.66",
        "0.75",
        "0.84",
        "0.92",
        "1",
    )
)
P, M = Level.PROVINCIAL, Level.MUNICIPAL
IND, INF, SOC = Category.INDUSTRY, Category.INFRASTRUCTURE, Category.SOCIAL
# code, name, level, category, total, start (None: before 2022), plan 2022, done 2022,
# plan 2023, done 2023 (万元), 形象进度
DEMO_PROJECTS = (
    (
        "XM0001",
        "新能源电池材料产业化项目",
        P,
        IND,
        350000,
        None,
        80000,
        92000,
        90000,
        95000,
        "主体完工，设备调试",
    ),
    (
        "XM0002",
        "高端装备制造产业园项目",
        P,
        IND,
        280000,
        (2022, 3, 18),
        70000,
        76500,
        80000,
        84000,
        "厂房封顶",
    ),
    (
        "XM0003",
        "半导体封装测试基地项目",
        P,
        IND,
        200000,
        (2022, 4, 8),
        60000,
        61200,
        70000,
        72500,
        "主体施工",
    ),
    (
        "XM0004",
        "园区综合能源站项目",
        P,
        INF,
        85000,
        None,
        30000,
        33800,
        25000,
        26000,
        "已并网试运行",
    ),
    (
        "XM0005",
        "精密铸件智能工厂项目",
        M,
        IND,
        62000,
        (2022, 2, 20),
        20000,
        21500,
        25000,
        26500,
        "设备安装",
    ),
    ("XM0006", "新型建材产业园项目", M, IND, 45000, None, 15000, 16200, 12000, 12000, "竣工投产"),
    (
        "XM0007",
        "电子元器件产业园二期",
        M,
        IND,
        58000,
        (2022, 5, 6),
        18000,
        19400,
        22000,
        20000,
        "主体施工",
    ),
    (
        "XM0008",
        "园区污水处理厂提标改造",
        M,
        INF,
        26000,
        None,
        9000,
        9800,
        6000,
        6200,
        "完成提标改造",
    ),
    (
        "XM0009",
        "纬三路及配套管网工程",
        M,
        INF,
        32000,
        (2022, 3, 1),
        12000,
        12600,
        10000,
        10400,
        "路基完成",
    ),
    (
        "XM0010",
        "人才公寓及邻里中心项目",
        M,
        SOC,
        38000,
        (2022, 6, 16),
        10000,
        10300,
        15000,
        15600,
        "主体封顶",
    ),
    (
        "XM0011",
        "智能仓储物流中心项目",
        M,
        IND,
        40000,
        None,
        12000,
        12900,
        14000,
        14500,
        "仓库主体完工",
    ),
    (
        "XM0012",
        "机械装备再制造项目",
        M,
        IND,
        27000,
        (2022, 7, 1),
        8000,
        8400,
        10000,
        10100,
        "钢结构安装",
    ),
    ("XM0013", "园区职业技能实训基地", M, SOC, 18000, None, 6000, 5400, 6000, 6300, "内部装修"),
)
OTHER_PROJECTS = (
    ("DEMO2", "XM0001", "生物医药孵化器项目", P, IND, 120000, 30000, 31500, 35000, 36000),
    ("DEMO2", "XM0002", "智能装备产业园项目", M, IND, 60000, 18000, 16000, 20000, 21000),
    ("DEMO3", "XM0001", "临港物流枢纽项目", P, INF, 150000, 40000, 42000, 45000, 44000),
    ("DEMO3", "XM0002", "化工新材料项目", M, IND, 80000, 22000, 23500, 25000, 26000),
    ("DEMO4", "XM0001", "绿色食品精深加工项目", M, IND, 30000, 10000, 10800, 12000, 12500),
)


# (park, year, month) slices written: recorded once at the end (已审核: the 项目办's own data).
SLICES: set[tuple[int, int, int]] = set()


def _d(n: int | str) -> Decimal:
    return Decimal(n)


def _months(project, year: int, done: int, image: str = "") -> None:
    for month, share in enumerate(CURVE, start=1):
        ytd = (_d(done) * share).quantize(Decimal(1))
        services.progress_save(
            project=project,
            year=year,
            month=month,
            ytd_investment=ytd,
            image_progress=image if month == 12 else "",
            record_slice=False,
        )
        SLICES.add((project.park_id, year, month))


def load_projects() -> None:
    park = Park.objects.get(code="DEMO")
    dept = Department.objects.filter(park=park, code="XMB").first()
    owners = list(Enterprise.objects.filter(park=park).order_by("credit_code")[:13])
    for i, (
        code,
        name,
        level,
        cat,
        total,
        start,
        plan22,
        done22,
        plan23,
        done23,
        image,
    ) in enumerate(DEMO_PROJECTS):
        started = dt.date(*start) if start else dt.date(2021, 3, 1)
        finished = code in ("XM0006", "XM0008")
        project = services.project_upsert(
            park=park,
            code=code,
            name=name,
            level=level,
            category=cat,
            stage=Stage.PRODUCTION
            if finished
            else (Stage.NEW_START if start else Stage.CONTINUING),
            enterprise=owners[i] if i < len(owners) and cat == IND else None,
            content=f"{name}，总投资{Decimal(total) / 10000}亿元",
            total_investment=_d(total),
            opening_balance=_d(total // 5) if start is None else _d(0),
            planned_start=started,
            actual_start=started,
            planned_completion=dt.date(2023, 12, 31) if not finished else dt.date(2022, 11, 30),
            actual_completion=dt.date(2022, 11, 20) if finished else None,
            planned_production=dt.date(2022, 12, 31) if finished else None,
            actual_production=dt.date(2022, 12, 20) if finished else None,
            department=dept,
            responsible_unit="项目办",
            leader=f"园区领导{i % 4 + 1}",
        )
        plan = services.plan_upsert(
            project=project,
            year=2022,
            planned_investment=_d(plan22),
            start_planned=start is not None,
            completion_planned=finished,
            production_planned=finished,
        )
        services.milestone_add(
            plan=plan,
            name="完成年度投资计划过半",
            deadline=dt.date(2022, 6, 30),
            completed_on=dt.date(2022, 6, 28),
        )
        services.plan_upsert(project=project, year=2023, planned_investment=_d(plan23))
        _months(project, 2022, done22, image)
        _months(project, 2023, done23, image)
    # A 2023 problem and an overdue milestone, so the board has something to show.
    lagging = services.project_upsert(park=park, code="XM0007")
    plan23 = lagging.plans.get(year=2023)
    services.milestone_add(plan=plan23, name="二期厂房主体封顶", deadline=dt.date(2023, 9, 30))
    services.problem_add(
        project=lagging,
        description="施工用电增容待供电公司批复",
        year=2023,
        month=9,
        responsible_unit="规划建设局",
        deadline=dt.date(2023, 10, 31),
    )
    for park_code, code, name, level, cat, total, plan22, done22, plan23, done23 in OTHER_PROJECTS:
        other = Park.objects.get(code=park_code)
        project = services.project_upsert(
            park=other,
            code=code,
            name=name,
            level=level,
            category=cat,
            stage=Stage.CONTINUING,
            total_investment=_d(total),
            actual_start=dt.date(2021, 5, 1),
            planned_start=dt.date(2021, 5, 1),
        )
        services.plan_upsert(project=project, year=2022, planned_investment=_d(plan22))
        services.plan_upsert(project=project, year=2023, planned_investment=_d(plan23))
        _months(project, 2022, done22)
        _months(project, 2023, done23)
    slices_touch(kind=services.PROGRESS_KIND, keys=set(SLICES), user=None, submit_only=False)
    SLICES.clear()
    _load_funds()


def _load_funds() -> None:
    park = Park.objects.get(code="DEMO")
    projects = {p.code: p for p in park.projects.all()}
    bond = funding.fund_upsert(
        park=park,
        code="ZJ2022001",
        name="2022年新增地方政府专项债券（园区综合能源站）",
        fund_type=FundType.SPECIAL_BOND,
        year=2022,
        project=projects["XM0004"],
        applied=_d(3000),
        approved=_d(2600),
    )
    for month, received, spent in ((6, 2600, 0), (7, 0, 800), (8, 0, 1000), (9, 0, 800)):
        funding.flow_upsert(
            fund=bond, year=2022, month=month, received=_d(received), spent=_d(spent)
        )
    for code, name, proj, applied, approved in (
        ("ZJ2022002", "政策性开发性金融工具（新能源电池材料）", "XM0001", 12000, 10000),
        ("ZJ2022003", "政策性开发性金融工具（污水处理厂提标改造）", "XM0008", 20000, 15000),
        ("ZJ2022005", "政策性开发性金融工具（标准厂房三期）", "XM0003", 8000, 6000),
    ):
        fund = funding.fund_upsert(
            park=park,
            code=code,
            name=name,
            fund_type=FundType.POLICY_FINANCE,
            year=2022,
            project=projects[proj],
            applied=_d(applied),
            approved=_d(approved),
        )
        funding.flow_upsert(
            fund=fund, year=2022, month=10, received=_d(approved), spent=_d(approved) / 2
        )
    central = funding.fund_upsert(
        park=park,
        code="ZJ2022004",
        name="中央预算内投资（人才公寓）",
        fund_type=FundType.CENTRAL_BUDGET,
        year=2022,
        project=projects["XM0010"],
        applied=_d(1500),
        approved=_d(1200),
    )
    funding.flow_upsert(fund=central, year=2022, month=8, received=_d(1200), spent=_d(600))
    for name, target, amount in (
        ("园区标准厂房三期项目", 2023, 15000),
        ("园区智慧管网改造项目", 2023, 12000),
        ("纬四路及配套管网工程", 2023, 28000),
        ("园区综合能源站二期项目", 2024, 25000),
        ("产业园区污水管网扩容工程", 2024, 30000),
        ("园区人才公寓二期项目", 2024, 18000),
    ):
        funding.application_upsert(
            park=park,
            project_name=name,
            fund_type=FundType.SPECIAL_BOND,
            declared_year=2022,
            target_year=target,
            amount=_d(amount),
        )
    bond23 = funding.fund_upsert(
        park=park,
        code="ZJ2023001",
        name="2023年新增地方政府专项债券（纬四路）",
        fund_type=FundType.SPECIAL_BOND,
        year=2023,
        applied=_d(28000),
        approved=_d(20000),
    )
    for month, received, spent in ((5, 20000, 0), (7, 0, 6000), (9, 0, 8000), (11, 0, 4000)):
        funding.flow_upsert(
            fund=bond23, year=2023, month=month, received=_d(received), spent=_d(spent)
        )
    for n, code in enumerate(("DEMO2", "DEMO3", "DEMO4"), start=1):
        other = Park.objects.get(code=code)
        fund = funding.fund_upsert(
            park=other,
            code="ZJ2022001",
            name="2022年新增地方政府专项债券",
            fund_type=FundType.SPECIAL_BOND,
            year=2022,
            applied=_d(2000 * n),
            approved=_d(1500 * n),
        )
        funding.flow_upsert(
            fund=fund, year=2022, month=7, received=_d(1500 * n), spent=_d(1000 * n)
        )
