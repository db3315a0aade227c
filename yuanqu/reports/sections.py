"""The sections the economy module can answer: the monthly analysis and the annual report's
经济发展 and 问题与差距. Every figure comes from `yuanqu.economy.selectors` and is written
through `ctx.fig(...)` with the `core.wording` functions."""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core.periods import Period
from yuanqu.core.wording import (
    completion_phrase,
    fmt_decimal,
    growth_phrase,
    pp_phrase,
    pull_phrase,
    steady_adjective,
    time_progress_phrase,
    trend_change_phrase,
    yi_yuan,
)
from yuanqu.economy import formulas, presenters, selectors
from yuanqu.economy.models import LongTermGoal, Target
from yuanqu.reports import charts
from yuanqu.reports.engine import (
    Chart,
    Section,
    SectionContext,
    Table,
    register_section,
    render_text,
)

COMPARABLE = "可比口径：当期规上企业本期数合计 ÷ 同一批企业各自上年同期数合计 − 1"


def _row(ctx: SectionContext, period: Period, code: str) -> selectors.IndicatorRow:
    return selectors.indicator_row(
        park=ctx.park,
        period=period,
        code=code,
        cache=ctx.cache,
        include_submitted=ctx.cache.include_submitted,
    )


def _method(row: selectors.IndicatorRow) -> str:
    return "；".join(row.sources) or ("企业报表汇总" if row.source == "computed" else "部门发布数")


def _amount(
    ctx: SectionContext,
    row: selectors.IndicatorRow,
    value: Decimal | None = None,
    *,
    label: str = "",
    method: str = "",
) -> str:
    value = row.value if value is None else value
    return ctx.fig(
        yi_yuan(value, row.unit),
        indicator=label or row.name,
        period=row.period.label,
        unit="亿元",
        method=method or _method(row),
    )


def _growth(ctx: SectionContext, row: selectors.IndicatorRow, *, comparable: bool = True) -> str:
    phrase = growth_phrase(row.yoy_pct)
    if row.yoy_pct is None:
        return phrase
    method = COMPARABLE if (comparable and row.source == "computed") else "部门发布增速"
    ctx.fig(
        phrase.removeprefix("增长").removeprefix("下降"),
        indicator=f"{row.name}增速",
        period=row.period.label,
        unit="%",
        method=method,
    )
    return phrase


# ---------------------------------------------------------------------------------------------
# Annual report: 经济发展
# ---------------------------------------------------------------------------------------------

ECONOMY_TEMPLATE = (
    "{{ period_label }}，园区实现规上工业总产值{{ output }}"
    "{% if output_growth %}，{{ output_growth }}{% endif %}"
    "{% if fai %}；全社会固定资产投资总额{{ fai }}{% if fai_growth %}，{{ fai_growth }}{% endif %}{% endif %}"
    "{% if tax %}；全口径税收{{ tax }}{% if tax_growth %}，{{ tax_growth }}{% endif %}{% endif %}。"
    "{% if trend %}从数据看，相关权重经济指标总体呈{{ trend }}态势。{% endif %}"
    "{% if projection %}初步测算全年可实现规上工业总产值约{{ projection }}。{% endif %}"
    "{% if doubling %}{{ doubling }}{% endif %}"
    "{% if hundred %}{{ hundred }}{% endif %}"
)
ECONOMY_CATALOGUE = {
    "period_label": "期间：全年为“2022年”，年中为“2022年1-11月”",
    "output": "规上工业总产值（亿元，两位小数）",
    "output_growth": "规上工业总产值可比口径增速措辞（增长X%/下降X%/持平/增长X倍）",
    "fai": "全社会固定资产投资（亿元）",
    "fai_growth": "全社会固定资产投资发布增速措辞",
    "tax": "全口径税收（亿元）",
    "tax_growth": "全口径税收发布增速措辞",
    "trend": "“稳中向好”，仅当增速为正且较上一季度末回落不超过1个百分点",
    "projection": "预计全年规上工业总产值（亿元，季节比例法，仅年中）",
    "doubling": "倍增句（按现价计算，相对基期年）",
    "hundred": "百亿园区进度句",
}


