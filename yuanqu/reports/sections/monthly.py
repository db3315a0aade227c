"""月度经济运行分析 for a park and period: the indicator table, growth by cluster with 拉动,
the enterprises that pulled growth up and down, the park's rank in its city, and the indicators
behind their time progress. Figures from `yuanqu.economy.selectors`; table cells from
`yuanqu.economy.presenters` (the page's and the API's strings) except amounts, which reports
show in 亿元."""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core.periods import Period
from yuanqu.core.wording import MONEY_UNITS, convert_amount, fmt_decimal, round_half_up
from yuanqu.economy import formulas, presenters, selectors
from yuanqu.reports import charts
from yuanqu.reports.engine import (
    Chart,
    Label,
    Section,
    SectionContext,
    Table,
    Var,
    register_section,
)
from yuanqu.reports.sections.annual import indicator

OUTPUT = "industrial_output"
TOP_N = 3


def yi_cell(value: Decimal | None, unit: str = "万元") -> str:
    """A table cell in 亿元 (two decimals, half up); “—” when missing."""
    if value is None:
        return "—"
    return fmt_decimal(convert_amount(value, unit, "亿元"), 2, thousands=True)


def table_unit(unit: str) -> str:
    return "亿元" if unit in MONEY_UNITS else unit


def amount_cell(row: selectors.IndicatorRow, value: Decimal | None) -> str:
    if row.kind == "rate":
        return presenters.display_pct(value)
    if row.unit in MONEY_UNITS:
        return yi_cell(value, row.unit)
    return presenters.display_amount(value, row.precision)


def month_label(period: Period) -> Label:
    """The single month as the forms call it: 1-2月 is one period (January is not reported)."""
    return Label("1-2月" if period.month == 2 else f"{period.month}月")


def progress_method(ctx: SectionContext) -> str:
    return f"完成率 − 序时进度（{ctx.period.month}/12），由未四舍五入的数计算"


def parts(ctx: SectionContext, by: str) -> list[selectors.PartRow]:
    return selectors.indicator_parts(
        park=ctx.park,
        period=ctx.period,
        code=OUTPUT,
        by=by,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
    )


# ---------------------------------------------------------------------------------------------
# 总体情况
# ---------------------------------------------------------------------------------------------

OTHER_FIELDS = {
    "name": "指标名称",
    "value": "1-本月累计（亿元；外资为万美元）",
    "growth": "增速措辞（部门发布或可比口径）；无基数时为空",
    "completion": "“完成年度目标的X%”；无总量目标时为空",
    "time_progress": "“超序时进度X个百分点”“慢于序时进度X个百分点”；无总量目标时为空",
}

OVERVIEW_VARIABLES: dict[str, str | Var] = {
    "output": "规上工业总产值，1-本月累计（亿元），如“59.68亿元”",
    "output_growth": "规上工业总产值同比增速措辞（可比口径）；无基数时为空",
    "output_trend": "与上月累计增速比较，如“增速比1-8月加快0.3个百分点”（相差不足0.1个百分点时“基本持平”）；无可比时为空",
    "output_completion": "“完成年度目标的X%”；未设目标时为空",
    "output_time_progress": "“超序时进度X个百分点”/“慢于序时进度X个百分点”/“与序时进度持平”",
    "month_label": "本月名称，如“9月”；2月报表为“1-2月”",
    "output_month": "本月规上工业总产值（亿元）；无数据时为空",
    "va_growth": "规上工业增加值增速措辞（统计部门发布），如“增长9.9%”；无数据时为空",
    "revenue": "规上工业营业收入（亿元）",
    "revenue_growth": "规上工业营业收入增速措辞（可比口径）",
    "profit": "规上工业利润总额（亿元）",
    "profit_growth": "利润总额增速措辞（上年为亏损时为“扭亏为盈”“减亏X%”等）",
    "reporting_expected": "本期应报企业户数（报送率的分母），如“146户”；无应报名单时为空",
    "reporting_reported": "本期已报企业户数，如“143户”",
    "reporting_rate": "报送率，如“97.9%”（已报 ÷ 应报）；无应报名单时为空",
    "others": Var(
        "列表：部门发布的其他指标（全社会固定资产投资、全口径税收、一般公共预算收入、实际使用外资）",
        "list",
        OTHER_FIELDS,
    ),
}


