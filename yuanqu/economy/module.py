"""经济运行: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import (
    ApiRouter,
    CockpitCard,
    DataKind,
    DemoPart,
    ExportKind,
    ModuleSpec,
    NavEntry,
)
from yuanqu.core.summaries import SummarySpec

MODULE = ModuleSpec(
    key="economy",
    label="经济运行",
    write_area="economy",
    write_label="经济运行数据（企业名录、规上名单、企业报表、园区指标、目标）、审核与锁定",
    nav=(NavEntry("经济运行", "economy:index", 20),),
    urls="yuanqu.economy.urls",
    url_prefix="economy/",
    api_router=ApiRouter("/economy", "yuanqu.economy.api:router"),
    importers=("yuanqu.economy.importers",),
    exporters=(
        ExportKind("enterprise-reports", "企业月度报表", "yuanqu.imports.exporters:export_reports"),
        ExportKind(
            "park-indicators", "园区指标", "yuanqu.imports.exporters:export_park_indicators"
        ),
        ExportKind("targets", "年度目标", "yuanqu.imports.exporters:export_targets"),
        ExportKind(
            "enterprise-summary",
            "规上工业企业主要指标汇总表",
            "yuanqu.imports.exporters:export_summary",
        ),
    ),
    data_kinds=(
        DataKind("enterprise-reports", "企业月度报表", reviewed_by="economy"),
        DataKind("park-indicators", "园区指标（部门发布数）", reviewed_by="economy"),
    ),
    demo_parts=(DemoPart("economy", "1", "yuanqu.demo.economy:load_economy", 30),),
    cockpit_cards=(
        CockpitCard("economy-kpis", "主要经济指标", "yuanqu.economy.cockpit:kpi_cards", 10),
        CockpitCard("economy-reporting", "企业报送率", "yuanqu.economy.cockpit:reporting_card", 12),
        CockpitCard("economy-trend", "逐月对比", "yuanqu.economy.cockpit:trend_card", 14),
        CockpitCard("economy-clusters", "集群拉动", "yuanqu.economy.cockpit:clusters_card", 16),
    ),
    departments=(("JFJ", "经发局"),),
    summaries=(
        SummarySpec(
            key="economy",
            label="经济指标汇总（园区、产业集群）与报送率",
            kinds=("enterprise-reports", "enterprises", "enterprise-scale", "clusters"),
            refresh="yuanqu.economy.summaries:refresh",
            rebuild="yuanqu.economy.summaries:rebuild",
            check="yuanqu.economy.summaries:check",
        ),
    ),
)
