"""年度工作总结: 经济发展 (the speech's section (二)) and 问题与差距 (its shortfalls paragraph).

Every figure comes from `yuanqu.economy.selectors` (indicator rows, projection, long-term
goals) and reaches the text through the context's emitters, which word it with `core.wording`
and record its source. Formulas from `yuanqu.economy.formulas` are called only to compare
figures the selectors gave (a doubling ratio of another park for “率先”, the completion of a
projected full year).
"""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core.periods import Period
from yuanqu.core.wording import MONEY_UNITS, round_half_up, steady_adjective, yi_yuan
from yuanqu.economy import formulas, selectors
from yuanqu.economy.models import LongTermGoal, Target
from yuanqu.registry.models import Park
from yuanqu.reports.engine import (
    OUTLOOKS,
    SHORTFALLS,
    Label,
    Rendered,
    Section,
    SectionContext,
    Var,
    register_group,
    register_narrative,
    register_section,
    register_shortfall,
)

register_group("annual", "achievements", "{year}年工作成效")
register_group("annual", "next", "{next_year}年工作安排")

# ---------------------------------------------------------------------------------------------
# Narrative blocks (人工撰写): the speech's paragraphs without figures, written by officials in
# the draft (reports.models.NarrativeBlock); these defaults are the reference speech's own
# words with its placeholders taken out, so a first draft reads like a speech.
# ---------------------------------------------------------------------------------------------

register_narrative(
    "annual",
    1,
    key="preamble",
    title="开篇",
    group="achievements",
    headed=False,
    default=(
        "天道酬勤、日新月异。一年来，我们坚持以习近平新时代中国特色社会主义思想为指导，"
        "坚持以高质量党建引领保障高质量发展，充分发挥党组织统揽全局、协调各方作用，充分激发"
        "党组织战斗堡垒作用和党员干部先锋模范作用，坚定信心、咬定目标、苦干实干、久久为功做大"
        "做强园区经济，取得较好成效。"
    ),
)
register_narrative(
    "annual",
    5,
    key="epidemic",
    title="防疫形势得到新巩固",
    group="achievements",
    default=(
        "坚持统筹疫情防控和经济社会发展，扎实落实中央、省、市疫情防控政策及新部署新要求，"
        "持续有序做好防疫各项工作，有效保障辖区群众生命安全和身体健康，营造了安全发展环境和氛围。"
    ),
)
register_narrative(
    "annual",
    60,
    key="thanks",
    title="致谢",
    group="achievements",
    headed=False,
    default=(
        "事非经过不知难、成如容易却艰辛。一年来，我们大家心里想的、眼里盯的、手里抓的、开口不忘的"
        "都是产业、都是经济，同心同向、携手并进、迎难而上、攻坚克难，共同推动园区经济打开了新局面，"
        "跃上了高质量发展新台阶。这里，我代表园区党工委、管委会对大家的务实付出表示衷心的感谢，"
        "有你们园区才有今天，也必将走向更加光明宏大的明天。"
    ),
)
register_narrative(
    "annual",
    95,
    key="resolve",
    title="鼓劲",
    group="achievements",
    headed=False,
    default=(
        "同志们，我们的目标是清晰的，优势是明显的，前途是光明的，我们要坚定不移锚定市委赋予的"
        "目标奋勇前进，而不是小打小闹，小富即安。困难与机遇并存、挑战和希望交织，克服了困难就会"
        "迎来新的机遇，战胜了挑战就能再上一个新的台阶。我们要始终保持敢为人先的闯劲、一往无前的"
        "拼劲、久久为功的韧劲，一不怕苦，在以苦为乐、苦中作乐中攀登发展的阶梯，二不怕难，在迎难"
        "而上、攻坚克难中创造更好的园区。"
    ),
)
register_narrative(
    "annual",
    110,
    key="loyalty",
    title="坚持忠诚为魂，坚决做到两个维护",
    group="next",
    default=(
        "深入学习贯彻党的二十大精神，在学习中把握，在内心中认同，在实践中践行，持续提高政治"
        "判断力、政治领悟力、政治执行力，推动中央、省、市各项政策措施、决策部署在园区落到实处，"
        "取得实效。"
    ),
)