@register_section(
    "monthly",
    10,
    key="overview",
    title="总体情况",
    template="monthly/overview.j2",
    variables=OVERVIEW_VARIABLES,
)
def overview(ctx: SectionContext) -> Section | None:
    table = selectors.park_indicator_table(
        park=ctx.park,
        period=ctx.period,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
    )
    rows = {r.code: r for r in table}
    output = rows.get(OUTPUT)
    if output is None or output.value is None:
        return ctx.omit(f"{ctx.period.label}没有已审核的规上企业报表")
    v = {name: var.empty for name, var in ctx.spec.variables.items()}  # type: ignore[union-attr]
    v["output"] = ctx.row_amount(output)
    if output.yoy_pct is not None:
        v["output_growth"] = ctx.row_growth(output)
    if ctx.period.month > 2:
        prev = indicator(ctx, OUTPUT, ctx.period.prev())
        v["output_trend"] = ctx.trend(
            output.yoy_pct,
            prev.yoy_pct,
            prev.period.ytd_label,
            indicator="规上工业总产值增速变化",
            period=ctx.period_label,
            method=f"本期累计增速 − {prev.period.ytd_label}累计增速（均为可比口径，未四舍五入的数相减）",
        )
    if output.completion_pct is not None and output.ahead_pp is not None:
        v["output_completion"] = ctx.completion(
            output.completion_pct,
            indicator="规上工业总产值年度目标完成率",
            period=ctx.period_label,
            method="1-本月累计 ÷ 年度目标 × 100",
        )
        v["output_time_progress"] = ctx.time_progress(
            output.ahead_pp,
            indicator="规上工业总产值超(慢)序时进度",
            period=ctx.period_label,
            method=progress_method(ctx),
        )
    v["month_label"] = month_label(ctx.period)
    if output.month_value is not None:
        v["output_month"] = ctx.row_amount(
            output,
            output.month_value,
            indicator="规上工业总产值（本月）",
            period=ctx.period.month_label if ctx.period.month != 2 else ctx.period.label,
            method="规上企业本月数合计（2月为1-2月）",
        )
    va = rows.get("industrial_va_growth")
    if va is not None and va.value is not None:
        v["va_growth"] = ctx.growth(
            va.value, indicator=va.name, period=ctx.period_label, method=ctx.method_of(va)
        )
    revenue = rows.get("revenue")
    if revenue is not None and revenue.value is not None:
        v["revenue"] = ctx.row_amount(revenue)
        if revenue.yoy_pct is not None:
            v["revenue_growth"] = ctx.row_growth(revenue)
    profit = rows.get("total_profit")
    if profit is not None and profit.value is not None:
        v["profit"] = ctx.row_amount(profit)
        v["profit_growth"] = (
            ctx.growth_for_base(
                profit.value,
                profit.base,
                indicator=f"{profit.name}同比增速",
                period=ctx.period_label,
                method="可比口径：本期 ÷ 同一批企业各自上年同期 − 1；上年为亏损时不计增速",
            )
            if profit.base is not None
            else ""
        )
    others = []
    for r in table:
        if r.source != "entered" or r.kind == "rate" or r.value is None:
            continue
        item = {
            "name": r.name,
            "value": ctx.row_amount(r)
            if r.unit in MONEY_UNITS
            else ctx.quantity(
                r.value, r.unit, indicator=r.name, period=ctx.period_label, method=ctx.method_of(r)
            ),
            "growth": ctx.row_growth(r) if r.yoy_pct is not None else "",
            "completion": "",
            "time_progress": "",
        }
        if r.target_kind == "level" and r.completion_pct is not None and r.ahead_pp is not None:
            item["completion"] = ctx.completion(
                r.completion_pct,
                indicator=f"{r.name}年度目标完成率",
                period=ctx.period_label,
                method="1-本月累计 ÷ 年度目标 × 100",
            )
            item["time_progress"] = ctx.time_progress(
                r.ahead_pp,
                indicator=f"{r.name}超(慢)序时进度",
                period=ctx.period_label,
                method=progress_method(ctx),
            )
        others.append(item)
    v["others"] = others
    # 报送率 (DECISIONS.md, Data integrity): a total is read with how complete it is.
    rate = selectors.reporting_summary(park=ctx.park, period=ctx.period)
    if rate.rate is not None:
        method = f"应报按{rate.basis}；已报 = 应报企业中本期有报表的户数"
        v["reporting_expected"] = ctx.count(
            rate.expected, "户", indicator="应报企业户数", period=ctx.period_label, method=method
        )
        v["reporting_reported"] = ctx.count(
            rate.reported, "户", indicator="已报企业户数", period=ctx.period_label, method=method
        )
        v["reporting_rate"] = ctx.rate(
            rate.rate,
            indicator="企业报表报送率",
            period=ctx.period_label,
            method="已报 ÷ 应报 × 100",
        )

    table_rows = []
    for r in table:
        d = presenters.indicator_display(r)
        target = (
            d["target"]
            if r.target_kind == "growth" or r.kind == "rate"
            else amount_cell(r, r.target)
        )
        table_rows.append(
            [
                d["name"],
                table_unit(r.unit),
                amount_cell(r, r.value),
                "—" if r.kind == "rate" else amount_cell(r, r.month_value),
                d["yoy_pct"],
                target,
                d["completion_pct"],
                d["ahead_pp"],
            ]
        )
    indicator_table = Table(
        "主要经济指标",
        ["指标", "单位", "1-本月", "本月", "同比%", "年度目标", "完成%", "超(慢)序时"],
        table_rows,
        widths_mm=[41, 15, 19, 16, 14, 18, 14, 19],
        note="注：规上工业指标的增速为可比口径（同一批企业各自上年同期）；部门录入指标为发布增速。"
        "超(慢)序时 = 完成% − 月数/12×100（百分点）；增速目标一栏为实际增速与目标之差。"
        "2月数据为1-2月合计。",
    )
    return ctx.section(**v, tables=[indicator_table], charts=[_month_chart(ctx, output)])


