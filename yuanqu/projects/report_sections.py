"""重点项目's report sections: 项目建设 in the annual report (order 20, the speech's (三)), the
plan shortfall of 问题与差距 (order 15) and 重点项目 in the monthly analysis (order 60).

Every figure comes from `projects.selectors` and `funding.selectors` (the same rows the pages,
the API and `yuanqu projects` / `yuanqu funds` show) and reaches the text through the
context's emitters: 亿元 for investment, 万元 for the bond, rates to one decimal.
"""

from __future__ import annotations

from decimal import Decimal

from yuanqu.core import wording
from yuanqu.funding import selectors as funds
from yuanqu.funding.models import FundType
from yuanqu.projects import selectors
from yuanqu.reports.engine import (
    Label,
    Rendered,
    Section,
    SectionContext,
    Var,
    register_outlook,
    register_section,
    register_shortfall,
)

METHOD = "重点项目库：各项目本年累计完成投资（月度调度，已审核）之和"
PLAN_METHOD = "重点项目年度计划投资之和"


def _summary(ctx: SectionContext) -> dict:
    key = ("projects-summary", ctx.park.pk, str(ctx.period), ctx.include_submitted)
    store = ctx.cache.__dict__.setdefault("_module_cache", {})
    if key not in store:
        store[key] = selectors.project_summary(
            park=ctx.park, period=ctx.period, include_submitted=ctx.include_submitted
        )
    return store[key]


def _span(ctx: SectionContext) -> Label:
    """“全年” for a closed year; the as-of period's label otherwise (DECISIONS.md, --as-of)."""
    return Label("全年" if ctx.period.month == 12 else f"1-{ctx.period.month}月")


ANNUAL_VARIABLES: dict[str, str | Var] = {
    "projects_count": "省市重点项目个数，如“13个”",
    "projects_provincial_count": "省重点项目个数，如“4个”",
    "projects_municipal_count": "市重点项目个数，如“9个”",
    "projects_total": "省市重点项目总投资（亿元）",
    "projects_planned": "省市重点项目年度计划投资（亿元）",
    "projects_all_started": Var("计划新开工的项目全部已开工（截至报告期末）", "flag"),
    "projects_not_started": "计划新开工但尚未开工的项目个数，如“2个”；全部开工时为空",
    "projects_span": "“全年”；年中（--as-of）为“1-11月”",
    "projects_completed": "省市重点项目本年累计完成投资（亿元）",
    "projects_rate": "省市重点项目年度计划完成率，如“108.6%”",
    "projects_provincial_completed": "省重点项目本年累计完成投资（亿元）",
    "projects_provincial_rate": "省重点项目年度计划完成率",
    "projects_bond": "本年到位的地方政府专项债券（万元）；没有时为空",
    "projects_bond_month": "专项债全部支出完毕的月份，如“9月”；未支出完毕时为空",
    "projects_bond_spent": "专项债已支出（万元），未全部支出时用",
    "projects_bond_progress": "专项债支出进度，如“75.0%”，未全部支出时用",
    "projects_policy_count": "本年申报的政策性开发性金融工具项目个数，用汉字，如“两个”",
    "projects_policy_amount": "政策性开发性金融工具申请资金（亿元）；没有时为空",
    "projects_bond_apps_count": "本年申报（拟申报）的地方政府专项债券项目个数",
    "projects_bond_apps_amount": "拟申请专项债资金合计（亿元）；没有时为空",
    "projects_next_year": "下一年，如“2023年”",
    "projects_bond_apps_next": "其中下一年拟申报的专项债资金（亿元）；没有时为空",
}


