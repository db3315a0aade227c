"""土地: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import (
    ApiRouter,
    CockpitCard,
    DemoPart,
    EnterprisePanel,
    ExportKind,
    ModuleSpec,
    NavEntry,
    SupervisionRule,
)

MODULE = ModuleSpec(
    key="land",
    label="土地",
    write_area="land",
    write_label="土地收储、征收、供应（出让）与宗地环节",
    nav=(NavEntry("土地", "land:index", 36, permission="yuanqu.read_park"),),
    urls="yuanqu.land.urls",
    url_prefix="land/",
    api_router=ApiRouter("/land", "yuanqu.land.api:router"),
    importers=("yuanqu.land.importers",),
    exporters=(
        ExportKind("parcels", "宗地台账", "yuanqu.land.exporters:export_parcels"),
        ExportKind("parcel-events", "宗地环节", "yuanqu.land.exporters:export_events"),
    ),
    report_sections=("yuanqu.land.report_sections",),
    demo_parts=(DemoPart("land", "2", "yuanqu.land.demo:load_land", 45),),
    cockpit_cards=(
        CockpitCard(
            "land-available", "成熟可供用地与闲置土地", "yuanqu.land.cockpit:land_card", 40
        ),
    ),
    supervision_rules=(
        SupervisionRule("land-idle", "闲置土地", "yuanqu.land.supervision:idle_land"),
    ),
    enterprise_panels=(
        EnterprisePanel(
            "parcels", "用地", "yuanqu.land.views:parcels_panel", "land/_panel_parcels.html", 20
        ),
    ),
    land_area="yuanqu.land.selectors:land_area_by_enterprise",
    departments=(("GHJSJ", "规划建设局"),),
)