def _month_chart(ctx: SectionContext, output: selectors.IndicatorRow) -> Chart:
    """This year's single months against last year's, with the YTD comparable growth."""
    this = selectors.indicator_series(
        park=ctx.park,
        year=ctx.period.year,
        code=OUTPUT,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
        last_month=ctx.period.month,
    )
    last = selectors.indicator_series(
        park=ctx.park,
        year=ctx.period.year - 1,
        code=OUTPUT,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
        last_month=ctx.period.month,
    )

    def yi(value: Decimal | None) -> Decimal | None:
        return None if value is None else convert_amount(value, output.unit, "亿元")

    months = [str(month_label(p.period)) for p in this]
    png = charts.bar_line_chart(
        months,
        [yi(p.month_value) for p in this],
        [yi(p.month_value) for p in last],
        f"{output.name}：{ctx.period.year}年与{ctx.period.year - 1}年逐月对比",
        "亿元",
        this_label=f"{ctx.period.year}年",
        last_label=f"{ctx.period.year - 1}年",
        growth=[p.yoy_pct for p in this],
        growth_label="累计同比增长（可比口径，%）",
    )
    return Chart(f"{output.name}逐月对比（柱：本月值；线：累计可比增速）", png)


# ---------------------------------------------------------------------------------------------
# 分产业集群
# ---------------------------------------------------------------------------------------------

CLUSTER_FIELDS = {
    "name": "集群名称，如“金属智造”",
    "value": "集群规上工业总产值，1-本月（亿元）",
    "growth": "集群增速措辞（可比口径）",
    "pull": "拉动措辞，如“拉动增长9.4个百分点”“下拉1.0个百分点”",
}