@register_section(
    "annual",
    20,
    key="projects",
    title="项目建设跑出新速度",
    group="achievements",
    template="annual/projects.j2",
    variables=ANNUAL_VARIABLES,
)
def projects(ctx: SectionContext) -> Section | None:
    summary = _summary(ctx)
    key = selectors.level_totals(summary, "key")
    provincial = selectors.level_totals(summary, "provincial")
    municipal = selectors.level_totals(summary, "municipal")
    if not key.count or key.planned <= 0:
        return ctx.omit(f"{ctx.year}年没有省市重点项目的年度计划")
    period = ctx.period_label
    v: dict[str, object] = {
        "projects_count": ctx.count(
            key.count,
            "个",
            indicator="省市重点项目个数",
            period=ctx.year_label,
            method="重点项目库（有本年计划的省、市重点项目）",
        ),
        "projects_provincial_count": ctx.count(
            provincial.count,
            "个",
            indicator="省重点项目个数",
            period=ctx.year_label,
            method="重点项目库",
        ),
        "projects_municipal_count": ctx.count(
            municipal.count,
            "个",
            indicator="市重点项目个数",
            period=ctx.year_label,
            method="重点项目库",
        ),
        "projects_total": ctx.amount(
            key.total_investment,
            indicator="省市重点项目总投资",
            period=ctx.year_label,
            method="重点项目库总投资之和",
        ),
        "projects_planned": ctx.amount(
            key.planned,
            indicator="省市重点项目年度计划投资",
            period=ctx.year_label,
            method=PLAN_METHOD,
        ),
        "projects_all_started": key.start_planned > 0 and key.start_planned == key.started,
        "projects_not_started": (
            ""
            if key.start_planned == key.started
            else ctx.count(
                key.start_planned - key.started,
                "个",
                indicator="计划新开工未开工项目",
                period=period,
                method="计划本年新开工且截至期末无实际开工日期",
            )
        ),
        "projects_span": _span(ctx),
        "projects_completed": ctx.amount(
            key.ytd, indicator="省市重点项目完成投资", period=period, method=METHOD
        ),
        "projects_rate": ctx.rate(
            key.completion_pct or Decimal(0),
            indicator="省市重点项目年度计划完成率",
            period=period,
            method="本年累计完成投资 ÷ 年度计划投资 × 100%",
        ),
        "projects_provincial_completed": ctx.amount(
            provincial.ytd, indicator="省重点项目完成投资", period=period, method=METHOD
        ),
        "projects_provincial_rate": (
            ctx.rate(
                provincial.completion_pct,
                indicator="省重点项目年度计划完成率",
                period=period,
                method="本年累计完成投资 ÷ 年度计划投资 × 100%",
            )
            if provincial.completion_pct is not None
            else Label("—")
        ),
    }
    money = funds.fund_summary(park=ctx.park, year=ctx.year, month=ctx.period.month)
    bond = funds.type_totals(money, FundType.SPECIAL_BOND)
    v.update(
        projects_bond="", projects_bond_month="", projects_bond_spent="", projects_bond_progress=""
    )
    if bond.received > 0:
        v["projects_bond"] = ctx._emit(
            wording.wan_yuan(
                bond.received, places=0 if bond.received == bond.received.to_integral() else 2
            ),
            indicator="地方政府专项债券到位资金",
            period=period,
            unit="万元",
            method="项目资金台账：本年各月到位之和",
        )
        if bond.fully_spent_month:
            v["projects_bond_month"] = ctx.count(
                bond.fully_spent_month,
                "月",
                indicator="专项债全部支出完毕的月份",
                period=period,
                method="累计支出首次达到本年到位总额的月份",
            )
        else:
            v["projects_bond_spent"] = ctx._emit(
                wording.wan_yuan(
                    bond.spent, places=0 if bond.spent == bond.spent.to_integral() else 2
                ),
                indicator="专项债已支出",
                period=period,
                unit="万元",
                method="项目资金台账：本年各月支出之和",
            )
            v["projects_bond_progress"] = ctx.rate(
                bond.progress_pct or Decimal(0),
                indicator="专项债支出进度",
                period=period,
                method="已支出 ÷ 已到位 × 100%",
            )
    policy = funds.type_totals(money, FundType.POLICY_FINANCE)
    v["projects_policy_count"] = ""
    v["projects_policy_amount"] = ""
    if policy.applied > 0:
        v["projects_policy_count"] = ctx.count(
            policy.projects,
            "个",
            indicator="政策性开发性金融工具申报项目",
            period=ctx.year_label,
            method="项目资金台账",
            words=True,  # the speech: “申报了两个政策性开发性金融工具项目”
        )
        v["projects_policy_amount"] = ctx.amount(
            policy.applied,
            indicator="政策性开发性金融工具申请资金",
            period=ctx.year_label,
            method="项目资金台账：申报金额之和",
        )
    apps = funds.applications_of(money, FundType.SPECIAL_BOND)
    v["projects_bond_apps_count"] = v["projects_bond_apps_amount"] = v[
        "projects_bond_apps_next"
    ] = ""
    v["projects_next_year"] = Label(f"{ctx.year + 1}年")
    if apps and apps["amount"] > 0:
        v["projects_bond_apps_count"] = ctx.count(
            apps["projects"],
            "个",
            indicator="拟申报专项债项目",
            period=ctx.year_label,
            method="拟申报资金项目库（本年申报）",
        )
        v["projects_bond_apps_amount"] = ctx.amount(
            apps["amount"],
            indicator="拟申请专项债资金",
            period=ctx.year_label,
            method="拟申报资金项目库：拟申请资金之和",
        )
        nxt = apps["by_year"].get(ctx.year + 1)
        if nxt:
            v["projects_bond_apps_next"] = ctx.amount(
                nxt,
                indicator=f"{ctx.year + 1}年拟申报专项债资金",
                period=ctx.year_label,
                method="拟申报资金项目库：拟申报年度为下一年",
            )
    return ctx.section(**v)


