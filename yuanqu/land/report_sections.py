"""土地's report sections: 载体开发 in the annual report (order 40, the speech's (五)) and 土地 in
the monthly analysis (order 75).

Every figure comes from `land.selectors.land_summary` at the end of the report's period (the
figures of the pages, the API and `yuanqu land`). Areas in 亩: exact with the decimals they have
(新增收储326.8亩), or 约X亩 rounded half-up to whole 亩 where the speech says 约 (DECISIONS.md);
money in 万元.
"""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core.wording import fmt_decimal, round_half_up, wan_yuan
from yuanqu.investment.report_sections import period_end
from yuanqu.land import selectors
from yuanqu.land.selectors import LandSummary
from yuanqu.reports.engine import (
    Fig,
    Rendered,
    Section,
    SectionContext,
    register_outlook,
    register_section,
)

LEDGER = "宗地台账：各宗地环节日期"


def summary(ctx: SectionContext) -> LandSummary:
    key = ("land-summary", ctx.park.pk, ctx.year, str(ctx.period))
    store = ctx.cache.__dict__.setdefault("_module_cache", {})
    if key not in store:
        store[key] = selectors.land_summary(park=ctx.park, year=ctx.year, at=period_end(ctx))
    found: LandSummary = store[key]
    return found


def mu(
    ctx: SectionContext, value: Decimal, *, indicator: str, method: str, about: bool = False
) -> Fig:
    """An area in 亩: “约278亩” (about: half-up to whole 亩) or “326.8亩” (the decimals it has,
    at most two)."""
    if about:
        text = f"{round_half_up(value, 0)}亩"
    else:
        places = 0
        while places < 2 and round_half_up(value, places) != value:
            places += 1
        text = fmt_decimal(value, places) + "亩"
    return ctx._emit(text, indicator=indicator, period=ctx.period_label, unit="亩", method=method)


def wan(ctx: SectionContext, value: Decimal, *, indicator: str, method: str) -> Fig:
    text = wan_yuan(value, places=0 if value == value.to_integral() else 2)
    return ctx._emit(text, indicator=indicator, period=ctx.period_label, unit="万元", method=method)


@register_section(
    "annual",
    40,
    key="land",
    title="载体开发干出新业绩",
    group="achievements",
    template="annual/land.j2",
    variables={
        "land_reserved": "本年新增收储土地面积（签订收储协议，亩）；没有时为空",
        "land_expropriating": "期末征收中的土地面积（亩）；没有时为空",
        "land_available": "期末成熟可供用地（未出让净地，亩，四舍五入到整亩）；没有时为空",
        "land_dossiers": "本年组织出让材料的宗数，如“5宗”；没有时为空",
        "land_sold_count": "其中已出让宗数，如“3宗”；没有时为空",
        "land_sold_area": "已出让面积（亩，四舍五入到整亩）",
        "land_sold_amount": "已出让交易金额（万元）",
    },
)
def land(ctx: SectionContext) -> Section | None:
    s = summary(ctx)
    if not (s.reserved.count or s.expropriating.count or s.available.count or s.dossiers.count):
        return ctx.omit(f"{ctx.year}年没有收储、征收、可供或出让的土地")
    v: dict[str, object] = dict.fromkeys(
        (
            "land_reserved",
            "land_expropriating",
            "land_available",
            "land_dossiers",
            "land_sold_count",
            "land_sold_area",
            "land_sold_amount",
        ),
        "",
    )
    if s.reserved.count:
        v["land_reserved"] = mu(
            ctx,
            s.reserved.area_mu,
            indicator="新增收储土地",
            method=f"{LEDGER}，收储协议签订日期在本年",
        )
    if s.expropriating.count:
        v["land_expropriating"] = mu(
            ctx, s.expropriating.area_mu, indicator="征收中土地", method=f"{LEDGER}，期末处于征收中"
        )
    if s.available.count:
        v["land_available"] = mu(
            ctx,
            s.available.area_mu,
            indicator="成熟可供用地",
            method=f"{LEDGER}，期末已收储（净地）、组卷或挂牌而未出让",
            about=True,
        )
    if s.dossiers.count:
        v["land_dossiers"] = ctx.count(
            s.dossiers.count,
            "宗",
            indicator="组织出让材料",
            period=ctx.period_label,
            method=f"{LEDGER}，出让材料组卷日期在本年",
        )
    if s.dossiers_sold.count:
        method = f"{LEDGER}，本年组卷且期末已出让"
        v["land_sold_count"] = ctx.count(
            s.dossiers_sold.count,
            "宗",
            indicator="已出让宗地",
            period=ctx.period_label,
            method=method,
        )
        v["land_sold_area"] = mu(
            ctx, s.dossiers_sold.area_mu, indicator="已出让面积", method=method, about=True
        )
        v["land_sold_amount"] = wan(
            ctx,
            s.dossiers_sold.amount,
            indicator="土地出让交易金额",
            method=method + "，成交价格之和",
        )
    return ctx.section(**v)