OUTPUT = "industrial_output"


def indicator(
    ctx: SectionContext, code: str, period: Period | None = None, park: Park | None = None
) -> selectors.IndicatorRow:
    """One indicator row from the selectors, through the report's shared cache."""
    return selectors.indicator_row(
        park=park or ctx.park,
        period=period or ctx.period,
        code=code,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
    )


def projection(ctx: SectionContext, code: str, park: Park | None = None) -> selectors.Projection:
    return selectors.full_year_projection(
        park=park or ctx.park,
        period=ctx.period,
        code=code,
        method=ctx.projection_method,
        cache=ctx.cache,
        include_submitted=ctx.include_submitted,
    )


def amount(ctx: SectionContext, value: Decimal, unit: str, *, planned: bool = False, **kw):  # type: ignore[no-untyped-def]
    """亿元 for money (万元, 千元 …); other units (万美元) as they are."""
    if unit in MONEY_UNITS:
        emit = ctx.planned_amount if planned else ctx.amount
        return emit(value, unit=unit, **kw)
    return ctx.quantity(value, unit, **kw)


def full_year_label(ctx: SectionContext) -> str:
    return f"{ctx.year}年（预计全年）" if ctx.estimated else f"{ctx.year}年"


# ---------------------------------------------------------------------------------------------
# 经济发展
# ---------------------------------------------------------------------------------------------

ECONOMY_VARIABLES: dict[str, str | Var] = {
    "output": "规上工业总产值，1-本月累计（亿元，两位小数），如“85.00亿元”",
    "output_growth": "规上工业总产值同比增速措辞（可比口径），如“增长23.2%”“下降4.0%”“持平”；无基数时为空",
    "fai": "全社会固定资产投资总额（亿元）；无数据时为空",
    "fai_growth": "全社会固定资产投资增速措辞（统计部门发布），如“增长15.1%”；无数据时为空",
    "tax": "全口径税收（亿元）；无数据时为空",
    "tax_growth": "全口径税收增速措辞（部门发布）；无数据时为空",
    "steady": "“稳中向好”，仅当规上工业总产值可比增速为正、且比上一季度末回落不超过1个百分点；否则为空",
    "projection": "预计全年规上工业总产值（亿元；仅年度未结束时，默认季节比例法）；否则为空",
    "projection_method": "预计全年的方法名称，如“季节比例法”“线性外推法”",
    "doubling_base_year": "倍增目标的基期年，如“2019年”",
    "doubling_ratio": "规上工业总产值（年度未结束时为预计全年）为基期年的倍数，按现价计算，如“2.02倍”；无倍增目标时为空",
    "doubled": Var("倍数 ≥ 2（实现倍增）", "flag"),
    "doubled_year": "此前已实现倍增的年份，如“2022年”（本年以前已达2倍时）；否则为空",
    "doubled_first": Var(
        "在本市园区中率先实现倍增：本园区倍数 ≥ 2，且本市其他园区（同一基期年、同一口径）均未达到2倍",
        "flag",
    ),
    "hundred_target": "百亿园区目标，如“100亿元”；无此目标时为空",
    "hundred_progress": "规上工业总产值（或预计全年）达到百亿目标的百分比，如“85.0%”",
    "hundred_gap": "距百亿目标的差额（亿元）；已达到时为空",
    "hundred_reached": Var("规上工业总产值已达到百亿目标", "flag"),
    "output_rising": Var("规上工业总产值可比增速为正（按一位小数显示）", "flag"),
}


def _doubled_before(ctx: SectionContext, base_year: int, base_value: Decimal) -> int | None:
    """The year the park's full-year output first reached 2× the base, if before this year.

    Last year is read first: below 2× there, this year's doubling counts as this year's (a
    doubling reached, lost and reached again is reported when it is reached again).
    """
    first = None
    for year in range(ctx.year - 1, base_year, -1):
        total, _, _ = selectors.park_total(
            park=ctx.park, period=Period(year, 12), code=OUTPUT, cache=ctx.cache
        )
        ratio = formulas.doubling_ratio(total, base_value)
        if ratio is None or ratio < 2:
            break
        first = year
    return first