@register_section(
    "monthly",
    20,
    key="clusters",
    title="分产业集群情况",
    template="monthly/clusters.j2",
    variables={"clusters": Var("列表：各产业集群，按拉动从大到小", "list", CLUSTER_FIELDS)},
)
def clusters(ctx: SectionContext) -> Section | None:
    rows = parts(ctx, "cluster")
    if not rows:
        return ctx.omit(f"{ctx.period.label}没有已审核的规上企业报表")
    items, table_rows = [], []
    for p in rows:
        growth = (
            formulas.comparable_growth_pct([formulas.Part(p.value, p.base)])
            if p.base is not None
            else None
        )
        items.append(
            {
                "name": ctx.label(p.name),
                "value": ctx.amount(
                    p.value,
                    indicator=f"{p.name}集群规上工业总产值",
                    period=ctx.period_label,
                    method=f"集群内{p.enterprise_count}家规上企业1-本月合计",
                ),
                "growth": ctx.growth(
                    growth,
                    indicator=f"{p.name}集群增速",
                    period=ctx.period_label,
                    method="可比口径：集群本期 ÷ 同一批企业各自上年同期 − 1",
                )
                if growth is not None
                else "",
                "pull": ctx.pull(
                    p.pull_pp,
                    indicator=f"{p.name}集群拉动",
                    period=ctx.period_label,
                    method="（集群本期 − 集群上年同期）÷ 园区可比基数 × 100",
                ),
            }
        )
        table_rows.append(
            [
                p.name,
                str(p.enterprise_count),
                yi_cell(p.value),
                yi_cell(p.base),
                presenters.display_pct(growth),
                presenters.display_pct(p.pull_pp),
                presenters.display_pct(p.contribution_pct),
            ]
        )
    png = charts.bar_chart(
        [p.name for p in rows],
        [p.pull_pp for p in rows],
        "各产业集群拉动园区规上工业总产值增长",
        "个百分点",
    )
    table = Table(
        "分产业集群规上工业总产值",
        ["集群", "企业数", "1-本月(亿元)", "上年同期(亿元)", "增速%", "拉动(百分点)", "贡献率%"],
        table_rows,
        widths_mm=[30, 16, 22, 24, 18, 24, 22],
    )
    return ctx.section(
        clusters=items,
        tables=[table],
        charts=[Chart("各产业集群拉动（百分点）", png)],
    )


# ---------------------------------------------------------------------------------------------
# 重点企业
# ---------------------------------------------------------------------------------------------

ENTERPRISE_FIELDS = {
    "name": "企业名称",
    "cluster": "所属集群",
    "pull": "拉动措辞，如“拉动增长2.8个百分点”",
    "contribution": "贡献率，如“12.5%”",
}