@register_section(
    "monthly",
    75,
    key="land",
    title="土地",
    template="monthly/land.j2",
    variables={
        "land_m_reserved": "1-本月新增收储土地（亩）",
        "land_m_expropriating": "期末征收中土地（亩）",
        "land_m_available": "期末成熟可供用地（约，亩）",
        "land_m_sold_count": "1-本月出让宗数",
        "land_m_sold_area": "1-本月出让面积（亩）",
        "land_m_sold_amount": "1-本月出让成交金额（万元）",
        "land_m_idle_count": "期末闲置土地宗数；没有时为空",
        "land_m_idle_area": "期末闲置土地面积（亩）",
    },
)
def land_monthly(ctx: SectionContext) -> Section | None:
    s = summary(ctx)
    rows = [r for g in s.by_status.values() for r in g.parcels]
    if not any(d.year == ctx.year and d <= s.at for r in rows for d in r.dates.values()):
        # No parcel moved this year (a period beyond the data): no section.
        return ctx.omit(f"{ctx.period.label}宗地没有环节记录")
    period = ctx.period_label
    return ctx.section(
        land_m_reserved=mu(ctx, s.reserved.area_mu, indicator="新增收储土地", method=LEDGER),
        land_m_expropriating=mu(
            ctx, s.expropriating.area_mu, indicator="征收中土地", method=LEDGER
        ),
        land_m_available=mu(
            ctx, s.available.area_mu, indicator="成熟可供用地", method=LEDGER, about=True
        ),
        land_m_sold_count=ctx.count(
            s.sold.count, "宗", indicator="出让宗地", period=period, method=LEDGER
        ),
        land_m_sold_area=mu(ctx, s.sold.area_mu, indicator="出让面积", method=LEDGER),
        land_m_sold_amount=wan(ctx, s.sold.amount, indicator="出让成交金额", method=LEDGER),
        land_m_idle_count=ctx.count(
            s.idle.count,
            "宗",
            indicator="闲置土地",
            period=period,
            method="已出让、超过约定开工日期一年未开工",
        )
        if s.idle.count
        else "",
        land_m_idle_area=mu(ctx, s.idle.area_mu, indicator="闲置土地面积", method=LEDGER),
    )


@register_outlook(
    "annual",
    40,
    key="land_targets",
    template="计划新增收储土地{{ land_next_reserved }}。",
    variables={"land_next_reserved": "下一年新增收储土地目标（亩）"},
)
def next_year_targets(ctx: SectionContext) -> list[Rendered]:
    """下一年工作安排: next year's land-reserve target (the module's row of the targets table)."""
    from yuanqu.investment.selectors import module_target

    year = ctx.year + 1
    area = module_target(park=ctx.park, year=year, code="land_reserved_area")
    if area is None:
        return []
    return [
        ctx.render_part(
            "annual/outlook_land_targets.inline",
            land_next_reserved=ctx.quantity(
                area,
                "亩",
                indicator="下一年新增收储土地目标",
                period=f"{year}年",
                method="年度目标（目标表，土地）",
                places=0 if area == area.to_integral_value() else 1,
            ),
        )
    ]