def _first_in_region(ctx: SectionContext, base_year: int) -> bool:
    """“率先”: no other park of the same region has doubled against the same base year.

    Each other park is compared on the same footing: its 1-本月 total of the report's data
    month against its own total of the same months of the base year (``selectors.park_total``,
    the sum of the period's 规上 set, nominal, 按现价计算).
    """
    if ctx.park.region_id is None:
        return False
    others = Park.objects.filter(region_id=ctx.park.region_id).exclude(pk=ctx.park.pk)
    for other in others.order_by("code"):
        now, _, _ = selectors.park_total(
            park=other, period=ctx.period, code=OUTPUT, cache=ctx.cache
        )
        base, _, _ = selectors.park_total(
            park=other, period=Period(base_year, ctx.period.month), code=OUTPUT, cache=ctx.cache
        )
        ratio = formulas.doubling_ratio(now, base)
        if ratio is not None and ratio >= 2:
            return False
    return True


@register_section(
    "annual",
    10,
    key="economy",
    title="经济发展迎来新气象",
    group="achievements",
    template="annual/economy.j2",
    variables=ECONOMY_VARIABLES,
)
def economy(ctx: SectionContext) -> Section | None:
    output = indicator(ctx, OUTPUT)
    if output.value is None:
        return ctx.omit(f"{ctx.period.label}没有已审核的规上企业报表")
    v = {name: var.empty for name, var in ctx.spec.variables.items()}  # type: ignore[union-attr]
    v["output"] = ctx.row_amount(output)
    if output.yoy_pct is not None:
        v["output_growth"] = ctx.row_growth(output)
        v["output_rising"] = round_half_up(output.yoy_pct, 1) > 0
    for key, code in (("fai", "fixed_asset_investment"), ("tax", "tax_total")):
        row = indicator(ctx, code)
        if row.value is not None:
            v[key] = ctx.row_amount(row)
            if row.yoy_pct is not None:
                v[f"{key}_growth"] = ctx.row_growth(row)
    quarter_end = indicator(ctx, OUTPUT, ctx.period.quarter_end_before())
    v["steady"] = steady_adjective(output.yoy_pct, quarter_end.yoy_pct) or ""

    full_year: Decimal | None = output.value
    if ctx.estimated:
        proj = projection(ctx, OUTPUT)
        full_year = proj.value
        if proj.value is not None:
            v["projection"] = ctx.amount(
                proj.value,
                indicator="规上工业总产值（预计全年）",
                period=full_year_label(ctx),
                method=f"{proj.label}：{proj.basis}",
            )
            v["projection_method"] = "季节比例法" if proj.method == "seasonal" else "线性外推法"

    if full_year is not None:
        goals = selectors.long_term_goals(
            park=ctx.park,
            period=Period(ctx.year, 12),
            cache=ctx.cache,
            include_submitted=ctx.include_submitted,
            value_override=full_year if ctx.estimated else None,
        )
        basis = "预计全年" if ctx.estimated else "全年"
        for goal in goals:
            if goal.indicator != OUTPUT:
                continue
            if (
                goal.kind == LongTermGoal.Kind.DOUBLING
                and goal.ratio is not None
                and goal.base_year is not None
                and goal.base_year < ctx.year
            ):
                assert goal.base_value is not None
                v["doubling_base_year"] = Label(f"{goal.base_year}年")
                v["doubling_ratio"] = ctx.multiple(
                    goal.ratio,
                    indicator=f"规上工业总产值为{goal.base_year}年的倍数（按现价计算）",
                    period=full_year_label(ctx),
                    method=f"按现价计算：{ctx.year}年{basis}规上工业总产值 ÷ {goal.base_year}年全年"
                    f"（{yi_yuan(goal.base_value)}）；{goal.name or '倍增'}",
                )
                v["doubled"] = goal.achieved
                if goal.achieved:
                    earlier = _doubled_before(ctx, goal.base_year, goal.base_value)
                    if earlier is not None:
                        v["doubled_year"] = Label(f"{earlier}年")
                    else:
                        v["doubled_first"] = _first_in_region(ctx, goal.base_year)
            elif goal.kind == LongTermGoal.Kind.HUNDRED_YI and goal.ratio is not None:
                assert goal.target_value is not None and goal.current_value is not None
                v["hundred_target"] = ctx.planned_amount(
                    goal.target_value,
                    indicator=goal.name or "百亿园区目标",
                    period=f"{goal.target_year}年" if goal.target_year else "长期目标",
                    method="园区长期目标（百亿园区：规上工业总产值 ≥ 100亿元）",
                )
                v["hundred_progress"] = ctx.rate(
                    goal.ratio,
                    indicator="百亿园区目标进度",
                    period=full_year_label(ctx),
                    method=f"{ctx.year}年{basis}规上工业总产值 ÷ 百亿目标 × 100",
                )
                v["hundred_reached"] = goal.achieved
                if not goal.achieved:
                    v["hundred_gap"] = ctx.amount(
                        goal.target_value - goal.current_value,
                        indicator="距百亿园区目标",
                        period=full_year_label(ctx),
                        method=f"百亿目标 − {ctx.year}年{basis}规上工业总产值",
                    )
    return ctx.section(**v)


