"""督查督办's report parts: the cadre shortfall of 问题与差距 (干部作风, order 30) and the
monthly analysis's 企业诉求与督查督办 (order 80, the open red items).

The cadre sentence appears only when an on-time rate of the year — supervision tasks or
enterprise requests — is under the setting YUANQU_ON_TIME_THRESHOLD_PCT (default 95%,
DECISIONS.md); it counts late items by department and never names a person.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from yuanqu.reports.engine import (
    Label,
    Rendered,
    Section,
    SectionContext,
    Var,
    register_section,
    register_shortfall,
)
from yuanqu.service_requests import selectors as requests
from yuanqu.service_requests.report_sections import metrics as service_metrics
from yuanqu.supervision import selectors

METHOD = "本期到期的督办事项中按期办结的比例；到期未办结的计为逾期"


def threshold() -> Decimal:
    return Decimal(str(getattr(settings, "YUANQU_ON_TIME_THRESHOLD_PCT", 95)))


def _bounds(ctx: SectionContext):  # type: ignore[no-untyped-def]
    return requests.year_bounds(ctx.year, ctx.period.month)


@register_shortfall(
    "annual",
    30,
    key="cadres",
    template="annual/shortfall_cadres.j2",
    variables={
        "cadres_span": "“全年”或“1-11月”",
        "cadres_tasks_due": "到期督办事项项数",
        "cadres_tasks_rate": "督办事项按期办结率（低于设定值时）；否则为空",
        "cadres_tasks_late": "逾期办结或逾期未办结的督办事项项数",
        "cadres_departments": Var(
            "列表：有逾期事项的部门（不点人名）", "list", {"name": "部门", "late": "逾期项数"}
        ),
        "cadres_requests_rate": "企业诉求按期办结率（低于设定值时）；否则为空",
        "cadres_requests_late": "未按期办结的企业诉求件数",
    },
)
def cadres(ctx: SectionContext) -> list[Rendered]:
    start, end = _bounds(ctx)
    tasks = selectors.task_metrics(park=ctx.park, start=start, end=end)
    # The 营商环境 section's metrics, cached on the context (one query for both).
    reqs = service_metrics(ctx)[0].total
    limit = threshold()
    low_tasks = tasks.total.on_time_rate is not None and tasks.total.on_time_rate < limit
    low_reqs = reqs.on_time_rate is not None and reqs.on_time_rate < limit
    if not (low_tasks or low_reqs):
        return []
    period = ctx.period_label
    v: dict[str, object] = {
        "cadres_span": Label("全年" if ctx.period.month == 12 else f"1-{ctx.period.month}月"),
        "cadres_tasks_due": "",
        "cadres_tasks_rate": "",
        "cadres_tasks_late": "",
        "cadres_departments": [],
        "cadres_requests_rate": "",
        "cadres_requests_late": "",
    }
    if low_tasks:
        assert tasks.total.on_time_rate is not None
        v["cadres_tasks_due"] = ctx.count(
            tasks.total.due,
            "项",
            indicator="到期督办事项",
            period=period,
            method="办结时限在本期内的督办事项",
        )
        v["cadres_tasks_rate"] = ctx.rate(
            tasks.total.on_time_rate, indicator="督办事项按期办结率", period=period, method=METHOD
        )
        v["cadres_tasks_late"] = ctx.count(
            tasks.total.late,
            "项",
            indicator="逾期督办事项",
            period=period,
            method="逾期办结与到期未办结之和",
        )
        v["cadres_departments"] = [
            {
                "name": Label(s.label),
                "late": ctx.count(
                    s.late,
                    "项",
                    indicator=f"{s.label}逾期督办事项",
                    period=period,
                    method="按责任部门",
                ),
            }
            for s in sorted(tasks.by_department, key=lambda s: (-s.late, s.key))
            if s.late
        ]
    if low_reqs:
        assert reqs.on_time_rate is not None
        v["cadres_requests_rate"] = ctx.rate(
            reqs.on_time_rate,
            indicator="企业诉求按期办结率",
            period=period,
            method="本期到期的诉求中按期办结的比例；到期未办结的计为逾期",
        )
        v["cadres_requests_late"] = ctx.count(
            reqs.late,
            "件",
            indicator="未按期办结的企业诉求",
            period=period,
            method="逾期办结与到期未办结之和",
        )
    return [ctx.render_part("annual/shortfall_cadres.j2", **v)]


@register_section(
    "monthly",
    80,
    key="supervision",
    title="企业诉求与督查督办",
    template="monthly/supervision.j2",
    variables={
        "sup_m_month": "本月，如“2023年12月”",
        "sup_m_received": "本月受理企业诉求件数；没有时为空",
        "sup_m_closed": "本月办结件数",
        "sup_m_request_rate": "本月到期诉求的按期办结率；没有到期时为空",
        "sup_m_at": "截至日期（月末），如“2023年12月末”",
        "sup_m_open": "在办督办事项项数",
        "sup_m_red_count": "红灯（逾期未办结）项数",
        "sup_m_yellow_count": "黄灯项数",
        "sup_m_red": Var("列表：红灯事项", "list", {"department": "责任部门", "title": "事项"}),
    },
)
def supervision_monthly(ctx: SectionContext) -> Section | None:
    import datetime as dt
    from calendar import monthrange

    y, m = ctx.period.year, ctx.period.month
    start, end = dt.date(y, m, 1), dt.date(y, m, monthrange(y, m)[1])
    every = selectors.task_rows(park=ctx.park, at=end)
    rows = [r for r in every if r.light != "done"]
    month = requests.request_metrics(park=ctx.park, start=start, end=end).total
    active = (
        month.received
        or month.closed
        or month.due
        or any(
            start <= r.task.assigned_on <= end
            or start <= r.task.deadline <= end
            or (r.task.done_on is not None and start <= r.task.done_on <= end)
            for r in every
        )
    )
    if not active:
        # A month with no request and no task activity (a period past the data): nothing to say.
        return ctx.omit(f"{ctx.period.label}没有企业诉求和督办事项的办理记录")
    period = ctx.period_label
    red = [r for r in rows if r.light == "red"]
    return ctx.section(
        sup_m_received=ctx.count(
            month.received,
            "件",
            indicator="受理企业诉求",
            period=period,
            method="受理日期在本月的诉求",
        )
        if month.received
        else "",
        sup_m_closed=ctx.count(
            month.closed,
            "件",
            indicator="办结企业诉求",
            period=period,
            method="办结日期在本月的诉求",
        ),
        sup_m_request_rate=ctx.rate(
            month.on_time_rate,
            indicator="企业诉求按期办结率",
            period=period,
            method="本月到期的诉求中按期办结的比例",
        )
        if month.on_time_rate is not None
        else "",
        sup_m_month=Label(f"{y}年{m}月"),
        sup_m_at=Label(f"{end.year}年{end.month}月末"),
        sup_m_open=ctx.count(
            len(rows), "项", indicator="在办督办事项", period=period, method="月末未办结的督办事项"
        ),
        sup_m_red_count=ctx.count(
            len(red),
            "项",
            indicator="红灯督办事项",
            period=period,
            method="月末已超过办结时限未办结",
        ),
        sup_m_yellow_count=ctx.count(
            sum(1 for r in rows if r.light == "yellow"),
            "项",
            indicator="黄灯督办事项",
            period=period,
            method=f"月末距办结时限{selectors.yellow_days()}天以内",
        ),
        sup_m_red=[
            {
                "department": Label(r.task.department.name if r.task.department else "未指定部门"),
                "title": Label(r.task.title),
            }
            for r in red
        ],
    )