@register_section(
    "annual", 10, "economy", "经济发展", template=ECONOMY_TEMPLATE, catalogue=ECONOMY_CATALOGUE
)
def annual_economy(ctx: SectionContext) -> Section | None:
    period = ctx.period
    output = _row(ctx, period, "industrial_output")
    if output.value is None:
        return None
    fai = _row(ctx, period, "fixed_asset_investment")
    tax = _row(ctx, period, "tax_total")
    v: dict[str, str] = {
        "period_label": f"{period.year}年" if period.month == 12 else period.label,
        "output": _amount(ctx, output),
        "output_growth": ("按可比口径" + _growth(ctx, output))
        if output.yoy_pct is not None
        else "",
        "fai": _amount(ctx, fai) if fai.value is not None else "",
        "fai_growth": _growth(ctx, fai) if fai.yoy_pct is not None else "",
        "tax": _amount(ctx, tax) if tax.value is not None else "",
        "tax_growth": _growth(ctx, tax) if tax.yoy_pct is not None else "",
        "trend": "",
        "projection": "",
        "doubling": "",
        "hundred": "",
    }
    prev_q = (
        _row(ctx, period.quarter_end_before(), "industrial_output") if period.month > 3 else None
    )
    v["trend"] = steady_adjective(output.yoy_pct, prev_q.yoy_pct if prev_q else None) or ""
    full_year = output.value
    if period.month < 12:
        projection = selectors.full_year_projection(
            park=ctx.park, period=period, code="industrial_output", cache=ctx.cache
        )
        if projection.value is not None:
            full_year = projection.value
            v["projection"] = ctx.fig(
                yi_yuan(projection.value, output.unit),
                indicator="规上工业总产值（预计全年）",
                period=f"{period.year}年",
                unit="亿元",
                method="预计：" + projection.basis,
            )
    for goal in LongTermGoal.objects.filter(park=ctx.park, indicator__code="industrial_output"):
        if goal.kind == LongTermGoal.Kind.DOUBLING and goal.base_year:
            base = _row(ctx, Period(goal.base_year, 12), "industrial_output")
            ratio = formulas.doubling_ratio(full_year, base.value)
            if ratio is None:
                continue
            text = ctx.fig(
                fmt_decimal(ratio, 2),
                indicator=f"规上工业总产值为{goal.base_year}年的倍数",
                period=f"{period.year}年",
                unit="倍",
                method=f"按现价计算：{period.year}年{'预计' if period.month < 12 else ''}全年 ÷ "
                f"{goal.base_year}年全年（{yi_yuan(base.value, base.unit)}）",
            )
            if period.month < 12:
                v["doubling"] = (
                    f"按现价计算，预计全年规上工业总产值约为{goal.base_year}年的{text}倍"
                    + ("，有望实现工业总产值倍增。" if ratio >= 2 else "。")
                )
            else:
                v["doubling"] = f"按现价计算，规上工业总产值是{goal.base_year}年的{text}倍" + (
                    "，实现工业总产值倍增。" if ratio >= 2 else "。"
                )
        elif goal.kind == LongTermGoal.Kind.HUNDRED_YI:
            target = goal.target_value or formulas.HUNDRED_YI_IN_WAN_YUAN
            progress = formulas.rate_pct(full_year, target)
            if progress is None:
                continue
            pct = ctx.fig(
                fmt_decimal(progress, 1) + "%",
                indicator="百亿园区目标进度",
                period=f"{period.year}年",
                unit="%",
                method=f"规上工业总产值{'（预计全年）' if period.month < 12 else ''} ÷ "
                f"{yi_yuan(target, output.unit)} × 100",
            )
            if full_year >= target:
                v["hundred"] = "规上工业总产值突破百亿元，建成百亿工业园区。"
            else:
                v["hundred"] = (
                    f"规上工业总产值达到百亿园区目标的{pct}，迈出了建设百亿工业园区的新步伐。"
                )
    text = render_text(ECONOMY_TEMPLATE, v)
    return Section("economy", "经济发展", paragraphs=[text], variables=v)


