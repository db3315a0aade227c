"""Writes to the registry. Importers, the demo generator and the admin all come through here."""

from __future__ import annotations

from yuanqu.core.divisions import PROVINCES
from yuanqu.registry.models import Park, Region

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
