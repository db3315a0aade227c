"""招商引资: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import DemoPart, ModuleSpec

MODULE = ModuleSpec(
    key="investment",
    label="招商引资",
    write_area="investment",
    write_label="招商项目、阶段记录与到位资金",
    importers=("yuanqu.investment.importers",),
    report_sections=("yuanqu.investment.report_sections",),
    demo_parts=(DemoPart("investment", "1", "yuanqu.investment.demo:load_investment", 46),),
    departments=(("ZSJ", "招商局"),),
)
