"""企业诉求's report section: 营商环境 in the annual report (order 50, the speech's (六)).

Every figure comes from `service_requests.selectors` (the same metrics as the pages, the API and
`yuanqu service`), seen at the period end; amounts in 万元 as the speech says them (亿元 from
1亿 up), rates to one decimal.
"""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core import wording
from yuanqu.reports.engine import Fig, Label, Section, SectionContext, Var, register_section
from yuanqu.service_requests import selectors

METHOD_REQ = "企业诉求台账：受理日期在本期内的诉求"
METHOD_ON_TIME = "本期到期的诉求中按期办结的比例；到期未办结的计为逾期（退回的不计）"


def metrics(ctx: SectionContext) -> tuple[selectors.RequestMetrics, selectors.BenefitMetrics]:
    key = ("service-metrics", ctx.park.pk, str(ctx.period))
    store = ctx.cache.__dict__.setdefault("_module_cache", {})
    if key not in store:
        start, end = selectors.year_bounds(ctx.year, ctx.period.month)
        store[key] = (
            selectors.request_metrics(park=ctx.park, start=start, end=end),
            selectors.benefit_metrics(park=ctx.park, start=start, end=end),
        )
    result: tuple[selectors.RequestMetrics, selectors.BenefitMetrics] = store[key]
    return result


def money(ctx: SectionContext, value: Decimal, *, indicator: str, method: str) -> Fig:
    """万元 below 1亿元 ("1860万元", "35.5万元"), 亿元 with two decimals from there."""
    if value >= 10000:
        return ctx.amount(value, indicator=indicator, period=ctx.period_label, method=method)
    places = 0
    while places < 2 and wording.round_half_up(value, places) != value:
        places += 1
    return ctx._emit(
        wording.wan_yuan(value, places=places),
        indicator=indicator,
        period=ctx.period_label,
        unit="万元",
        method=method,
    )


@register_section(
    "annual",
    50,
    key="service",
    title="营商环境得到新改善",
    group="achievements",
    template="annual/service.j2",
    variables={
        "service_span": "“全年”；年中（--as-of）为“1-11月”",
        "service_benefit_amount": "兑现惠企政策资金（万元，1亿元以上为亿元）；没有时为空",
        "service_benefit_enterprises": "惠及企业家数，如“126家”",
        "service_benefit_kinds": Var(
            "列表：按兑现方式（奖补、减税降费、贴息、其他）",
            "list",
            {"name": "方式", "amount": "金额"},
        ),
        "service_received": "受理企业诉求件数，如“86件”；没有时为空",
        "service_closed": "办结件数",
        "service_on_time_rate": "按期办结率，如“93.5%”；本期没有到期诉求时为空",
        "service_median_days": "办结用时中位数，如“6天”",
        "service_satisfied_pct": "企业满意率（评价4分及以上的比例）；没有评价时为空",
    },
)
def service(ctx: SectionContext) -> Section | None:
    m, b = metrics(ctx)
    t = m.total
    if not t.received and not b.total.payments:
        return ctx.omit(f"{ctx.year}年没有企业诉求和惠企政策兑现记录")
    period = ctx.period_label
    v: dict[str, object] = {
        "service_span": Label("全年" if ctx.period.month == 12 else f"1-{ctx.period.month}月"),
        "service_benefit_amount": "",
        "service_benefit_enterprises": "",
        "service_benefit_kinds": [],
        "service_received": "",
        "service_closed": "",
        "service_on_time_rate": "",
        "service_median_days": "",
        "service_satisfied_pct": "",
    }
    if b.total.payments:
        v["service_benefit_amount"] = money(
            ctx,
            b.total.amount,
            indicator="兑现惠企政策资金",
            method="惠企政策兑现台账：兑现日期在本期内的金额之和",
        )
        v["service_benefit_enterprises"] = ctx.count(
            b.total.enterprises,
            "家",
            indicator="惠及企业",
            period=period,
            method="本期获得兑现的企业（去重）",
        )
        v["service_benefit_kinds"] = (
            [
                {
                    "name": Label(g.label),
                    "amount": money(
                        ctx,
                        g.amount,
                        indicator=f"兑现{g.label}资金",
                        method="惠企政策兑现台账，按兑现方式",
                    ),
                }
                for g in b.by_kind
            ]
            if len(b.by_kind) > 1
            else []
        )
    if t.received:
        v["service_received"] = ctx.count(
            t.received, "件", indicator="受理企业诉求", period=period, method=METHOD_REQ
        )
        v["service_closed"] = ctx.count(
            t.closed, "件", indicator="办结企业诉求", period=period, method="办结日期在本期内的诉求"
        )
        if t.on_time_rate is not None:
            v["service_on_time_rate"] = ctx.rate(
                t.on_time_rate, indicator="企业诉求按期办结率", period=period, method=METHOD_ON_TIME
            )
        if t.median_days is not None:
            v["service_median_days"] = ctx._emit(
                wording.fmt_decimal(
                    t.median_days, 0 if t.median_days == t.median_days.to_integral() else 1
                )
                + "天",
                indicator="企业诉求办结用时中位数",
                period=period,
                unit="天",
                method="本期办结诉求自受理至办结的天数（自然日）的中位数",
            )
        if t.satisfied_pct is not None:
            v["service_satisfied_pct"] = ctx.rate(
                t.satisfied_pct,
                indicator="企业满意率",
                period=period,
                method="本期办结并评价的诉求中评价为满意、非常满意（4分及以上）的比例",
            )
    return ctx.section(**v)