# ---------------------------------------------------------------------------------------------
# Annual report: 问题与差距
# ---------------------------------------------------------------------------------------------

PROBLEMS_TEMPLATE = "{% for item in items %}{{ item }}{% endfor %}"


@register_section(
    "annual",
    90,
    "problems",
    "问题与差距",
    template=PROBLEMS_TEMPLATE,
    catalogue={"items": "每个未完成经济目标一句：目标、实际（或预计）、差距亿元与百分点"},
)
def annual_problems(ctx: SectionContext) -> Section | None:
    period = ctx.period
    items: list[str] = []
    targets = Target.objects.filter(park=ctx.park, year=period.year).select_related("indicator")
    for target in targets.order_by("indicator__sort_order"):
        code = target.indicator.code
        row = _row(ctx, period, code)
        if row.value is None:
            continue
        if target.kind == Target.Kind.LEVEL:
            value, estimated = row.value, False
            if period.month < 12:
                projection = selectors.full_year_projection(
                    park=ctx.park, period=period, code=code, cache=ctx.cache
                )
                if projection.value is None:
                    continue
                value, estimated = projection.value, True
            if value >= target.value:
                continue
            unit = row.unit
            target_text = ctx.fig(
                yi_yuan(target.value, unit),
                indicator=f"{row.name}年度目标",
                period=f"{period.year}年",
                unit="亿元",
                method="年度目标（目标表）",
            )
            actual = ctx.fig(
                yi_yuan(value, unit),
                indicator=row.name + ("（预计全年）" if estimated else ""),
                period=f"{period.year}年",
                unit="亿元",
                method=("预计：季节比例法" if estimated else _method(row)),
            )
            gap = ctx.fig(
                yi_yuan(target.value - value, unit),
                indicator=f"{row.name}与目标差距",
                period=f"{period.year}年",
                unit="亿元",
                method="年度目标 − 实际（或预计）",
            )
            completion = formulas.completion_pct(value, target.value)
            short_pp = Decimal(100) - completion
            completion_text = completion_phrase(completion)
            ctx.fig(
                fmt_decimal(completion, 1) + "%",
                indicator=f"{row.name}目标完成率",
                period=f"{period.year}年",
                unit="%",
                method="实际（或预计）÷ 年度目标 × 100",
            )
            ctx.fig(
                pp_phrase(short_pp).removesuffix("个百分点"),
                indicator=f"{row.name}距目标",
                period=f"{period.year}年",
                unit="个百分点",
                method="100 − 完成率",
            )
            word = "预计全年只有约" if estimated else "实际上只有约"
            items.append(
                f"{row.name}未达预期：{period.year}年我们要实现{row.name}{target_text}，但{word}{actual}，"
                f"还有差距，差距{gap}，{completion_text}，低于目标{pp_phrase(short_pp)}。"
            )
        else:
            actual = row.value if row.kind == "rate" else row.yoy_pct
            gap = formulas.growth_target_gap_pp(actual, target.value)
            if gap is None or gap >= 0:
                continue
            ctx.fig(
                fmt_decimal(target.value, 1) + "%",
                indicator=f"{row.name}增速目标",
                period=f"{period.year}年",
                unit="%",
                method="年度目标（目标表）",
            )
            ctx.fig(
                pp_phrase(-gap).removesuffix("个百分点"),
                indicator=f"{row.name}增速距目标",
                period=row.period.label,
                unit="个百分点",
                method="实际增速 − 目标增速",
            )
            items.append(
                f"{row.name}增速未达预期：目标增长{fmt_decimal(target.value, 1)}%，"
                f"实际{growth_phrase(actual)}，低于目标{pp_phrase(-gap)}。"
            )
    if not items:
        return None
    text = render_text(PROBLEMS_TEMPLATE, {"items": items})
    return Section(
        "problems", "问题与差距", level=1, paragraphs=[text], variables={"problems": text}
    )