@register_shortfall(
    "annual",
    15,
    key="projects",
    template="annual/shortfall_projects.j2",
    variables={
        "projects_sf_span": "“全年”或“1-11月”",
        "projects_sf_completed": "省市重点项目完成投资（亿元）",
        "projects_sf_rate": "年度计划完成率",
        "projects_sf_time": "“慢于序时进度X个百分点”",
    },
)
def plan_shortfall(ctx: SectionContext) -> list[Rendered]:
    """A sentence when the key projects are behind their plan's 序时进度 (at year end: < 100%)."""
    key = selectors.level_totals(_summary(ctx), "key")
    if key.ahead_pp is None or wording.round_half_up(key.ahead_pp, 1) >= 0:
        return []
    period = ctx.period_label
    return [
        ctx.render_part(
            "annual/shortfall_projects.j2",
            projects_sf_span=_span(ctx),
            projects_sf_completed=ctx.amount(
                key.ytd, indicator="省市重点项目完成投资", period=period, method=METHOD
            ),
            projects_sf_rate=ctx.rate(
                key.completion_pct or Decimal(0),
                indicator="省市重点项目年度计划完成率",
                period=period,
                method="本年累计完成投资 ÷ 年度计划投资 × 100%",
            ),
            projects_sf_time=ctx.time_progress(
                key.ahead_pp,
                indicator="省市重点项目序时进度",
                period=period,
                method="完成率 − 月数/12 × 100",
            ),
        )
    ]


