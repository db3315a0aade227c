"""经济运行: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import DataKind, DemoPart, ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="economy",
    label="经济运行",
    write_area="economy",
    write_label="经济运行数据（企业名录、规上名单、企业报表、园区指标、目标）、审核与锁定",
    nav=(NavEntry("经济运行", "economy:index", 20),),
    importers=("yuanqu.economy.importers",),
    data_kinds=(
        DataKind("enterprise-reports", "企业月度报表", reviewed_by="economy"),
        DataKind("park-indicators", "园区指标（部门发布数）", reviewed_by="economy"),
    ),
    demo_parts=(DemoPart("economy", "1", "yuanqu.demo.economy:load_economy", 30),),
    departments=(("JFJ", "经发局"),),
)
