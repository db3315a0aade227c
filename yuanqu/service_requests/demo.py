"""Demo data of 企业诉求 and 惠企政策兑现 (DECISIONS.md: module demo data cover 2022 and 2023).

DEMO gets 72 requests a year spread over the year, across the seven categories and the
departments that handle them, closed within their time limit except one in eight (closed a few
days late) and two still open at the end of the year; most are rated, one in twenty-five is
returned with a reason. Four policies pay enterprises a few dozen times a year (奖补, 减税降费,
贴息, 其他). The other parks get a dozen requests and a few payments each, so city views are
not empty. Deterministic: figures come from the loop index, no randomness, no "today" (the
pages' today is pinned by `clock.DEMO_TODAY`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yuanqu.registry.models import Department, Enterprise, Park
from yuanqu.service_requests import services
from yuanqu.service_requests.models import BenefitKind, PolicyLevel, RequestCategory

YEARS = (2022, 2023)
# category → the department that handles it (codes of the demo registry)
HANDLERS = {
    "land": "GHJSJ",
    "finance": "CZJ",
    "labour": "YSB",
    "approval": "XMB",
    "utilities": "YSB",
    "policy": "JFJ",
    "other": "YSB",
}
TITLES = {
    "land": ("扩建用地指标申请", "厂区红线调整", "不动产权证办理"),
    "finance": ("流动资金贷款对接", "应急转贷资金申请", "知识产权质押融资"),
    "labour": ("技术工人招聘对接", "员工子女入学", "稳岗补贴咨询"),
    "approval": ("环评批复办理", "施工许可提速", "消防验收协调"),
    "utilities": ("增容供电申请", "天然气管道接入", "供水压力不足"),
    "policy": ("技改奖补兑现进度", "研发费用加计扣除咨询", "首台套奖励申报"),
    "other": ("厂区周边道路照明", "公交线路延伸", "物流车辆通行证"),
}
RETURN_REASON = "不属于园区职权范围，已告知企业向市场监管部门反映"
POLICIES = (
    ("ZC001", "工业企业技术改造奖补", PolicyLevel.MUNICIPAL, "JFJ", BenefitKind.SUBSIDY),
    ("ZC002", "增值税留抵退税及减税降费政策", PolicyLevel.NATIONAL, "CZJ", BenefitKind.TAX),
    ("ZC003", "中小微企业贷款贴息", PolicyLevel.PROVINCIAL, "CZJ", BenefitKind.INTEREST),
    ("ZC004", "稳岗返还与就业补贴", PolicyLevel.COUNTY, "YSB", BenefitKind.OTHER),
)


def _requests(park: Park, year: int, count: int) -> None:
    enterprises = list(Enterprise.objects.filter(park=park).order_by("credit_code"))
    if not enterprises:
        return
    departments = {d.code: d for d in Department.objects.filter(park=park)}
    categories = list(RequestCategory.objects.order_by("sort_order", "code"))
    step = max(1, 360 // count)
    for i in range(count):
        category = categories[i % len(categories)]
        received = dt.date(year, 1, 3) + dt.timedelta(days=i * step)
        if received.weekday() >= 5:  # received on the next Monday
            received += dt.timedelta(days=7 - received.weekday())
        title = TITLES.get(category.code, ("企业诉求",))[i % 3]
        r = services.request_create(
            park=park,
            enterprise=enterprises[(i * 7) % len(enterprises)],
            category=category,
            title=title,
            content=f"{title}：企业反映相关事项需园区协调解决。",
            received_on=received,
            department=departments.get(HANDLERS.get(category.code, "YSB")),
            handler="",
            code=f"SQ{year}{i + 1:04d}",
        )
        if i % 25 == 24:
            services.request_return(
                request=r, reason=RETURN_REASON, on=received + dt.timedelta(days=2)
            )
            continue
        if i >= count - 2 and year == YEARS[-1]:
            continue  # still being handled at the end of the demo
        services.request_reply(
            request=r, text="已受理，正在协调相关部门办理。", on=received + dt.timedelta(days=1)
        )
        if i % 8 == 5:
            closed = r.due_on + dt.timedelta(days=3 + i % 4)  # late
        else:
            closed = max(r.due_on - dt.timedelta(days=i % 5), received + dt.timedelta(days=1))
        services.request_reply(request=r, text="已办结，结果已告知企业。", on=closed, close=True)
        if i % 6 != 3:
            score = 3 if i % 8 == 5 else (4 if i % 5 == 0 else 5)
            services.request_rate(request=r, satisfaction=score, on=closed + dt.timedelta(days=1))


def _benefits(park: Park, year: int, count: int) -> None:
    enterprises = list(Enterprise.objects.filter(park=park).order_by("credit_code"))
    if not enterprises:
        return
    departments = {d.code: d for d in Department.objects.filter(park=park)}
    policies = [
        (
            services.policy_upsert(
                park=park, code=code, name=name, level=level, department=departments.get(dept)
            ),
            kind,
        )
        for code, name, level, dept, kind in POLICIES
    ]
    for j in range(count):
        policy, kind = policies[j % len(policies)]
        services.benefit_record(
            policy=policy,
            enterprise=enterprises[(j * 7) % min(29, len(enterprises))],
            amount=Decimal(20 + (j * 37) % 180) + Decimal((j % 4) * 25) / 100,
            paid_on=dt.date(year, 1 + (j * 5) % 12, 10 + j % 15),
            kind=kind,
        )


def load_service() -> None:
    services.categories_ensure()
    for park in Park.objects.filter(code__startswith="DEMO").order_by("code"):
        main = park.code == "DEMO"
        for year in YEARS:
            _requests(park, year, 72 if main else 12)
            _benefits(park, year, 40 if main else 8)