# ---------------------------------------------------------------------------------------------
# 问题与差距
# ---------------------------------------------------------------------------------------------


@register_section(
    "annual",
    90,
    key="problems",
    title="问题与差距",
    group="achievements",
    headed=False,  # DECISIONS.md: unheaded text inside the achievements part, as the speech
    template="annual/problems.j2",
    variables={
        "shortfalls": Var(
            "列表：各模块登记的问题句子（已含数字与来源），按登记顺序；"
            "经济部分为“经济指标未达预期，…”",
            "list",
        ),
    },
)
def problems(ctx: SectionContext) -> Section | None:
    items: list[Rendered] = []
    for spec in SHORTFALLS.get("annual", []):
        items.extend(spec.provider(ctx))
    if not items:
        return ctx.omit("年度目标均已完成或未设目标，没有需要列出的差距")
    return ctx.section(shortfalls=items)


TARGET_FIELDS = {
    "name": "指标名称，如“规上工业总产值”",
    "growth_target": "为真时是增速目标（target、actual 为增速）",
    "target": "年度目标：总量目标如“100亿元”，增速目标如“8.0%”",
    "actual": "实际（年度未结束时为预计全年，亿元）；增速目标时为实际增速措辞",
    "gap": "与目标的差额（亿元）；增速目标时为空",
    "completion": "“完成年度目标的X%”；增速目标时为空",
    "gap_pp": "距目标的百分点，如“15.0个百分点”（总量：100 − 完成率；增速：目标 − 实际）",
}


