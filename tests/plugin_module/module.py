"""碳排放: the module's declaration (yuanqu.core.modules) — everything the platform needs."""

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
    key="carbon",
    label="碳排放",
    write_area="carbon",
    write_label="碳排放数据",
    nav=(NavEntry("碳排放", "carbon:index", 60, permission="yuanqu.read_park"),),
    urls="tests.plugin_module.urls",
    url_prefix="carbon/",
    api_router=ApiRouter("/carbon", "tests.plugin_module.api:router"),
    importers=("tests.plugin_module.importers",),
    exporters=(
        ExportKind("carbon-emissions", "企业碳排放", "tests.plugin_module.exporters:export"),
    ),
    data_kinds=(DataKind("carbon-emissions", "企业碳排放", reviewed_by="carbon"),),
    demo_parts=(DemoPart("carbon", "1", "tests.plugin_module.demo:load_carbon", 90),),
    report_sections=("tests.plugin_module.report_sections",),
    cockpit_cards=(
        CockpitCard("carbon-watched", "碳排放重点监测企业", "tests.plugin_module.cockpit:card", 50),
    ),
    supervision_rules=(
        SupervisionRule(
            "carbon-over", "碳排放超过配额", "tests.plugin_module.supervision:over_quota"
        ),
    ),
    departments=(("STJ", "生态环境局"),),
)
