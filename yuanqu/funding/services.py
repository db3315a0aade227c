"""Every write of 项目资金 (importers, the demo and the admin call these)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.funding.models import Fund, FundApplication, FundFlow
from yuanqu.registry.models import Park


def fund_upsert(*, park: Park, code: str, **values: Any) -> Fund:
    fund, created = Fund.objects.get_or_create(park=park, code=code, defaults=values)
    if not created and values:
        for k, v in values.items():
            setattr(fund, k, v)
        fund.save()
    return fund


def flow_upsert(
    *,
    fund: Fund,
    year: int,
    month: int,
    received: Decimal = Decimal(0),
    spent: Decimal = Decimal(0),
) -> FundFlow:
    """到位 and 支出 of a fund in a month (the month's amounts, 万元)."""
    flow, _ = FundFlow.objects.update_or_create(
        fund=fund, year=year, month=month, defaults={"received": received, "spent": spent}
    )
    return flow


def application_upsert(
    *,
    park: Park,
    project_name: str,
    fund_type: str,
    declared_year: int,
    target_year: int,
    amount: Decimal,
    project: Any = None,
) -> FundApplication:
    app, _ = FundApplication.objects.update_or_create(
        park=park,
        fund_type=fund_type,
        declared_year=declared_year,
        target_year=target_year,
        project_name=project_name,
        defaults={"amount": amount, "project": project},
    )
    return app