@register_section(
    "monthly",
    60,
    key="projects",
    title="重点项目",
    template="monthly/projects.j2",
    variables={
        "projects_m_count": "省市重点项目个数",
        "projects_m_completed": "省市重点项目1-本月完成投资（亿元）",
        "projects_m_rate": "年度计划完成率",
        "projects_m_time": "超（慢）序时进度措辞",
        "projects_m_levels": Var(
            "列表：省重点、市重点",
            "list",
            {"name": "级别", "completed": "完成投资", "rate": "完成率", "time": "序时措辞"},
        ),
        "projects_m_red": Var("列表：红灯项目", "list", {"name": "项目名称"}),
        "projects_m_red_count": "红灯项目个数",
    },
)
def projects_monthly(ctx: SectionContext) -> Section | None:
    summary = _summary(ctx)
    key = selectors.level_totals(summary, "key")
    if not key.count or key.planned <= 0 or key.ahead_pp is None:
        return ctx.omit(f"{ctx.period.label}没有省市重点项目的年度计划")
    period = ctx.period_label
    levels = []
    for name in ("provincial", "municipal"):
        t = selectors.level_totals(summary, name)
        if not t.count or t.completion_pct is None or t.ahead_pp is None:
            continue
        levels.append(
            {
                "name": Label(t.label),
                "completed": ctx.amount(
                    t.ytd, indicator=f"{t.label}项目完成投资", period=period, method=METHOD
                ),
                "rate": ctx.rate(
                    t.completion_pct,
                    indicator=f"{t.label}项目年度计划完成率",
                    period=period,
                    method="本年累计完成投资 ÷ 年度计划投资 × 100%",
                ),
                "time": ctx.time_progress(
                    t.ahead_pp,
                    indicator=f"{t.label}项目序时进度",
                    period=period,
                    method="完成率 − 月数/12 × 100",
                ),
            }
        )
    red = [
        {"name": Label(r.project.name)}
        for r in summary["rows"]
        if r.light == "red" and r.project.level in ("provincial", "municipal")
    ]
    return ctx.section(
        projects_m_count=ctx.count(
            key.count, "个", indicator="省市重点项目个数", period=period, method="重点项目库"
        ),
        projects_m_completed=ctx.amount(
            key.ytd, indicator="省市重点项目完成投资", period=period, method=METHOD
        ),
        projects_m_rate=ctx.rate(
            key.completion_pct or Decimal(0),
            indicator="省市重点项目年度计划完成率",
            period=period,
            method="本年累计完成投资 ÷ 年度计划投资 × 100%",
        ),
        projects_m_time=ctx.time_progress(
            key.ahead_pp,
            indicator="省市重点项目序时进度",
            period=period,
            method="完成率 − 月数/12 × 100",
        ),
        projects_m_levels=levels,
        projects_m_red=red,
        projects_m_red_count=ctx.count(
            len(red),
            "个",
            indicator="红灯项目个数",
            period=period,
            method=f"慢于序时进度超过{selectors.light_margin()}个百分点或节点逾期",
        ),
    )


@register_outlook(
    "annual",
    20,
    key="projects_plan",
    template=(
        "计划实施省市重点项目{{ projects_next_count }}，年度计划投资{{ projects_next_planned }}"
        "{% if projects_next_starts %}，其中计划新开工{{ projects_next_starts }}{% endif %}。"
    ),
    variables={
        "projects_next_count": "下一年有年度计划的省市重点项目个数，如“15个”",
        "projects_next_planned": "下一年省市重点项目年度计划投资（亿元）",
        "projects_next_starts": "下一年计划新开工的项目个数；没有时为空",
    },
)
def next_year_plan(ctx: SectionContext) -> list[Rendered]:
    """下一年工作安排: the key projects' plan for the year after the report's."""
    year = ctx.year + 1
    plan = selectors.key_plan(park=ctx.park, year=year)
    if not plan.count:
        return []
    period = f"{year}年"
    return [
        ctx.render_part(
            "annual/outlook_projects_plan.inline",
            projects_next_count=ctx.count(
                plan.count,
                "个",
                indicator="下一年省市重点项目个数",
                period=period,
                method="重点项目年度计划",
            ),
            projects_next_planned=ctx.planned_amount(
                plan.planned,
                indicator="下一年省市重点项目年度计划投资",
                period=period,
                method="重点项目年度计划投资之和",
            ),
            projects_next_starts=""
            if not plan.new_starts
            else ctx.count(
                plan.new_starts,
                "个",
                indicator="下一年计划新开工省市重点项目",
                period=period,
                method="重点项目年度计划（计划本年新开工）",
            ),
        )
    ]
