"""The linked lifecycle (PRODUCT.md, "One linked lifecycle"): lead → 签约 → parcel → key project
→ 开工 → 投产 → 规上 → the enterprise's output and its 拉动 in the park, with dates and amounts.

Each step reads the module that owns it: the lead and its history (investment), the parcel and
its events (land), the key project (projects), 规上 status (registry) and the output from
economy's selectors (`indicator_parts`: the enterprise's 1-本月 output, its own growth on a
comparable basis and its 拉动 in the park). 拉动 and 贡献率 reveal the park: they are left out
for enterprise users (`park_figures=False`; DECISIONS.md, Access).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal, pct_str, yi_yuan
from yuanqu.investment.models import Lead, LeadStage
from yuanqu.investment.selectors import leads_for, signed_amount
from yuanqu.land.models import Parcel, ParcelStatus
from yuanqu.projects.models import Project
from yuanqu.registry.models import Enterprise, EnterpriseScale


@dataclass
class Step:
    key: str
    label: str
    date: dt.date | None
    text: str
    url: str = ""
    done: bool = True


@dataclass
class Output:
    period: Period
    value: Decimal
    growth_pct: Decimal | None
    pull_pp: Decimal | None  # None for enterprise users (park figure)
    contribution_pct: Decimal | None


@dataclass
class Lifecycle:
    enterprise: Enterprise | None
    leads: list[Lead] = field(default_factory=list)
    parcels: list[Parcel] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    output: Output | None = None


def _url(name: str, pk: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def enterprise_output(enterprise: Enterprise, *, park_figures: bool) -> Output | None:
    """The enterprise's 规上工业总产值 in the park's latest counted period (万元), its own growth
    and — for staff — its 拉动 (points) and 贡献率 in the park's growth."""
    from yuanqu.economy import formulas, selectors

    period = selectors.latest_period(park=enterprise.park)
    if period is None:
        return None
    parts = selectors.indicator_parts(
        park=enterprise.park, period=period, code="industrial_output", by="enterprise"
    )
    row = next((p for p in parts if p.key == enterprise.credit_code), None)
    if row is None:
        return None
    return Output(
        period=period,
        value=row.value,
        growth_pct=formulas.nominal_growth_pct(row.value, row.base),
        pull_pp=row.pull_pp if park_figures else None,
        contribution_pct=row.contribution_pct if park_figures else None,
    )


def lifecycle(
    *, enterprise: Enterprise | None = None, lead: Lead | None = None, park_figures: bool = True
) -> Lifecycle:
    """The chain for a lead (its enterprise, parcel, project) or for an enterprise (every lead,
    parcel and key project linked to it), in date order."""
    if lead is not None and enterprise is None:
        enterprise = lead.enterprise
    life = Lifecycle(enterprise=enterprise)
    if lead is not None:
        life.leads = [leads_for(park=lead.park).get(pk=lead.pk)]
    elif enterprise is not None:
        life.leads = list(leads_for(park=enterprise.park).filter(enterprise=enterprise))
    parcel_ids = {le.parcel_id for le in life.leads if le.parcel_id}
    project_ids = {le.project_id for le in life.leads if le.project_id}
    parcels = Parcel.objects.prefetch_related("events").select_related("project")
    projects = Project.objects.all()
    if enterprise is not None and lead is None:
        life.parcels = list(
            parcels.filter(enterprise=enterprise) | parcels.filter(pk__in=parcel_ids)
        )
        life.projects = list(
            projects.filter(enterprise=enterprise) | projects.filter(pk__in=project_ids)
        )
    else:
        life.parcels = list(parcels.filter(pk__in=parcel_ids))
        life.projects = list(projects.filter(pk__in=project_ids))
    for p in life.parcels:
        if p.project_id and p.project_id not in {x.pk for x in life.projects}:
            life.projects.append(p.project)
    steps: list[Step] = []
    for le in life.leads:
        url = _url("investment:lead", le.pk)
        for e in le.events.all():
            text = f"{le.name}：{e.get_stage_display()}"
            if e.stage == LeadStage.SIGNED:
                amount = signed_amount(le)
                rate = (
                    f"（{fmt_decimal(le.agreement_amount or le.planned_investment, 2)}万美元，汇率"
                    f"{le.usd_rate}）"
                    if le.currency == "USD"
                    else ""
                )
                text += f"，协议总投资{yi_yuan(amount) if amount is not None else '—'}{rate}"
            if e.stage == LeadStage.TERMINATED and e.note:
                text += f"（{e.note}）"
            steps.append(Step(f"lead-{e.stage}", e.get_stage_display(), e.date, text, url))
    for p in life.parcels:
        url = _url("land:parcel", p.pk)
        for e in p.events.all():
            text = f"宗地{p.code}（{fmt_decimal(p.area_mu, 2)}亩）：{e.get_status_display()}"
            if e.status == ParcelStatus.SOLD and p.price is not None:
                text += f"，成交价格{fmt_decimal(p.price, 2)}万元"
            steps.append(Step(f"parcel-{e.status}", e.get_status_display(), e.date, text, url))
    for pr in life.projects:
        url = _url("projects:detail", pr.pk)
        head = (
            f"重点项目{pr.name}（{pr.get_level_display()}，总投资{yi_yuan(pr.total_investment)}）"
        )
        steps.append(Step("project", "列入重点项目", pr.planned_start, head, url, done=True))
        if pr.actual_start:
            steps.append(Step("project-start", "项目开工", pr.actual_start, f"{pr.name}开工", url))
        if pr.actual_completion:
            steps.append(
                Step("project-done", "项目竣工", pr.actual_completion, f"{pr.name}竣工", url)
            )
        if pr.actual_production:
            steps.append(
                Step("project-production", "投产", pr.actual_production, f"{pr.name}投产", url)
            )
    if enterprise is not None:
        scale = (
            EnterpriseScale.objects.filter(enterprise=enterprise, is_above_scale=True)
            .order_by("year")
            .first()
        )
        if scale is not None:
            month = scale.entry_month or 1
            steps.append(
                Step(
                    "scale",
                    "纳入规上",
                    dt.date(scale.year, month, 1),
                    f"{enterprise.name}纳入规模以上工业企业（{scale.year}年"
                    f"{'' if not scale.entry_month else str(scale.entry_month) + '月'}）",
                    _url("investment:enterprise", enterprise.pk),
                )
            )
        life.output = enterprise_output(enterprise, park_figures=park_figures)
        if life.output is not None:
            o = life.output
            text = f"{o.period.label}规上工业总产值{yi_yuan(o.value)}"
            if o.growth_pct is not None:
                text += (
                    f"，同比{'增长' if o.growth_pct >= 0 else '下降'}{pct_str(abs(o.growth_pct))}"
                )
            if o.pull_pp is not None:
                text += f"，拉动园区增长{fmt_decimal(o.pull_pp, 2)}个百分点"
            label = "产值与拉动" if o.pull_pp is not None else "产值与增长"
            steps.append(Step("output", label, None, text, ""))
    steps.sort(key=lambda s: (s.date is None, s.date or dt.date.max))
    life.steps = steps
    return life