@register_shortfall(
    "annual",
    10,
    key="economic_targets",
    template="annual/shortfall_targets.j2",
    variables={
        "missed": Var("列表：未完成的年度经济目标", "list", TARGET_FIELDS),
        "blueprint": "第一项未完成目标的指标所属长期目标（发展蓝图）名称，如“百亿工业园区”；没有时为空",
    },
)
def missed_targets(ctx: SectionContext) -> list[Rendered]:
    """Each economic target of the year that was missed (or, mid-year, is projected to be)."""
    targets = ctx.cache.targets(ctx.park, ctx.year)
    missed = []
    for ind in ctx.cache.indicators():
        target = targets.get(ind.pk)
        if target is None:
            continue
        row = indicator(ctx, ind.code)
        if row.value is None:
            continue
        period = full_year_label(ctx)
        if target.kind == Target.Kind.LEVEL:
            if ctx.estimated:
                proj = projection(ctx, ind.code)
                if proj.value is None:
                    continue
                value, method = proj.value, f"{proj.label}：{proj.basis}"
                completion = formulas.completion_pct(value, target.value)
                short = formulas.ahead_pp(completion, 12)
            else:
                value, method = row.value, ctx.method_of(row)
                completion, short = row.completion_pct, row.ahead_pp
            if completion is None or short is None or value >= target.value:
                continue
            name = ind.name
            missed.append(
                {
                    "name": name,
                    "growth_target": False,
                    "target": amount(
                        ctx,
                        target.value,
                        ind.unit,
                        planned=True,
                        indicator=f"{name}年度目标",
                        period=f"{ctx.year}年",
                        method="年度目标（目标表）",
                    ),
                    "actual": amount(
                        ctx,
                        value,
                        ind.unit,
                        indicator=f"{name}（预计全年）" if ctx.estimated else name,
                        period=period,
                        method=method,
                    ),
                    "gap": amount(
                        ctx,
                        target.value - value,
                        ind.unit,
                        indicator=f"{name}与年度目标的差额",
                        period=period,
                        method="年度目标 − " + ("预计全年" if ctx.estimated else "全年实际"),
                    ),
                    "completion": ctx.completion(
                        completion,
                        indicator=f"{name}年度目标完成率",
                        period=period,
                        method=("预计全年" if ctx.estimated else "全年实际") + " ÷ 年度目标 × 100",
                    ),
                    "gap_pp": ctx.points(
                        short,
                        indicator=f"{name}距年度目标",
                        period=period,
                        method="100 − 完成率（由未四舍五入的数计算）",
                    ),
                }
            )
        else:
            # A growth-rate target: the selectors give the gap in points (actual − target).
            gap = row.ahead_pp
            actual = row.value if row.kind == "rate" else row.yoy_pct
            if gap is None or actual is None or round_half_up(gap, 1) >= 0:
                continue
            name = ind.name.removesuffix("增速")
            missed.append(
                {
                    "name": name,
                    "growth_target": True,
                    "target": ctx.rate(
                        target.value,
                        indicator=f"{ind.name}年度目标",
                        period=f"{ctx.year}年",
                        method="年度目标（目标表）",
                    ),
                    "actual": ctx.growth(
                        actual,
                        indicator=ind.name,
                        period=ctx.period_label,
                        method=ctx.method_of(row),
                    ),
                    "gap": "",
                    "completion": "",
                    "gap_pp": ctx.points(
                        gap,
                        indicator=f"{ind.name}低于目标",
                        period=ctx.period_label,
                        method="目标增速 − 实际增速",
                    ),
                }
            )
    if not missed:
        return []
    return [
        ctx.render_part(
            "annual/shortfall_targets.j2", missed=missed, blueprint=blueprint_of(ctx, missed)
        )
    ]


def blueprint_of(ctx: SectionContext, missed: list[dict[str, object]]) -> str:
    """The name of the long-term goal (“X”的发展蓝图) of the first missed indicator: the 百亿
    goal's before the doubling's; the speech takes the name from the data, never a literal."""
    if not missed or missed[0]["growth_target"]:
        return ""
    name = missed[0]["name"]
    goals = LongTermGoal.objects.filter(park=ctx.park, indicator__name=name).exclude(name="")
    goal = goals.order_by("-kind").first()  # hundred_yi sorts after doubling
    return ctx.label(goal.name) if goal else ""


# ---------------------------------------------------------------------------------------------
# 下一年工作安排: next year's targets, the growth each implies, the long-term goal
# ---------------------------------------------------------------------------------------------

NEXT_TARGET_FIELDS = {
    "name": "指标名称",
    "growth_target": "为真时是增速目标",
    "target": "下一年目标：总量如“100亿元”，增速目标如“8.0%”",
    "growth": "总量目标比本年（全年实际，年中为预计全年）增长的措辞，如“增长17.6%”；无基数时为空",
}