# ---------------------------------------------------------------------------------------------
# Monthly economic analysis
# ---------------------------------------------------------------------------------------------

OVERVIEW_TEMPLATE = (
    "{{ period_label }}，园区规上工业总产值{{ output }}，{{ output_growth }}"
    "{% if trend %}，{{ trend }}{% endif %}；{{ completion }}，{{ time_progress }}。"
    "{% if month_output %}其中{{ month_label }}完成{{ month_output }}。{% endif %}"
)


@register_section(
    "monthly",
    10,
    "overview",
    "总体情况",
    template=OVERVIEW_TEMPLATE,
    catalogue={
        "period_label": "期间（2022年1-9月）",
        "output": "规上工业总产值（亿元）",
        "output_growth": "可比口径增速措辞",
        "trend": "与上月累计增速比较（加快/回落X个百分点）",
        "completion": "完成年度目标的X%",
        "time_progress": "超（慢于）序时进度X个百分点",
        "month_output": "本月（1-2月合并时为1-2月）产值",
        "month_label": "本月标签",
    },
)
def monthly_overview(ctx: SectionContext) -> Section | None:
    period = ctx.period
    table = selectors.park_indicator_table(
        park=ctx.park, period=period, cache=ctx.cache, include_submitted=ctx.cache.include_submitted
    )
    output = next(r for r in table if r.code == "industrial_output")
    if output.value is None:
        return None
    prev = _row(ctx, period.prev(), "industrial_output") if period.month > 2 else None
    trend = None
    if prev is not None and prev.yoy_pct is not None and output.yoy_pct is not None:
        trend = trend_change_phrase(output.yoy_pct, prev.yoy_pct, prev.period.ytd_label)
        if trend:
            ctx.fig(
                trend,
                indicator="规上工业总产值增速变化",
                period=period.label,
                unit="个百分点",
                method=f"本期累计增速 − {prev.period.ytd_label}累计增速（未四舍五入值相减）",
            )
    completion = (
        completion_phrase(output.completion_pct)
        if output.completion_pct is not None
        else "未设年度目标"
    )
    if output.completion_pct is not None:
        ctx.fig(
            fmt_decimal(output.completion_pct, 1) + "%",
            indicator="规上工业总产值目标完成率",
            period=period.label,
            unit="%",
            method="1-本月累计 ÷ 年度目标 × 100",
        )
    progress = time_progress_phrase(output.ahead_pp)
    if output.ahead_pp is not None:
        ctx.fig(
            fmt_decimal(abs(output.ahead_pp), 1),
            indicator="规上工业总产值超(慢)序时进度",
            period=period.label,
            unit="个百分点",
            method="完成率 − 月数/12 × 100（未四舍五入值）",
        )
    month_label = f"{period.year}年1-2月" if period.month == 2 else period.month_label
    v = {
        "period_label": period.label,
        "output": _amount(ctx, output),
        "output_growth": _growth(ctx, output),
        "trend": trend or "",
        "completion": completion,
        "time_progress": progress,
        "month_output": _amount(
            ctx, output, output.month_value, label="规上工业总产值（本月）", method="本月数合计"
        )
        if output.month_value is not None
        else "",
        "month_label": month_label,
    }
    text = render_text(OVERVIEW_TEMPLATE, v)
    rows = []
    for r in table:
        d = presenters.indicator_display(r)
        rows.append(
            [
                d["name"],
                d["unit"],
                d["value"],
                d["month_value"],
                d["yoy_pct"],
                d["target"],
                d["completion_pct"],
                d["ahead_pp"],
            ]
        )
    section = Section(
        "overview",
        "总体情况",
        paragraphs=[text],
        variables=v,
        tables=[
            Table(
                "主要经济指标",
                [
                    "指标",
                    "单位",
                    "1-本月",
                    "本月",
                    "同比(可比)%",
                    "年度目标",
                    "完成%",
                    "超(慢)序时",
                ],
                rows,
            )
        ],
    )
    series = selectors.indicator_series(
        park=ctx.park,
        year=period.year,
        code="industrial_output",
        cache=ctx.cache,
        last_month=period.month,
    )
    bases = []
    for point in series:
        row = _row(ctx, point.period, "industrial_output")
        bases.append(row.base)
    months = [("1-2月" if p.period.month == 2 else f"1-{p.period.month}月") for p in series]
    png = charts.bar_line_chart(
        months,
        [p.value for p in series],
        bases,
        "规上工业总产值累计（本年与上年同期可比口径）",
        "万元",
    )
    section.charts.append(Chart("规上工业总产值累计：本年与上年同期（可比口径）", png))
    return section


