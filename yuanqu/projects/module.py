"""重点项目: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import DataKind, DemoPart, ModuleSpec

MODULE = ModuleSpec(
    key="projects",
    label="重点项目",
    write_area="projects",
    write_label="重点项目、年度计划与月度调度",
    importers=("yuanqu.projects.importers",),
    data_kinds=(DataKind("project-progress", "项目月度调度", reviewed_by="projects"),),
    demo_parts=(DemoPart("projects", "1", "yuanqu.projects.demo:load_projects", 40),),
    report_sections=("yuanqu.projects.report_sections",),
    departments=(("XMB", "项目办"),),
)