@register_section(
    "annual",
    100,
    key="next_year",
    title="主要目标",
    group="next",
    headed=False,
    template="annual/next_year.j2",
    variables={
        "next_year": "下一年，如“2023年”",
        "next_targets": Var("列表：目标表中下一年的目标", "list", NEXT_TARGET_FIELDS),
        "outlook": Var("列表：各模块登记的下一年安排句子（register_outlook），已含数字", "list"),
        "goal_name": "长期目标（发展蓝图）名称，如“百亿工业园区”；没有时为空",
        "goal_indicator": "长期目标的指标名称，如“规上工业总产值”",
        "goal_year": "长期目标的目标年，如“2023年”",
        "goal_target": "长期目标值，如“100亿元”",
        "goal_growth": "实现长期目标所需的年均增速，如“17.6%”；已实现或无目标年时为空",
        "goal_next": Var("长期目标年就是下一年（“关键之年”）", "flag"),
    },
)
def next_year(ctx: SectionContext) -> Section | None:
    year = ctx.year + 1
    v: dict[str, object] = {name: var.empty for name, var in ctx.spec.variables.items()}  # type: ignore[union-attr]
    v["next_year"] = ctx.label(f"{year}年")
    targets = ctx.cache.targets(ctx.park, year)
    items = []
    for ind in ctx.cache.indicators():
        target = targets.get(ind.pk)
        if target is None:
            continue
        if target.kind == Target.Kind.GROWTH:
            items.append(
                {
                    "name": ind.name.removesuffix("增速"),
                    "growth_target": True,
                    "target": ctx.rate(
                        target.value,
                        indicator=f"{ind.name}{year}年目标",
                        period=f"{year}年",
                        method="年度目标（目标表）",
                    ),
                    "growth": "",
                }
            )
            continue
        this_year = _full_year(ctx, ind.code)
        growth = formulas.implied_growth_pct(target.value, this_year)
        items.append(
            {
                "name": ind.name,
                "growth_target": False,
                "target": amount(
                    ctx,
                    target.value,
                    ind.unit,
                    planned=True,
                    indicator=f"{ind.name}{year}年目标",
                    period=f"{year}年",
                    method="年度目标（目标表）",
                ),
                "growth": ""
                if growth is None
                else ctx.growth(
                    growth,
                    indicator=f"{ind.name}{year}年目标比{ctx.year}年增长",
                    period=f"{year}年",
                    method=f"{year}年目标 ÷ {full_year_label(ctx)}{ind.name} − 1",
                ),
            }
        )
    v["next_targets"] = items
    outlook: list[Rendered] = []
    for spec in OUTLOOKS.get("annual", []):
        outlook.extend(spec.provider(ctx))
    v["outlook"] = outlook
    goal = (
        LongTermGoal.objects.filter(
            park=ctx.park, kind=LongTermGoal.Kind.HUNDRED_YI, target_year__gt=ctx.year
        )
        .select_related("indicator")
        .first()
    )
    if goal is not None:
        current = _full_year(ctx, goal.indicator.code)
        goal_value = goal.target_value or formulas.HUNDRED_YI_IN_WAN_YUAN
        needed = formulas.required_average_growth_pct(
            current, goal_value, goal.target_year - ctx.year
        )
        if needed is not None and needed > 0:
            v["goal_name"] = ctx.label(goal.name or "百亿园区")
            v["goal_indicator"] = goal.indicator.name
            v["goal_year"] = ctx.label(f"{goal.target_year}年")
            v["goal_target"] = amount(
                ctx,
                goal_value,
                goal.indicator.unit,
                planned=True,
                indicator=f"{goal.name or '百亿园区'}目标",
                period=f"{goal.target_year}年",
                method="园区长期目标",
            )
            v["goal_growth"] = ctx.rate(
                needed,
                indicator=f"实现{goal.name or '百亿园区'}目标所需年均增速",
                period=f"{ctx.year + 1}-{goal.target_year}年",
                method=(
                    f"（目标 ÷ {full_year_label(ctx)}{goal.indicator.name}）^(1/"
                    f"{goal.target_year - ctx.year}) − 1"
                ),
            )
            v["goal_next"] = goal.target_year == year
    if not items and not outlook and not v["goal_growth"]:
        return ctx.omit(f"目标表中没有{year}年的目标")
    return ctx.section(**v)


def _full_year(ctx: SectionContext, code: str) -> Decimal | None:
    """This year's full-year figure: actual for a closed year, the projection mid-year."""
    if ctx.estimated:
        return projection(ctx, code).value
    return indicator(ctx, code).value