@register_section(
    "monthly",
    20,
    "clusters",
    "分产业集群情况",
    catalogue={"clusters": "各集群：产值、增速、拉动（百分点）"},
)
def monthly_clusters(ctx: SectionContext) -> Section | None:
    parts = selectors.indicator_parts(
        park=ctx.park,
        period=ctx.period,
        code="industrial_output",
        by="cluster",
        cache=ctx.cache,
        include_submitted=ctx.cache.include_submitted,
    )
    if not parts:
        return None
    sentences = []
    rows = []
    for p in parts:
        growth = (
            formulas.comparable_growth_pct([formulas.Part(p.value, p.base)])
            if p.base is not None
            else None
        )
        amount = ctx.fig(
            yi_yuan(p.value),
            indicator=f"{p.name}集群产值",
            period=ctx.period.label,
            unit="亿元",
            method="集群内规上企业1-本月合计",
        )
        pull = pull_phrase(p.pull_pp)
        if p.pull_pp is not None:
            ctx.fig(
                fmt_decimal(abs(p.pull_pp), 1),
                indicator=f"{p.name}集群拉动",
                period=ctx.period.label,
                unit="个百分点",
                method="（集群本期 − 集群上年同期）÷ 园区可比基数 × 100",
            )
        sentences.append(f"{p.name}集群完成产值{amount}，{growth_phrase(growth)}，{pull}")
        rows.append(
            [
                p.name,
                presenters.display_amount(p.value),
                presenters.display_pct(growth),
                presenters.display_pct(p.pull_pp),
                presenters.display_pct(p.contribution_pct),
            ]
        )
    text = "；".join(sentences) + "。"
    png = charts.bar_chart(
        [p.name for p in parts], [p.pull_pp for p in parts], "各集群拉动园区产值增长", "个百分点"
    )
    return Section(
        "clusters",
        "分产业集群情况",
        paragraphs=[text],
        tables=[
            Table(
                "分集群规上工业总产值",
                ["集群", "1-本月(万元)", "增速%", "拉动(百分点)", "贡献率%"],
                rows,
            )
        ],
        charts=[Chart("各集群拉动（百分点）", png)],
        variables={"clusters": text},
    )


@register_section(
    "monthly",
    30,
    "enterprises",
    "重点企业",
    catalogue={"top": "拉动最大的企业", "bottom": "下拉最大的企业"},
)
def monthly_enterprises(ctx: SectionContext) -> Section | None:
    parts = selectors.indicator_parts(
        park=ctx.park,
        period=ctx.period,
        code="industrial_output",
        by="enterprise",
        cache=ctx.cache,
        include_submitted=ctx.cache.include_submitted,
    )
    parts = [p for p in parts if p.pull_pp is not None]
    if len(parts) < 2:
        return None

    def describe(p: selectors.PartRow) -> str:
        ctx.fig(
            fmt_decimal(abs(p.pull_pp), 2),
            indicator=f"{p.name}拉动",
            period=ctx.period.label,
            unit="个百分点",
            method="（企业本期 − 企业上年同期）÷ 园区可比基数 × 100",
        )
        return f"{p.name}（{pull_phrase(p.pull_pp, places=2)}）"

    top = [p for p in parts[:3] if p.pull_pp > 0]
    bottom = [p for p in reversed(parts[-3:]) if p.pull_pp < 0]
    sentences = []
    if top:
        sentences.append("拉动增长居前的企业是" + "、".join(describe(p) for p in top))
    if bottom:
        sentences.append("下拉较多的企业是" + "、".join(describe(p) for p in bottom))
    text = "；".join(sentences) + "。"
    rows = [
        [
            p.name,
            p.cluster,
            presenters.display_amount(p.value),
            presenters.display_amount(p.base),
            presenters.display_pct(p.pull_pp),
            presenters.display_pct(p.contribution_pct),
        ]
        for p in top + bottom
    ]
    return Section(
        "enterprises",
        "重点企业",
        paragraphs=[text],
        tables=[
            Table(
                "拉动居前与下拉较多的企业",
                ["企业", "集群", "1-本月(万元)", "上年同期(万元)", "拉动(百分点)", "贡献率%"],
                rows,
            )
        ],
        variables={"enterprises": text},
    )


