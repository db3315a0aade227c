from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str


class ParkOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    park_type: str
    park_type_label: str
    province: str
    city_county: str
    approval_date: str
    approved_area_ha: Decimal | None
    leading_industries: str
    region: RegionOut | None
    enterprise_count: int | None = None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_park_type_label(obj) -> str:
        return obj.get_park_type_display()


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    park: str
    cluster: str | None
    industry_code: str
    land_area_mu: Decimal | None
    established_on: dt.date | None
    status: str

    @staticmethod
    def resolve_park(obj) -> str:
        return obj.park.code

    @staticmethod
    def resolve_cluster(obj) -> str | None:
        return obj.cluster.name if obj.cluster_id else None
