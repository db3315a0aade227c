"""Writes to the registry. Importers, the demo generator and the admin all come through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from yuanqu.audit.services import audit_event
from yuanqu.core.divisions import PROVINCES
from yuanqu.core.summaries import Change, notify
from yuanqu.core.uscc import USCCError, validate_uscc
from yuanqu.registry.models import Department, Enterprise, IndustryCluster, Park, Region

if TYPE_CHECKING:
    from yuanqu.accounts.models import AuthUser

# The catalogue publishes 批准级别 and 开发区类型 in its own words; these map them to ours.
LEVEL_MAP = {
    "国务院": Park.Level.NATIONAL,
    "国家级": Park.Level.NATIONAL,
    "省政府": Park.Level.PROVINCIAL,
    "省级": Park.Level.PROVINCIAL,
    "市级": Park.Level.CITY,
    "市政府": Park.Level.CITY,
    "县级": Park.Level.COUNTY,
}
TYPE_MAP = {
    "经济技术开发区": Park.ParkType.ETDZ,
    "经开区": Park.ParkType.ETDZ,
    "高新技术产业开发区": Park.ParkType.HTZ,
    "高新区": Park.ParkType.HTZ,
    "海关特殊监管区域": Park.ParkType.CUSTOMS,
    "边境/跨境经济合作区": Park.ParkType.BORDER,
    "边境经济合作区": Park.ParkType.BORDER,
    "跨境经济合作区": Park.ParkType.BORDER,
    "工业园区": Park.ParkType.INDUSTRIAL,
    "其他类型开发区": Park.ParkType.OTHER,
    "其他": Park.ParkType.OTHER,
}


def map_level(text: str) -> str | None:
    return LEVEL_MAP.get(text.strip()) if text else ""


def map_park_type(text: str) -> str | None:
    return TYPE_MAP.get(text.strip()) if text else ""


def province_region(*, province: str) -> Region | None:
    """The province-level region for a province name, created on first use."""
    if not province:
        return None
    code = PROVINCES.get(province.strip())
    if code is None:
        return None
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": province.strip(), "level": Region.Level.PROVINCE, "division_code": code},
    )
    return region


# -- enterprises ---------------------------------------------------------------------------
# The one place an enterprise is created or changed: the enterprise importer, the unknown
# codes an enterprise-report import registers, the demo and the admin all call these, so a
# rule about enterprises (the USCC check, the audit entry) is written once.

ENTERPRISE_FIELDS = ("name", "park", "cluster", "industry_code", "land_area_mu", "established_on")


def _checked_code(credit_code: str) -> str:
    try:
        return validate_uscc(credit_code)
    except USCCError as exc:
        raise ValidationError(str(exc)) from exc


def enterprise_create(
    *,
    credit_code: str,
    name: str,
    park: Park,
    user: AuthUser | None = None,
    cluster: IndustryCluster | None = None,
    industry_code: str = "",
    land_area_mu: Decimal | None = None,
    established_on: dt.date | None = None,
    status: str = Enterprise.Status.OPERATING,
) -> Enterprise:
    """Register one enterprise (统一社会信用代码 validated, unique), with an audit entry."""
    enterprise = Enterprise(
        credit_code=_checked_code(credit_code),
        name=name.strip(),
        park=park,
        cluster=cluster,
        industry_code=industry_code,
        land_area_mu=land_area_mu,
        established_on=established_on,
        status=status,
    )
    enterprise.full_clean()
    enterprise.save()
    audit_event(
        user=user, event="write", target=enterprise, park=park, detail={"action": "新增企业"}
    )
    return enterprise


def enterprise_update(
    *, enterprise: Enterprise, user: AuthUser | None = None, **values: Any
) -> Enterprise:
    """Change an enterprise's fields (not its 统一社会信用代码, the key everything joins on);
    the audit entry carries {field: [before, after]}."""
    unknown = set(values) - set(ENTERPRISE_FIELDS) - {"status"}
    if unknown:
        raise ValueError(f"企业没有这些可修改的字段：{'、'.join(sorted(unknown))}")
    changes = {
        k: [str(getattr(enterprise, k)), str(v)]
        for k, v in values.items()
        if getattr(enterprise, k) != v
    }
    if not changes:
        return enterprise
    for k, v in values.items():
        setattr(enterprise, k, v)
    enterprise.full_clean()
    enterprise.save(update_fields=list(values))
    if {"cluster", "park"} & set(changes):
        _summed_enterprises_moved([enterprise.pk])
    audit_event(
        user=user,
        event="write",
        target=enterprise,
        park=enterprise.park,
        detail={"action": "修改企业"},
        changes=changes,
    )
    return enterprise


def enterprises_create_many(
    *, rows: Iterable[Mapping[str, Any]], batch_size: int = 1000
) -> list[Enterprise]:
    """Register many enterprises at once (imports, the demo): one INSERT per batch. The
    callers have validated every 统一社会信用代码 and report the new ones in their own
    record (the import's change table, the demo part), so no entry per row here."""
    made = [Enterprise(**dict(row)) for row in rows]
    for e in made:
        if not e.name:
            raise ValidationError(f"企业“{e.credit_code}”没有名称")
    return Enterprise.objects.bulk_create(made, batch_size=batch_size)


def enterprises_update_many(
    *, changes: Iterable[tuple[Enterprise, Mapping[str, Any]]], batch_size: int = 500
) -> int:
    """Apply {field: value} to many enterprises (the enterprise importer's changed rows)."""
    objs: list[Enterprise] = []
    names: set[str] = set()
    moved: list[int] = []
    for enterprise, values in changes:
        unknown = set(values) - set(ENTERPRISE_FIELDS) - {"status"}
        if unknown:
            raise ValueError(f"企业没有这些可修改的字段：{'、'.join(sorted(unknown))}")
        before = (enterprise.cluster_id, enterprise.park_id)
        for k, v in values.items():
            setattr(enterprise, k, v)
        if (enterprise.cluster_id, enterprise.park_id) != before:
            moved.append(enterprise.pk)
        names.update(values)
        objs.append(enterprise)
    if objs:
        Enterprise.objects.bulk_update(objs, sorted(names), batch_size=batch_size)
    _summed_enterprises_moved(moved)
    return len(objs)


def _summed_enterprises_moved(enterprise_ids: list[int]) -> None:
    """Enterprises changed cluster or park: the summaries grouping their reports follow."""
    if enterprise_ids:
        notify(
            Change(kind="enterprises", event="registry", enterprise_ids=frozenset(enterprise_ids))
        )


# -- departments ---------------------------------------------------------------------------


def department_set_modules(
    *, department: Department, modules: Iterable[str], user: AuthUser | None = None
) -> Department:
    """Give a department its write areas (module keys). Only areas a module declares, plus
    those it already holds (a module uninstalled keeps its stored grant), are accepted."""
    from yuanqu.core.modules import write_areas

    wanted = list(dict.fromkeys(modules))
    allowed = set(write_areas()) | set(department.modules or [])
    unknown = [m for m in wanted if m not in allowed]
    if unknown:
        raise ValidationError(f"未知的业务模块：{'、'.join(unknown)}")
    before = list(department.modules or [])
    if before == wanted:
        return department
    department.modules = wanted
    department.save(update_fields=["modules"])
    audit_event(
        user=user,
        event="write",
        target=department,
        park=department.park,
        detail={"action": "设置部门负责的业务模块"},
        changes={"modules": [before, wanted]},
    )
    return department


def department_create(
    *,
    park: Park,
    code: str,
    name: str,
    parent: Department | None = None,
    modules: Iterable[str] = (),
) -> Department:
    """A park's department, with the write areas it administers. Areas are stored as given:
    a park may be seeded with the area of a module installed later (a department's grant is
    data, read by accounts.policy when the module declares the area)."""
    department = Department(
        park=park, code=code, name=name, parent=parent, modules=list(dict.fromkeys(modules))
    )
    department.full_clean()
    department.save()  # django-auditlog follows Department: the new row is logged there
    return department
