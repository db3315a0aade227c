"""本企业: an enterprise user's own figures, growth, submissions and 亩均 class.

Everything here is read for the user's own enterprise only (`accounts.policy`): its own
report rows (with the status of the period they belong to, so a submitted figure is labelled
已提交), its own comparable growth (its figure over its own 上年同期, `economy.formulas`),
its own uploads, and its 亩均 class — never the park's totals, 拉动, 贡献率, scores,
benchmarks or medians, which would reveal the park.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeGuard

from django.db.models import QuerySet

from yuanqu.accounts.models import AuthUser, Role, User
from yuanqu.core.periods import Period
from yuanqu.economy import formulas, selectors
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.models import DataSlice, DataStatus, ImportRecord
from yuanqu.imports.selectors import import_list_for
from yuanqu.registry.models import Enterprise

STATUS_LABELS = dict(DataStatus.choices)
MU_JUN_CLASS_NAMES = {
    "A": "A类（优先发展）",
    "B": "B类（提升发展）",
    "C": "C类（调控帮扶）",
    "D": "D类（倒逼整治）",
}


def is_enterprise_user(user: AuthUser | None) -> TypeGuard[User]:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.ENTERPRISE
        and user.enterprise_id
    )


def own_enterprise(*, user: AuthUser | None) -> Enterprise | None:
    """The enterprise user's own enterprise (None for anyone else or an unbound account)."""
    if not is_enterprise_user(user) or user.enterprise_id is None:
        return None
    return (
        Enterprise.objects.select_related("park", "cluster").filter(pk=user.enterprise_id).first()
    )


@dataclass
class OwnRow:
    """One month of the enterprise's own report, amounts in 万元."""

    period: Period
    status: str  # the period's data status label, "" when the period has none yet
    counted: bool  # 已审核 / 已锁定
    output_month: Decimal | None
    output_ytd: Decimal | None
    output_growth: Decimal | None  # comparable: its own 1-本月 over its own 上年同期, %
    revenue_ytd: Decimal | None
    revenue_growth: Decimal | None
    profit_ytd: Decimal | None
    profit_ytd_ly: Decimal | None
    employees: Decimal | None


def _growth(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    if current is None or base is None:
        return None
    return formulas.comparable_growth_pct([formulas.Part(current, base)])


def own_reports(*, enterprise: Enterprise) -> list[OwnRow]:
    """Every month the enterprise reported, oldest first, with its own growth and the status
    of the period (the park's slice of enterprise reports)."""
    reports = list(EnterpriseReport.objects.filter(enterprise=enterprise).order_by("year", "month"))
    statuses = {
        (s.park_id, s.year, s.month): s.status
        for s in DataSlice.objects.filter(
            kind=selectors.REPORT_KIND, park_id__in={r.park_id for r in reports}
        )
    }
    rows = []
    for r in reports:
        unit = r.unit

        def w(v: Decimal | None, unit: str = unit) -> Decimal | None:
            return selectors.to_wan(v, unit)

        status = statuses.get((r.park_id, r.year, r.month), "")
        output, output_ly = w(r.output_ytd), w(r.output_ytd_ly)
        revenue, revenue_ly = w(r.revenue_ytd), w(r.revenue_ytd_ly)
        rows.append(
            OwnRow(
                period=Period(r.year, r.month),
                status=STATUS_LABELS.get(status, ""),
                counted=status in (DataStatus.REVIEWED, DataStatus.LOCKED),
                output_month=w(r.output_month),
                output_ytd=output,
                output_growth=_growth(output, output_ly),
                revenue_ytd=revenue,
                revenue_growth=_growth(revenue, revenue_ly),
                profit_ytd=w(r.profit_ytd),
                profit_ytd_ly=w(r.profit_ytd_ly),
                employees=r.employees,
            )
        )
    return rows


def own_submissions(*, user: User) -> QuerySet[ImportRecord]:
    """The user's own uploads (the import log in its scope), newest first."""
    return import_list_for(user=user).order_by("-created_at", "-id")


@dataclass
class OwnMuJun:
    year: int
    month: int
    grade: str | None

    @property
    def label(self) -> str:
        return MU_JUN_CLASS_NAMES.get(self.grade or "", "未评价")


def own_mu_jun_class(*, enterprise: Enterprise) -> OwnMuJun | None:
    """The enterprise's 亩均 class at the park's latest counted period — the class only:
    the park's evaluation is computed (benchmarks = the park's medians) and everything but
    this enterprise's letter is dropped here."""
    latest = selectors.latest_period(park=enterprise.park)
    if latest is None:
        return None
    rows, _benchmarks = selectors.mu_jun_evaluation(
        park=enterprise.park, year=latest.year, month=latest.month
    )
    grade = next((r.grade for r in rows if r.credit_code == enterprise.credit_code), None)
    return OwnMuJun(latest.year, latest.month, grade)