@register_section(
    "monthly",
    30,
    key="enterprises",
    title="重点企业",
    template="monthly/enterprises.j2",
    variables={
        "top": Var("列表：拉动最大的企业（至多3家，拉动为正）", "list", ENTERPRISE_FIELDS),
        "bottom": Var("列表：下拉最多的企业（至多3家，拉动为负）", "list", ENTERPRISE_FIELDS),
    },
)
def enterprises(ctx: SectionContext) -> Section | None:
    rows = [p for p in parts(ctx, "enterprise") if p.pull_pp is not None]
    if not rows:
        return ctx.omit(f"{ctx.period.label}没有可比的规上企业报表")
    top = [p for p in rows[:TOP_N] if round_half_up(p.pull_pp, 1) > 0]  # type: ignore[arg-type]
    bottom = [p for p in reversed(rows[-TOP_N:]) if round_half_up(p.pull_pp, 1) < 0]  # type: ignore[arg-type]
    if not top and not bottom:
        return ctx.omit("没有拉动或下拉达到0.1个百分点的企业")

    def item(p: selectors.PartRow) -> dict[str, object]:
        return {
            "name": ctx.label(p.name),
            "cluster": ctx.label(p.cluster),
            "pull": ctx.pull(
                p.pull_pp,
                indicator=f"{p.name}拉动",
                period=ctx.period_label,
                method="（企业本期 − 企业自报上年同期）÷ 园区可比基数 × 100",
            ),
            "contribution": ctx.rate(
                p.contribution_pct,  # type: ignore[arg-type]
                indicator=f"{p.name}贡献率",
                period=ctx.period_label,
                method="（企业本期 − 企业上年同期）÷（园区本期 − 园区可比基数）× 100",
            )
            if p.contribution_pct is not None
            else "",
        }

    table_rows = [
        [
            p.name,
            p.cluster,
            yi_cell(p.value),
            yi_cell(p.base),
            presenters.display_pct(p.pull_pp),
            presenters.display_pct(p.contribution_pct),
        ]
        for p in top + bottom
    ]
    table = Table(
        "拉动居前与下拉较多的企业",
        ["企业", "集群", "1-本月(亿元)", "上年同期(亿元)", "拉动(百分点)", "贡献率%"],
        table_rows,
        widths_mm=[46, 22, 22, 24, 22, 20],
    )
    return ctx.section(top=[item(p) for p in top], bottom=[item(p) for p in bottom], tables=[table])


# ---------------------------------------------------------------------------------------------
# 全市位次
# ---------------------------------------------------------------------------------------------


@register_section(
    "monthly",
    40,
    key="ranking",
    title="在全市园区中的位次",
    template="monthly/ranking.j2",
    variables={
        "park_count": "本市有数据的园区数，如“4个”",
        "value_rank": "规上工业总产值总量位次，如“第1位”",
        "growth_rank": "规上工业总产值增速（可比口径）位次，如“第2位”；无增速时为空",
        "leader_name": "增速第一的园区名称（本园区不是第一时）；否则为空",
    },
)
def ranking(ctx: SectionContext) -> Section | None:
    if ctx.park.region_id is None:
        return ctx.omit("园区未归属任何市（地区），无法排名")
    # The region's published table, as the ranking page and the API show it (counted data
    # only, whatever `include_submitted`; DECISIONS.md "Rankings are published"). The report's
    # reader was checked at the report's door, so the operator's view (user=None) is asked.
    # Each call loads every park's year again (~1 s for the demo city).
    by_value = selectors.region_ranking(
        user=None, park=ctx.park, period=ctx.period, indicator=OUTPUT
    )
    by_growth = selectors.region_ranking(
        user=None, park=ctx.park, period=ctx.period, indicator=OUTPUT, metric="yoy"
    )
    growth_rank = {r.park_code: r.rank for r in by_growth}
    ranked = [r for r in by_value if r.rank is not None]
    mine = next((r for r in ranked if r.park_code == ctx.park.code), None)
    if mine is None or mine.rank is None or len(ranked) < 2:
        return ctx.omit("本市有数据的园区不足两个，或本园区本期无数据")
    region = ctx.park.region.name
    my_growth = growth_rank.get(ctx.park.code)
    method_v = f"{region}各园区{ctx.period.ytd_label}规上工业总产值从高到低排序"
    method_g = f"{region}各园区{ctx.period.ytd_label}规上工业总产值可比增速从高到低排序"
    leader = next((r for r in by_growth if r.rank == 1), None)
    v = {
        "park_count": ctx.count(
            len(ranked),
            "个",
            indicator=f"{region}有数据的园区数",
            period=ctx.period_label,
            method="本市（地区）各园区中本期有已审核规上企业报表的园区",
        ),
        "value_rank": ctx.rank(
            mine.rank, indicator="规上工业总产值全市位次", period=ctx.period_label, method=method_v
        ),
        "growth_rank": ctx.rank(
            my_growth,
            indicator="规上工业总产值增速全市位次",
            period=ctx.period_label,
            method=method_g,
        )
        if my_growth is not None
        else "",
        "leader_name": ctx.label(leader.park_name)
        if leader is not None and leader.park_code != ctx.park.code and my_growth is not None
        else "",
    }
    table_rows = [
        [
            r.park_name,
            yi_cell(r.value),
            presenters.display_pct(r.yoy_pct),
            presenters.display_pct(r.completion_pct),
            str(r.rank) if r.rank is not None else "—",
            str(growth_rank.get(r.park_code) or "—"),
        ]
        for r in by_value
    ]
    table = Table(
        f"{region}各园区规上工业总产值",
        ["园区", "1-本月(亿元)", "增速%", "完成目标%", "总量位次", "增速位次"],
        table_rows,
        widths_mm=[48, 26, 20, 22, 20, 20],
    )
    return ctx.section(**v, tables=[table])


