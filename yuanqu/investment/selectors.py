"""Reads of 招商引资: the year's signings against the targets, the reserve pipeline, the
signing cohort's rates, 到位资金 and stage conversion — everything the pages, the API,
`yuanqu investment`, the reports and the cockpit show (`investment_summary`), so they agree
to the digit.

A lead's stage *at a date* is read from its events (its furthest stage dated on or before it;
终止 when terminated by then). Signings of a year are the leads whose 签约 is dated in the year
(up to the date): a lead terminated after signing stays a signing of that year and in its
cohort's denominators (its failure shows in 履约率), one terminated before signing never
counts. Amounts are 万元; a USD lead is converted at its stated rate (`formulas.to_cny_wan`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from yuanqu.investment import formulas
from yuanqu.investment.models import STAGE_ORDER, Lead, LeadEvent, LeadStage
from yuanqu.registry.models import Park

#: Indicator codes of the module targets (rows of economy's targets table, DECISIONS.md).
TARGET_COUNT = "investment_signed_count"
TARGET_AMOUNT = "investment_signed_amount"


def module_target(*, park: Park, year: int, code: str) -> Decimal | None:
    """A module target of the park and year (economy's targets table), or None."""
    from yuanqu.economy.models import Target

    value = (
        Target.objects.filter(park=park, year=year, indicator__code=code)
        .values_list("value", flat=True)
        .first()
    )
    return value


def _setting(name: str, default: Decimal) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def large_threshold() -> Decimal:
    """亿元以上: YUANQU_INVESTMENT_LARGE_WAN (default 10,000万元)."""
    return _setting("YUANQU_INVESTMENT_LARGE_WAN", formulas.DEFAULT_LARGE_WAN)


def huge_threshold() -> Decimal:
    """十亿元以上: YUANQU_INVESTMENT_HUGE_WAN (default 100,000万元)."""
    return _setting("YUANQU_INVESTMENT_HUGE_WAN", formulas.DEFAULT_HUGE_WAN)


def required_size(year: int) -> Decimal:
    """The city's required size for 招大引强 in `year` (万元): YUANQU_INVESTMENT_REQUIRED_WAN,
    a {year: 万元} mapping; default 100,000万元 (10亿元)."""
    by_year = getattr(settings, "YUANQU_INVESTMENT_REQUIRED_WAN", {}) or {}
    value = by_year.get(year, by_year.get(str(year), formulas.DEFAULT_REQUIRED_WAN))
    return Decimal(str(value))


def leads_for(*, park: Park) -> QuerySet[Lead]:
    return (
        Lead.objects.filter(park=park)
        .select_related("cluster", "enterprise", "project", "parcel", "department")
        .prefetch_related(
            Prefetch("events", queryset=LeadEvent.objects.order_by("date", "id")), "funds"
        )
    )


def stage_dates(lead: Lead) -> dict[str, dt.date]:
    return {e.stage: e.date for e in lead.events.all()}


def stage_at(lead: Lead, at: dt.date) -> str:
    """The lead's stage at `at`: 终止 when terminated by then, else its furthest stage reached
    on or before it (线索 when none yet)."""
    dates = stage_dates(lead)
    terminated = dates.get(LeadStage.TERMINATED)
    if terminated is not None and terminated <= at:
        return LeadStage.TERMINATED.value
    reached = [s for s, d in dates.items() if s in STAGE_ORDER and d <= at]
    return max(reached, key=STAGE_ORDER.index) if reached else LeadStage.CLUE.value


def signed_amount(lead: Lead) -> Decimal | None:
    """协议总投资 in 万元 (the planned total when no agreement amount was entered)."""
    amount = lead.agreement_amount if lead.agreement_amount is not None else lead.planned_investment
    return formulas.to_cny_wan(amount, lead.currency, lead.usd_rate)


def planned_amount(lead: Lead) -> Decimal | None:
    return formulas.to_cny_wan(lead.planned_investment, lead.currency, lead.usd_rate)


def funds_to(lead: Lead, at: dt.date, year: int | None = None) -> tuple[Decimal, Decimal]:
    """(固定资产, 流动资金) 到位 of a lead up to the month of `at` (in `year` only, if given)."""
    fixed = working = Decimal(0)
    for f in lead.funds.all():
        if (f.year, f.month) > (at.year, at.month) or (year is not None and f.year != year):
            continue
        fixed += f.fixed_assets
        working += f.working_capital
    return fixed, working


@dataclass
class LeadRow:
    lead: Lead
    stage: str  # at the date
    dates: dict[str, dt.date]
    amount: Decimal | None  # 协议总投资 (signed) or 计划总投资, 万元
    funds: Decimal  # 到位 since signing, up to the date (万元)

    @property
    def stage_label(self) -> str:
        return LeadStage(self.stage).label


@dataclass
class ClusterLine:
    name: str
    count: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class StageLine:
    stage: str
    label: str
    reached: int
    went_on: int
    conversion_pct: Decimal | None
    median_days: Decimal | None


@dataclass
class InvestmentSummary:
    park: Park
    year: int
    at: dt.date
    signings: list[LeadRow]
    signed_count: int
    signed_amount: Decimal
    target_count: Decimal | None
    target_amount: Decimal | None
    count_reached_on: dt.date | None
    amount_reached_on: dt.date | None
    count_ahead: bool
    amount_ahead: bool
    count_exceeded: bool
    amount_exceeded: bool
    large_count: int
    huge_count: int
    large_threshold: Decimal
    huge_threshold: Decimal
    required_size: Decimal
    required_reached: bool
    largest: LeadRow | None
    by_cluster: list[ClusterLine]
    reserve: list[LeadRow]
    reserve_by_cluster: list[ClusterLine]
    reserve_amount: Decimal
    fulfilled: int
    started: int
    producing: int
    fulfilment_pct: Decimal | None
    start_pct: Decimal | None
    production_pct: Decimal | None
    funds_fixed: Decimal  # 到位 in the year (every lead), 万元
    funds_working: Decimal
    cohort_funds: Decimal  # 到位 of the year's signings, since signing
    funds_rate_pct: Decimal | None
    stages: list[StageLine]
    by_stage: dict[str, int] = field(default_factory=dict)
    rows: list[LeadRow] = field(default_factory=list)
    unconverted: list[LeadRow] = field(default_factory=list)  # USD without a rate


def lead_row(lead: Lead, at: dt.date) -> LeadRow:
    dates = stage_dates(lead)
    signed = dates.get(LeadStage.SIGNED)
    stage = stage_at(lead, at)
    funds = Decimal(0)
    if signed is not None:
        fixed, working = funds_to(lead, at)
        funds = fixed + working
    return LeadRow(
        lead=lead,
        stage=stage,
        dates=dates,
        amount=signed_amount(lead) if signed else planned_amount(lead),
        funds=funds,
    )


def _reached(row: LeadRow, stage: str, at: dt.date) -> bool:
    d = row.dates.get(stage)
    return d is not None and d <= at


def _clusters(rows: list[LeadRow]) -> list[ClusterLine]:
    lines: dict[str, ClusterLine] = {}
    for r in rows:
        name = r.lead.cluster.name if r.lead.cluster is not None else "其他"
        line = lines.setdefault(name, ClusterLine(name))
        line.count += 1
        line.amount += r.amount or Decimal(0)
    return sorted(lines.values(), key=lambda c: (-c.amount, -c.count, c.name))


def investment_summary(*, park: Park, year: int, at: dt.date | None = None) -> InvestmentSummary:
    """The year's investment figures of a park as seen at `at` (default 31 December)."""
    end = dt.date(year, 12, 31)
    at = min(end, at) if at else end
    rows = [lead_row(lead, at) for lead in leads_for(park=park)]
    signings = [
        r
        for r in rows
        if (d := r.dates.get(LeadStage.SIGNED)) is not None and d.year == year and d <= at
    ]
    signings.sort(key=lambda r: (r.dates[LeadStage.SIGNED], r.lead.code))
    counted = [r for r in signings if r.amount is not None]
    unconverted = [r for r in signings if r.amount is None]
    amount = sum((r.amount for r in counted if r.amount is not None), Decimal(0))
    t_count = module_target(park=park, year=year, code=TARGET_COUNT)
    t_amount = module_target(park=park, year=year, code=TARGET_AMOUNT)
    count_on = formulas.target_reached_on(
        ((r.dates[LeadStage.SIGNED], Decimal(1)) for r in signings), t_count
    )
    amount_on = formulas.target_reached_on(
        ((r.dates[LeadStage.SIGNED], r.amount or Decimal(0)) for r in counted), t_amount
    )
    large, huge, required = large_threshold(), huge_threshold(), required_size(year)
    amounts = [r.amount for r in signings]
    largest = max(counted, key=lambda r: r.amount or Decimal(0), default=None)
    reserve = [r for r in rows if r.stage == LeadStage.INTENT]
    fulfilled = sum(1 for r in signings if r.funds > 0 or _reached(r, LeadStage.STARTED, at))
    started = sum(1 for r in signings if _reached(r, LeadStage.STARTED, at))
    producing = sum(1 for r in signings if _reached(r, LeadStage.PRODUCING, at))
    fixed = working = Decimal(0)
    for r in rows:
        f, w = funds_to(r.lead, at, year=year)
        fixed += f
        working += w
    cohort_funds = sum((r.funds for r in signings), Decimal(0))
    return InvestmentSummary(
        park=park,
        year=year,
        at=at,
        signings=signings,
        signed_count=len(signings),
        signed_amount=amount,
        target_count=t_count,
        target_amount=t_amount,
        count_reached_on=count_on,
        amount_reached_on=amount_on,
        count_ahead=formulas.ahead_of_year(count_on, year),
        amount_ahead=formulas.ahead_of_year(amount_on, year),
        count_exceeded=formulas.exceeded(Decimal(len(signings)), t_count),
        amount_exceeded=formulas.exceeded(amount, t_amount),
        large_count=formulas.count_at_least(amounts, large),
        huge_count=formulas.count_at_least(amounts, huge),
        large_threshold=large,
        huge_threshold=huge,
        required_size=required,
        required_reached=formulas.count_at_least(amounts, required) > 0,
        largest=largest,
        by_cluster=_clusters(counted),
        reserve=reserve,
        reserve_by_cluster=_clusters(reserve),
        reserve_amount=sum((r.amount or Decimal(0) for r in reserve), Decimal(0)),
        fulfilled=fulfilled,
        started=started,
        producing=producing,
        fulfilment_pct=formulas.rate_of_cohort(fulfilled, len(signings)),
        start_pct=formulas.rate_of_cohort(started, len(signings)),
        production_pct=formulas.rate_of_cohort(producing, len(signings)),
        funds_fixed=fixed,
        funds_working=working,
        cohort_funds=cohort_funds,
        funds_rate_pct=formulas.funds_arrival_rate_pct(cohort_funds, amount),
        stages=stage_lines(rows, at),
        by_stage=_count_stages(rows),
        rows=rows,
        unconverted=unconverted,
    )


def _count_stages(rows: list[LeadRow]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(LeadStage.values, 0)
    for r in rows:
        counts[r.stage] += 1
    return counts


def stage_lines(rows: list[LeadRow], at: dt.date) -> list[StageLine]:
    """Per forward stage: leads that reached it (by `at`), those that went on to the next, the
    conversion and the median days between the two dates. A lead that skipped a stage's record
    (signed straight from 洽谈) counts as having reached every earlier stage."""
    lines = []
    for i, stage in enumerate(STAGE_ORDER[:-1]):
        nxt = STAGE_ORDER[i + 1]
        reached = went = 0
        days: list[int] = []
        for r in rows:
            furthest = [s for s, d in r.dates.items() if s in STAGE_ORDER and d <= at]
            if not furthest:
                continue
            top = max(STAGE_ORDER.index(s) for s in furthest)
            if top < i:
                continue
            reached += 1
            if top >= i + 1:
                went += 1
                a, b = r.dates.get(stage), r.dates.get(nxt)
                if a is not None and b is not None and b <= at:
                    days.append((b - a).days)
        lines.append(
            StageLine(
                stage=stage,
                label=LeadStage(stage).label,
                reached=reached,
                went_on=went,
                conversion_pct=formulas.stage_conversion_pct(went, reached),
                median_days=formulas.median_days(days),
            )
        )
    return lines


def cluster_names(lines: list[ClusterLine]) -> list[str]:
    return [c.name for c in lines]


def leads_by_stage(rows: list[LeadRow]) -> dict[str, list[LeadRow]]:
    board: dict[str, list[LeadRow]] = defaultdict(list)
    for r in rows:
        board[r.stage].append(r)
    return board
