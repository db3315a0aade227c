"""招商引资's report sections: 招商引资 in the annual report (order 30, the speech's (四)), the
招大引强 shortfall of 问题与差距 (order 20) and 招商引资 in the monthly analysis (order 70).

Every figure comes from `investment.selectors.investment_summary` at the end of the report's
period (the same figures as the pages, the API and `yuanqu investment`). 提前 / 超额 are written
only when every target the park set for the year shows them (DECISIONS.md); 总投资超X亿元
rounds down to whole 亿元.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from yuanqu.core.wording import cn_count
from yuanqu.investment import selectors
from yuanqu.investment.selectors import InvestmentSummary
from yuanqu.reports.engine import (
    Fig,
    Label,
    Rendered,
    Section,
    SectionContext,
    Var,
    register_outlook,
    register_section,
    register_shortfall,
)

METHOD = "招商项目库：签约日期在本年的项目，协议总投资之和（美元项目按签约日汇率折算）"


def period_end(ctx: SectionContext) -> dt.date:
    p = ctx.period
    return dt.date(p.year, p.month, calendar.monthrange(p.year, p.month)[1])


def summary(ctx: SectionContext) -> InvestmentSummary:
    key = ("investment-summary", ctx.park.pk, ctx.year, str(ctx.period))
    store = ctx.cache.__dict__.setdefault("_module_cache", {})
    if key not in store:
        store[key] = selectors.investment_summary(park=ctx.park, year=ctx.year, at=period_end(ctx))
    found: InvestmentSummary = store[key]
    return found


def floor_yi(ctx: SectionContext, wan: Decimal, *, indicator: str, method: str) -> Fig:
    """“超X亿元”: whole 亿元, rounded down (DECISIONS.md)."""
    whole = (wan / 10000).to_integral_value(rounding=ROUND_FLOOR)
    return ctx._emit(
        f"{whole}亿元", indicator=indicator, period=ctx.year_label, unit="亿元", method=method
    )


def target_phrase(ctx: SectionContext, s: InvestmentSummary) -> Label | Fig | str:
    """完成年度任务, with 提前 / 超额 only when true of every target set; the completion rate of
    the count target when it was not reached; empty without targets."""
    set_ = [
        (s.count_reached_on, s.count_ahead, s.count_exceeded) if s.target_count else None,
        (s.amount_reached_on, s.amount_ahead, s.amount_exceeded) if s.target_amount else None,
    ]
    targets = [t for t in set_ if t is not None]
    if not targets:
        return ""
    if all(t[0] is not None for t in targets):
        ahead = all(t[1] for t in targets)
        over = all(t[2] for t in targets)
        words = ("提前" if ahead else "") + ("超额" if over else "")
        return Label(f"{words}完成年度任务")
    if s.target_count:
        return ctx._emit(
            f"完成签约个数年度目标的{ctx_pct(s.signed_count, s.target_count)}",
            indicator="签约个数年度目标完成率",
            period=ctx.period_label,
            unit="%",
            method="签约个数 ÷ 年度目标 × 100%",
        )
    return ctx._emit(
        f"完成签约金额年度目标的{ctx_pct(s.signed_amount, s.target_amount or Decimal(1))}",
        indicator="签约金额年度目标完成率",
        period=ctx.period_label,
        unit="%",
        method="协议总投资 ÷ 年度目标 × 100%",
    )


def ctx_pct(value: Decimal | int, target: Decimal) -> str:
    from yuanqu.core.wording import pct_str

    return pct_str(Decimal(value) / target * 100)


@register_section(
    "annual",
    30,
    key="investment",
    title="招商引资取得新成果",
    group="achievements",
    template="annual/investment.j2",
    variables={
        "investment_count": "本年签约引进项目个数，如“12个”",
        "investment_amount": "签约项目计划（协议）总投资（亿元）",
        "investment_target_phrase": "“提前超额完成年度任务”等（只在属实时写提前、超额）；未完成时为完成率",
        "investment_large_count": "超亿元（≥1亿元，设置）项目个数；没有时为空",
        "investment_reserve_count": "储备（意向）项目个数；没有时为空",
        "investment_reserve_clusters": "储备项目涉及的产业集群，按投资额排序，如“金属智造、电子信息”",
        "investment_reserve_amount": "储备项目总投资，向下取整到亿元，如“29亿元”",
        "investment_reserve_over": Var("储备项目总投资不少于1亿元（写“超X亿元”）", "flag"),
        "investment_park_clusters": "园区产业集群，如“金属智造、电子信息、新材料、机械装备四大”",
    },
)
def investment(ctx: SectionContext) -> Section | None:
    s = summary(ctx)
    if not s.signed_count:
        return ctx.omit(f"{ctx.year}年没有签约的招商项目")
    period = ctx.period_label
    v: dict[str, object] = {
        "investment_count": ctx.count(
            s.signed_count, "个", indicator="签约引进项目", period=period, method=METHOD
        ),
        "investment_amount": ctx.amount(
            s.signed_amount, indicator="签约项目计划总投资", period=period, method=METHOD
        ),
        "investment_target_phrase": target_phrase(ctx, s),
        "investment_large_count": ctx.count(
            s.large_count,
            "个",
            indicator="超亿元签约项目",
            period=period,
            method=f"协议总投资不低于{s.large_threshold}万元的签约项目",
        )
        if s.large_count
        else "",
        "investment_reserve_count": "",
        "investment_reserve_clusters": "",
        "investment_reserve_amount": "",
        "investment_reserve_over": False,
        "investment_park_clusters": "",
    }
    if s.reserve:
        method = "招商项目库：期末处于意向（储备）阶段的项目，计划总投资之和"
        v["investment_reserve_count"] = ctx.count(
            len(s.reserve), "个", indicator="储备意向项目", period=period, method=method
        )
        v["investment_reserve_clusters"] = Label(
            "、".join(c.name for c in s.reserve_by_cluster if c.name != "其他")
        )
        over = s.reserve_amount >= 10000
        v["investment_reserve_over"] = over
        v["investment_reserve_amount"] = (
            floor_yi(
                ctx, s.reserve_amount, indicator="储备项目总投资", method=method + "，向下取整"
            )
            if over
            else ctx.amount(
                s.reserve_amount, indicator="储备项目总投资", period=period, method=method
            )
        )
    # The park's clusters, in the reserve's order first (as the speech names them twice).
    names = [c.name for c in s.reserve_by_cluster if c.name != "其他"]
    names += [
        n for n in ctx.park.clusters.order_by("id").values_list("name", flat=True) if n not in names
    ]
    if names:
        v["investment_park_clusters"] = Label(
            "、".join(names) + cn_count(len(names)) + "大"
        )  # 两大, 四大
    return ctx.section(**v)


@register_shortfall(
    "annual",
    20,
    key="investment",
    template="annual/shortfall_investment.j2",
    variables={
        "investment_sf_count": "本年引进（签约）项目个数",
        "investment_sf_count_met": Var("签约个数达到年度目标", "flag"),
        "investment_sf_largest": "投资额最大的签约项目（亿元，只写有的小数）",
        "investment_sf_largest_name": "投资额最大的签约项目名称",
        "investment_sf_required": "招大引强要求的单个项目规模（亿元，按年度设置）",
    },
)
def big_projects_shortfall(ctx: SectionContext) -> list[Rendered]:
    """招大引强短板: signings this year, none reaching the city's required size (a per-year
    setting), naming the largest."""
    s = summary(ctx)
    if not s.signed_count or s.required_reached or s.largest is None:
        return []
    period = ctx.period_label
    return [
        ctx.render_part(
            "annual/shortfall_investment.j2",
            investment_sf_count=ctx.count(
                s.signed_count, "个", indicator="签约引进项目", period=period, method=METHOD
            ),
            investment_sf_count_met=bool(s.count_reached_on),
            investment_sf_largest=ctx.planned_amount(
                s.largest.amount or Decimal(0),
                indicator="投资额最大的签约项目",
                period=period,
                method=f"协议总投资最大的签约项目：{s.largest.lead.name}",
            ),
            investment_sf_largest_name=Label(s.largest.lead.name),
            investment_sf_required=ctx.planned_amount(
                s.required_size,
                indicator="招大引强要求的项目规模",
                period=ctx.year_label,
                method="设置 YUANQU_INVESTMENT_REQUIRED_WAN（按年度）",
            ),
        )
    ]


@register_section(
    "monthly",
    70,
    key="investment",
    title="招商引资",
    template="monthly/investment.j2",
    variables={
        "investment_m_count": "1-本月签约项目个数",
        "investment_m_amount": "签约项目协议总投资（亿元）",
        "investment_m_completion": "签约个数年度目标完成率；无目标时为空",
        "investment_m_funds": "1-本月到位资金（万元）；没有时为空",
        "investment_m_reserve": "期末储备（意向）项目个数",
    },
)
def investment_monthly(ctx: SectionContext) -> Section | None:
    s = summary(ctx)
    active = any(d.year == ctx.year and d <= s.at for r in s.rows for d in r.dates.values())
    if not active:
        # Nothing moved in the pipeline this year (a period beyond the data): no section.
        return ctx.omit(f"{ctx.period.label}招商项目没有进展记录")
    from yuanqu.core.wording import wan_yuan

    period = ctx.period_label
    funds = s.funds_fixed + s.funds_working
    return ctx.section(
        investment_m_count=ctx.count(
            s.signed_count, "个", indicator="签约项目", period=period, method=METHOD
        ),
        investment_m_amount=ctx.amount(
            s.signed_amount, indicator="签约项目协议总投资", period=period, method=METHOD
        ),
        investment_m_completion=ctx.rate(
            Decimal(s.signed_count) / s.target_count * 100,
            indicator="签约个数年度目标完成率",
            period=period,
            method="签约个数 ÷ 年度目标 × 100%",
        )
        if s.target_count
        else "",
        investment_m_funds=ctx._emit(
            wan_yuan(funds, places=0 if funds == funds.to_integral() else 2),
            indicator="到位资金",
            period=period,
            unit="万元",
            method="招商项目到位资金台账：本年1-本月固定资产与流动资金之和",
        )
        if funds > 0
        else "",
        investment_m_reserve=ctx.count(
            len(s.reserve),
            "个",
            indicator="储备意向项目",
            period=period,
            method="期末处于意向（储备）阶段的项目",
        ),
    )


@register_outlook(
    "annual",
    30,
    key="investment_targets",
    template=(
        "招商引资力争{% if investment_next_count %}签约引进项目{{ investment_next_count }}{% endif %}"
        "{% if investment_next_count and investment_next_amount %}、{% endif %}"
        "{% if investment_next_amount %}协议总投资{{ investment_next_amount }}{% endif %}。"
    ),
    variables={
        "investment_next_count": "下一年签约项目个数目标，如“12个”；没有时为空",
        "investment_next_amount": "下一年签约项目协议总投资目标（亿元）；没有时为空",
    },
)
def next_year_targets(ctx: SectionContext) -> list[Rendered]:
    """下一年工作安排: next year's signing targets (the module's rows of the targets table)."""
    year = ctx.year + 1
    count = selectors.module_target(park=ctx.park, year=year, code=selectors.TARGET_COUNT)
    amount = selectors.module_target(park=ctx.park, year=year, code=selectors.TARGET_AMOUNT)
    if count is None and amount is None:
        return []
    period, method = f"{year}年", "年度目标（目标表，招商引资）"
    return [
        ctx.render_part(
            "annual/outlook_investment_targets.inline",
            investment_next_count=""
            if count is None
            else ctx.count(
                int(count), "个", indicator="下一年签约项目目标", period=period, method=method
            ),
            investment_next_amount=""
            if amount is None
            else ctx.planned_amount(
                amount, indicator="下一年签约项目协议总投资目标", period=period, method=method
            ),
        )
    ]