# ---------------------------------------------------------------------------------------------
# 目标与序时进度
# ---------------------------------------------------------------------------------------------

PROGRESS_FIELDS = {
    "name": "指标名称",
    "growth_target": "为真时是增速目标",
    "completion": "“完成年度目标的X%”（总量目标）",
    "time_progress": "“慢于序时进度X个百分点”/“超序时进度X个百分点”（总量目标）",
    "target": "增速目标，如“8.0%”（增速目标）",
    "actual": "实际增速措辞（增速目标）",
    "gap": "与增速目标相差的百分点（增速目标）",
}


@register_section(
    "monthly",
    50,
    key="progress",
    title="目标任务与序时进度",
    template="monthly/progress.j2",
    variables={
        "behind": Var("列表：慢于序时进度（或低于增速目标）的指标", "list", PROGRESS_FIELDS),
        "ahead": Var("列表：达到或超过序时进度（或增速目标）的指标", "list", PROGRESS_FIELDS),
        "time_progress_pct": "序时进度，如“75.0%”（月数/12）",
    },
)
def progress(ctx: SectionContext) -> Section | None:
    table = selectors.park_indicator_table(
        park=ctx.park,
        period=ctx.period,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
    )
    rows = [r for r in table if r.ahead_pp is not None and r.value is not None]
    if not rows:
        return ctx.omit("没有设定年度目标的指标")
    behind, ahead = [], []
    for r in rows:
        assert r.ahead_pp is not None
        if r.target_kind == "level":
            assert r.completion_pct is not None
            item = {
                "name": r.name,
                "growth_target": False,
                "completion": ctx.completion(
                    r.completion_pct,
                    indicator=f"{r.name}年度目标完成率",
                    period=ctx.period_label,
                    method="1-本月累计 ÷ 年度目标 × 100",
                ),
                "time_progress": ctx.time_progress(
                    r.ahead_pp,
                    indicator=f"{r.name}超(慢)序时进度",
                    period=ctx.period_label,
                    method=progress_method(ctx),
                ),
                "target": "",
                "actual": "",
                "gap": "",
            }
        else:
            assert r.target is not None
            actual = r.value if r.kind == "rate" else r.yoy_pct
            item = {
                "name": r.name.removesuffix("增速"),
                "growth_target": True,
                "completion": "",
                "time_progress": "",
                "target": ctx.rate(
                    r.target,
                    indicator=f"{r.name}年度目标",
                    period=ctx.year_label,
                    method="年度目标（目标表）",
                ),
                "actual": ctx.growth(
                    actual, indicator=r.name, period=ctx.period_label, method=ctx.method_of(r)
                ),
                "gap": ctx.points(
                    r.ahead_pp,
                    indicator=f"{r.name}与目标之差",
                    period=ctx.period_label,
                    method="实际增速 − 目标增速",
                ),
            }
        (behind if round_half_up(r.ahead_pp, 1) < 0 else ahead).append(item)
    return ctx.section(
        behind=behind,
        ahead=ahead,
        time_progress_pct=ctx.rate(
            rows[0].time_progress_pct,  # type: ignore[arg-type]
            indicator="序时进度",
            period=ctx.period_label,
            method=f"月数 ÷ 12 × 100（{ctx.period.month}/12）",
        ),
    )