@register_section("monthly", 40, "ranking", "在全市园区中的位次", catalogue={"ranking": "排名句"})
def monthly_ranking(ctx: SectionContext) -> Section | None:
    if ctx.park.region_id is None:
        return None
    by_value = selectors.park_ranking(
        region=ctx.park.region, period=ctx.period, code="industrial_output"
    )
    by_growth = selectors.park_ranking(
        region=ctx.park.region, period=ctx.period, code="industrial_output", metric="yoy"
    )
    mine_v = next((r for r in by_value if r.park_code == ctx.park.code), None)
    mine_g = next((r for r in by_growth if r.park_code == ctx.park.code), None)
    if mine_v is None or mine_v.rank is None:
        return None
    n = len([r for r in by_value if r.rank is not None])
    text = (
        f"在{ctx.park.region.name}{n}个园区中，园区规上工业总产值居第{mine_v.rank}位"
        + (f"，增速居第{mine_g.rank}位" if mine_g and mine_g.rank else "")
        + "。"
    )
    ctx.fig(
        f"第{mine_v.rank}位",
        indicator="规上工业总产值全市排名",
        period=ctx.period.label,
        unit="位",
        method=f"{ctx.park.region.name}各园区1-本月规上工业总产值从高到低",
    )
    rows = [
        [
            r.park_name,
            presenters.display_amount(r.value),
            presenters.display_pct(r.yoy_pct),
            str(r.rank),
        ]
        for r in by_value
    ]
    return Section(
        "ranking",
        "在全市园区中的位次",
        paragraphs=[text],
        tables=[Table("全市园区规上工业总产值", ["园区", "1-本月(万元)", "增速%", "位次"], rows)],
        variables={"ranking": text},
    )


@register_section(
    "monthly", 50, "behind", "落后于序时进度的指标", catalogue={"behind": "落后指标句"}
)
def monthly_behind(ctx: SectionContext) -> Section | None:
    table = selectors.park_indicator_table(
        park=ctx.park,
        period=ctx.period,
        cache=ctx.cache,
        include_submitted=ctx.cache.include_submitted,
    )
    with_targets = [r for r in table if r.ahead_pp is not None]
    if not with_targets:
        return None
    behind = [r for r in with_targets if r.ahead_pp < 0 and fmt_decimal(r.ahead_pp, 1) != "0.0"]
    if not behind:
        return Section(
            "behind",
            "落后于序时进度的指标",
            paragraphs=["有年度目标的指标均达到或超过序时进度（增速目标均已达到）。"],
        )
    parts = []
    for r in behind:
        gap = ctx.fig(
            fmt_decimal(-r.ahead_pp, 1),
            indicator=f"{r.name}落后序时(或目标)",
            period=ctx.period.label,
            unit="个百分点",
            method="完成率 − 序时进度" if r.target_kind == "level" else "实际增速 − 目标增速",
        )
        if r.target_kind == "level":
            parts.append(f"{r.name}慢于序时进度{gap}个百分点")
        else:
            parts.append(f"{r.name}低于增速目标{gap}个百分点")
    return Section(
        "behind",
        "落后于序时进度的指标",
        paragraphs=["；".join(parts) + "，需重点调度。"],
        variables={"behind": "；".join(parts)},
    )
