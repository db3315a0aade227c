"""Reads of 企业诉求 and 惠企政策兑现: the scoped lists, the metrics and the overdue list.

Pages, the API, `yuanqu service`, the exports and the report sections all read through these,
so they agree to the digit. Metrics are computed at an explicit date `at` (DECISIONS.md: the
period end in reports; `clock.today()` on pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from yuanqu.accounts.models import AuthUser, Role
from yuanqu.accounts.scopes import enterprise_filter, parks_for
from yuanqu.registry.models import Park
from yuanqu.service_requests import formulas
from yuanqu.service_requests.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    BenefitKind,
    BenefitPayment,
    RequestStatus,
    ServiceRequest,
)


# -- scoped lists ----------------------------------------------------------------------------
def requests_for(*, user: AuthUser) -> QuerySet[ServiceRequest]:
    """Requests the user may read: an enterprise user its own enterprise's; staff those of the
    parks they read (a 市级用户 its region's parks)."""
    qs = ServiceRequest.objects.filter(enterprise_filter(user, "enterprise__"))
    if getattr(user, "role", None) != Role.ENTERPRISE:
        qs = qs.filter(park__in=parks_for(user))
    return qs.select_related("park", "enterprise", "category", "department")


def benefits_for(*, user: AuthUser) -> QuerySet[BenefitPayment]:
    """Benefit payments the user may read (an enterprise user: its own only)."""
    qs = BenefitPayment.objects.filter(enterprise_filter(user, "enterprise__"))
    if getattr(user, "role", None) != Role.ENTERPRISE:
        qs = qs.filter(park__in=parks_for(user))
    return qs.select_related("park", "enterprise", "policy")


def request_for(*, user: AuthUser, pk: int) -> ServiceRequest | None:
    """One request if the user may read it (else None: 404, its existence not confirmed)."""
    return requests_for(user=user).filter(pk=pk).first()


# -- metrics ---------------------------------------------------------------------------------
@dataclass
class RequestStats:
    """Figures of a group of requests (all, a category, a department) for a period."""

    key: str
    label: str
    received: int = 0
    closed: int = 0
    returned: int = 0
    due: int = 0  # due in the period and already decided (on time + late)
    on_time: int = 0
    late: int = 0
    pending: int = 0  # due in the period, open, not yet past due at `at`
    open_overdue: int = 0  # of `late`: still open
    on_time_rate: Decimal | None = None
    median_days: Decimal | None = None
    rated: int = 0
    satisfaction_avg: Decimal | None = None
    satisfied_pct: Decimal | None = None
    _days: list[int] = field(default_factory=list, repr=False)
    _ratings: list[int] = field(default_factory=list, repr=False)

    def add(self, r: ServiceRequest, start: dt.date, end: dt.date, at: dt.date) -> None:
        done = r.status in DONE_STATUSES
        if start <= r.received_on <= end:
            self.received += 1
            if r.status == RequestStatus.RETURNED:
                self.returned += 1
        if done and r.closed_on is not None and start <= r.closed_on <= min(end, at):
            self.closed += 1
            self._days.append((r.closed_on - r.received_on).days)
            if r.satisfaction is not None:
                self._ratings.append(r.satisfaction)
        if r.status != RequestStatus.RETURNED and start <= r.due_on <= end:
            state = formulas.on_time_state(r.due_on, r.closed_on if done else None, at)
            if state == formulas.ON_TIME:
                self.on_time += 1
            elif state == formulas.LATE:
                self.late += 1
                if not done or r.closed_on is None or r.closed_on > at:
                    self.open_overdue += 1
            else:
                self.pending += 1

    def finish(self) -> RequestStats:
        self.due = self.on_time + self.late
        self.on_time_rate = formulas.rate_pct(self.on_time, self.due)
        self.median_days = formulas.median(self._days)
        self.rated = len(self._ratings)
        self.satisfaction_avg = formulas.mean(self._ratings)
        self.satisfied_pct = formulas.satisfied_pct(self._ratings)
        return self


@dataclass
class RequestMetrics:
    park: Park
    start: dt.date
    end: dt.date
    at: dt.date
    total: RequestStats
    by_category: list[RequestStats]
    by_department: list[RequestStats]
    overdue: list[ServiceRequest]
    open_count: int


def _grouped(
    rows: Iterable[ServiceRequest],
    key: Callable[[ServiceRequest], tuple[str, str]],
    start: dt.date,
    end: dt.date,
    at: dt.date,
) -> list[RequestStats]:
    groups: dict[str, RequestStats] = {}
    for r in rows:
        k, label = key(r)
        groups.setdefault(k, RequestStats(key=k, label=label)).add(r, start, end, at)
    return [g.finish() for g in groups.values()]


def request_metrics(
    *, park: Park, start: dt.date, end: dt.date, at: dt.date | None = None
) -> RequestMetrics:
    """The park's request figures for the period [start, end] seen at `at` (default: `end`).

    received: received in the period; closed: 办结 in the period (up to `at`); on-time rate:
    of the requests due in the period (returned ones aside), those closed by their due date,
    over those closed or past due at `at` (DECISIONS.md); median days from 受理 to 办结 of the
    requests closed in the period; satisfaction: the ratings of those requests (mean of 1–5,
    满意率 = share rated 4 or 5). By category and by department; the overdue list: open requests
    past their due date at `at`, any period.
    """
    at = at or end
    rows = list(
        ServiceRequest.objects.filter(park=park, received_on__lte=max(end, at))
        .select_related("category", "department", "enterprise")
        .order_by("due_on", "code")
    )
    total = RequestStats(key="all", label="合计")
    for r in rows:
        total.add(r, start, end, at)
    total.finish()
    by_category = sorted(
        _grouped(rows, lambda r: (r.category.code, r.category.name), start, end, at),
        key=lambda s: next((r.category.sort_order for r in rows if r.category.code == s.key), 0),
    )
    by_department = sorted(
        _grouped(
            rows,
            lambda r: (r.department.code, r.department.name) if r.department else ("", "未交办"),
            start,
            end,
            at,
        ),
        key=lambda s: (s.key == "", s.key),
    )
    overdue = [r for r in rows if open_at(r, at) and r.due_on < at]
    open_count = sum(1 for r in rows if open_at(r, at))
    return RequestMetrics(
        park, start, end, at, total, by_category, by_department, overdue, open_count
    )


def open_at(r: ServiceRequest, at: dt.date) -> bool:
    """Whether the request was being handled at date `at`: received by then and not closed by
    then (a request closed later was still open at `at`; a returned one is not open)."""
    if r.received_on > at:
        return False
    if r.status in OPEN_STATUSES:
        return True
    return r.status in DONE_STATUSES and r.closed_on is not None and r.closed_on > at


def overdue_requests(*, park: Park, at: dt.date) -> list[ServiceRequest]:
    """Requests of the park open at `at` and past their due date (the 督办 rule's causes)."""
    qs = (
        ServiceRequest.objects.filter(park=park, due_on__lt=at, received_on__lte=at)
        .filter(Q(status__in=OPEN_STATUSES) | Q(status__in=DONE_STATUSES, closed_on__gt=at))
        .select_related("enterprise", "category", "department")
        .order_by("due_on", "code")
    )
    return [r for r in qs if open_at(r, at)]


@dataclass
class BenefitGroup:
    key: str
    label: str
    amount: Decimal = Decimal(0)
    payments: int = 0
    enterprise_ids: set[int] = field(default_factory=set, repr=False)

    @property
    def enterprises(self) -> int:
        return len(self.enterprise_ids)


@dataclass
class BenefitMetrics:
    park: Park
    start: dt.date
    end: dt.date
    total: BenefitGroup
    by_policy: list[BenefitGroup]
    by_kind: list[BenefitGroup]


def benefit_metrics(*, park: Park, start: dt.date, end: dt.date) -> BenefitMetrics:
    """惠企政策兑现 in [start, end]: amount paid (万元, exact), payments and enterprises reached
    (distinct enterprises paid at least once), in all, by policy and by kind."""
    total = BenefitGroup("all", "合计")
    policies: dict[str, BenefitGroup] = {}
    kinds = {value: BenefitGroup(value, label) for value, label in BenefitKind.choices}
    qs = (
        BenefitPayment.objects.filter(park=park, paid_on__gte=start, paid_on__lte=end)
        .select_related("policy")
        .order_by("policy__code", "paid_on", "id")
    )
    for p in qs:
        for g in (
            total,
            policies.setdefault(p.policy.code, BenefitGroup(p.policy.code, p.policy.name)),
            kinds[p.kind],
        ):
            g.amount += p.amount
            g.payments += 1
            g.enterprise_ids.add(p.enterprise_id)
    return BenefitMetrics(
        park,
        start,
        end,
        total,
        list(policies.values()),
        [g for g in kinds.values() if g.payments],
    )


def year_bounds(year: int, month: int = 12) -> tuple[dt.date, dt.date]:
    """1 January to the end of `month` (12: the whole year; an as-of month otherwise)."""
    from calendar import monthrange

    return dt.date(year, 1, 1), dt.date(year, month, monthrange(year, month)[1])
