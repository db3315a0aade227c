"""Small builders for economy tests: a park in a region, enterprises with valid codes, files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from yuanqu.core.uscc import make_uscc
from yuanqu.registry.models import Enterprise, IndustryCluster, Park, Region


def uscc(n: int) -> str:
    return make_uscc(f"91350100MA{n:07d}")


def make_park(code: str = "TP", name: str = "测试园区", region: Region | None = None) -> Park:
    region = (
        region
        or Region.objects.get_or_create(
            code="TEST-CITY", defaults={"name": "测试市", "level": "city"}
        )[0]
    )
    return Park.objects.create(code=code, name=name, region=region)


def make_enterprise(park: Park, n: int, name: str, cluster: str = "") -> Enterprise:
    c = IndustryCluster.objects.get_or_create(park=park, name=cluster)[0] if cluster else None
    return Enterprise.objects.create(credit_code=uscc(n), name=name, park=park, cluster=c)


def write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[list],
    *,
    unit_line: str | None = None,
    title: str | None = None,
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    if unit_line:
        ws.append([unit_line])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
