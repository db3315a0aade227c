"""重点项目: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import (
    ApiRouter,
    CockpitCard,
    DataKind,
    DemoPart,
    ExportKind,
    ModuleSpec,
    NavEntry,
    SupervisionRule,
)

MODULE = ModuleSpec(
    key="projects",
    label="重点项目",
    write_area="projects",
    write_label="重点项目、年度计划与月度调度",
    nav=(
        NavEntry("重点项目", "projects:index", 30, permission="yuanqu.read_park"),
        # an owner enterprise reports its own projects' 调度 (its users only: mine.view)
        NavEntry("本企业项目", "projects:mine", 2, permission="mine.view", enterprise=True),
    ),
    urls="yuanqu.projects.urls",
    url_prefix="projects/",
    api_router=ApiRouter("/projects", "yuanqu.projects.api:router"),
    importers=("yuanqu.projects.importers",),
    exporters=(
        ExportKind(
            "project-progress", "重点项目月度调度表", "yuanqu.projects.exporters:export_progress"
        ),
        ExportKind("projects", "重点项目库", "yuanqu.projects.exporters:export_projects"),
    ),
    data_kinds=(
        DataKind(
            "project-progress", "项目月度调度", reviewed_by="projects", own_department_counts=True
        ),
    ),
    demo_parts=(DemoPart("projects", "2", "yuanqu.projects.demo:load_projects", 40),),
    report_sections=("yuanqu.projects.report_sections",),
    cockpit_cards=(
        CockpitCard(
            "projects-lights", "重点项目完成率与红黄灯", "yuanqu.projects.cockpit:lights_card", 20
        ),
    ),
    supervision_rules=(
        SupervisionRule(
            "project-red", "重点项目亮红灯", "yuanqu.projects.supervision:red_projects"
        ),
    ),
    departments=(("XMB", "项目办"),),
)
