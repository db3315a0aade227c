"""Demo data of 土地 (DECISIONS.md: module demo data cover 2022 and 2023, targets 2022–2024).

DEMO 2022 has the speech's (五) shape: 326.8亩 newly reserved (three agreements signed in
2022), 244.5亩 under expropriation at year end, about 278亩 of unsold 净地, five parcels with
their sale dossiers in 2022 of which four sold (274.78亩, 6,670万元) — one entered in 公顷. (The
reference speech says “其中3宗已出让”: the demo sells four, so a count written as a literal shows.)
The sold parcels are linked to the enterprises and key projects built on them (the projects
demo's XM0007 and XM0012; earlier sales for XM0003 and XM0006). A parcel sold in 2021 and not
started is 闲置 from 2023-06-30. DEMO2–DEMO4 get a few parcels. Fixed figures, no "today".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from yuanqu.economy.models import Indicator, Target
from yuanqu.land import services
from yuanqu.projects.models import Project
from yuanqu.projects.services import project_upsert
from yuanqu.registry.models import Enterprise, Park

d = dt.date
# code, name, area, unit, use, events [(status, date)], sale (method, price 万元, start
# contracted) or None, key project code whose enterprise bought it (or None)
DEMO_PARCELS = (
    (
        "GY2020-01",
        "新型建材产业园地块",
        "90",
        "mu",
        [
            ("reserved", d(2020, 3, 2)),
            ("dossier", d(2020, 5, 8)),
            ("sold", d(2020, 9, 15)),
            ("handed_over", d(2020, 11, 2)),
            ("started", d(2021, 3, 1)),
        ],
        ("listing", "1620", d(2021, 3, 1)),
        "XM0006",
    ),
    (
        "GY2021-01",
        "半导体封装测试基地地块",
        "12.6",
        "ha",
        [
            ("reserved", d(2021, 5, 10)),
            ("dossier", d(2021, 8, 2)),
            ("sold", d(2021, 11, 26)),
            ("handed_over", d(2022, 1, 20)),
            ("started", d(2022, 4, 8)),
        ],
        ("listing", "4536", d(2022, 4, 1)),
        "XM0003",
    ),
    (
        "GY2021-02",
        "纬五路北侧工业地块",
        "36.8",
        "mu",
        [
            ("reserved", d(2021, 4, 1)),
            ("dossier", d(2021, 9, 1)),
            ("sold", d(2021, 12, 20)),
            ("handed_over", d(2022, 3, 1)),
        ],
        ("listing", "772.8", d(2022, 6, 30)),
        None,
    ),
    (
        "GY2022-02",
        "电子元器件产业园二期地块",
        "4.2",
        "ha",
        [
            ("reserved", d(2021, 10, 8)),
            ("dossier", d(2022, 1, 25)),
            ("sold", d(2022, 3, 28)),
            ("handed_over", d(2022, 4, 20)),
            ("started", d(2022, 5, 6)),
        ],
        ("listing", "1512", d(2022, 5, 1)),
        "XM0007",
    ),
    (
        "GY2022-03",
        "机械装备再制造项目地块",
        "45.5",
        "mu",
        [
            ("reserved", d(2021, 11, 2)),
            ("dossier", d(2022, 2, 20)),
            ("sold", d(2022, 4, 26)),
            ("handed_over", d(2022, 6, 10)),
            ("started", d(2022, 7, 1)),
        ],
        ("auction", "1001", d(2022, 7, 1)),
        "XM0012",
    ),
    (
        "GY2022-05",
        "新能源汽车精密结构件项目地块",
        "112.68",
        "mu",
        [
            ("agreement", d(2021, 6, 1)),
            ("reserved", d(2022, 2, 15)),
            ("dossier", d(2022, 8, 15)),
            ("sold", d(2022, 11, 18)),
            ("handed_over", d(2023, 1, 10)),
            ("started", d(2023, 4, 10)),
        ],
        ("listing", "2817", d(2023, 3, 1)),
        None,
    ),
    (
        "GY2022-04",
        "经二路东侧工业地块",
        "53.6",
        "mu",
        [
            ("reserved", d(2021, 12, 6)),
            ("dossier", d(2022, 10, 12)),
            ("listed", d(2022, 12, 5)),
            ("sold", d(2022, 12, 28)),
        ],
        ("listing", "1340", d(2023, 4, 1)),
        None,
    ),
    (
        "GY2022-11",
        "纬三路南侧工业地块",
        "38.4",
        "mu",
        [("reserved", d(2022, 4, 18)), ("dossier", d(2022, 12, 8))],
        None,
        None,
    ),
    (
        "GY2022-09",
        "园区东片区储备地块",
        "120.45",
        "mu",
        [
            ("agreement", d(2021, 9, 3)),
            ("expropriating", d(2021, 12, 1)),
            ("reserved", d(2022, 7, 20)),
        ],
        None,
        None,
    ),
    (
        "GY2022-10",
        "园区北片区储备地块",
        "65.2",
        "mu",
        [("agreement", d(2021, 10, 12)), ("reserved", d(2022, 11, 3))],
        None,
        None,
    ),
    (
        "GY2022-06",
        "园区南片区收储地块",
        "146.5",
        "mu",
        [
            ("agreement", d(2022, 3, 15)),
            ("expropriating", d(2022, 6, 1)),
            ("reserved", d(2023, 5, 10)),
        ],
        None,
        None,
    ),
    (
        "GY2022-07",
        "园区西片区收储地块",
        "98",
        "mu",
        [("agreement", d(2022, 5, 20)), ("expropriating", d(2022, 8, 10))],
        None,
        None,
    ),
    ("GY2022-08", "经四路西侧收储地块", "82.3", "mu", [("agreement", d(2022, 9, 26))], None, None),
    (
        "GY2023-01",
        "园区南片区二期收储地块",
        "7.5",
        "ha",
        [("agreement", d(2023, 4, 6)), ("expropriating", d(2023, 7, 1))],
        None,
        None,
    ),
)
OTHER_PARCELS = (
    (
        "DEMO2",
        "GY2022-01",
        "生物医药孵化器地块",
        "60",
        "mu",
        [("reserved", d(2021, 6, 1)), ("dossier", d(2022, 3, 1)), ("sold", d(2022, 6, 8))],
        ("listing", "1380", d(2022, 9, 1)),
    ),
    ("DEMO2", "GY2022-02", "高新区储备地块", "80", "mu", [("agreement", d(2022, 4, 1))], None),
    (
        "DEMO3",
        "GY2022-01",
        "临港物流地块",
        "8",
        "ha",
        [("reserved", d(2021, 3, 1)), ("dossier", d(2022, 5, 1)), ("sold", d(2022, 8, 18))],
        ("auction", "2520", d(2022, 12, 1)),
    ),
    ("DEMO4", "GY2023-01", "食品加工园地块", "42", "mu", [("agreement", d(2023, 3, 1))], None),
)
# park, year, 新增收储 target (亩)
TARGETS = (("DEMO", 2022, 300), ("DEMO", 2023, 200), ("DEMO", 2024, 200))


def _entrant(park: Park, cluster: str, year: int) -> Enterprise | None:
    """The first enterprise of `cluster` (by credit code) whose first 规上 year is `year`."""
    for e in Enterprise.objects.filter(park=park, cluster__name=cluster).order_by("credit_code"):
        first = e.scales.filter(is_above_scale=True).order_by("year").first()
        if first is not None and first.year == year:
            return e
    return None


def load_land() -> None:
    # The module indicators the targets hang on, as the migration seeds them (again after a
    # test's flush, which empties migration data).
    import_module("yuanqu.investment.migrations.0002_module_indicators").seed(apps, None)
    park = Park.objects.get(code="DEMO")
    # The 新型建材 plant (XM0006, in production since 2022-12) is the one whose whole chain the
    # lifecycle page shows: its owner is an enterprise that entered 规上 in 2023 (the demo
    # registry's annual entrants), so lead → parcel → project → 投产 → 规上 → output holds.
    entrant = _entrant(park, "新材料", 2023)
    if entrant is not None:
        project_upsert(park=park, code="XM0006", enterprise=entrant)
    projects = {p.code: p for p in Project.objects.filter(park=park)}
    for code, name, area, unit, events, sale, project_code in DEMO_PARCELS:
        _parcel(park, code, name, area, unit, events, sale, projects.get(project_code or ""))
    for park_code, code, name, area, unit, events, sale in OTHER_PARCELS:
        _parcel(Park.objects.get(code=park_code), code, name, area, unit, events, sale, None)
    indicator = Indicator.objects.get(code="land_reserved_area")
    for park_code, year, value in TARGETS:
        Target.objects.update_or_create(
            park=Park.objects.get(code=park_code),
            indicator=indicator,
            year=year,
            defaults={"value": Decimal(value), "note": "新增收储土地（亩）"},
        )


def _parcel(park, code, name, area, unit, events, sale, project) -> None:
    values = {
        "name": name,
        "location": f"{park.name}{name.replace('地块', '')}",
        "area": Decimal(area),
        "area_unit": unit,
        "use": "industrial",
        "land_source": "新增建设用地",
    }
    if sale is not None:
        method, price, start = sale
        sold = dict(events)["sold"]
        values.update(
            supply_method=method,
            price=Decimal(price),
            term_years=50,
            plot_ratio_min=Decimal("1.0"),
            plot_ratio_max=Decimal("2.0"),
            contract_signed_on=sold,
            handover_contracted=sold + dt.timedelta(days=60),
            start_contracted=start,
            completion_contracted=start.replace(year=start.year + 2),
            approved_by="示范市人民政府",
        )
    if project is not None:
        values["project"] = project
        if project.enterprise_id:
            values["enterprise"] = project.enterprise
            values["buyer_name"] = project.enterprise.name
    parcel = services.parcel_upsert(park=park, code=code, **values)
    for status, date in events:
        services.parcel_event_set(parcel=parcel, status=status, date=date)
