"""招商引资: the module's declaration (yuanqu.core.modules). Its URLconf is mounted at the site
root: it owns /investment/… and the enterprise page /enterprises/<id>/ (一企一档), whose
panels every module declares (`enterprise_panels`)."""

from yuanqu.core.modules import (
    ApiRouter,
    CockpitCard,
    DemoPart,
    EnterprisePanel,
    ExportKind,
    ModuleSpec,
    NavEntry,
)

MODULE = ModuleSpec(
    key="investment",
    label="招商引资",
    write_area="investment",
    write_label="招商项目、阶段记录与到位资金",
    nav=(NavEntry("招商引资", "investment:index", 34, permission="yuanqu.read_park"),),
    urls="yuanqu.investment.urls",
    url_prefix="",
    api_router=ApiRouter("/investment", "yuanqu.investment.api:router"),
    importers=("yuanqu.investment.importers",),
    exporters=(
        ExportKind("leads", "招商项目", "yuanqu.investment.exporters:export_leads"),
        ExportKind(
            "investment-funds", "招商项目到位资金", "yuanqu.investment.exporters:export_funds"
        ),
    ),
    report_sections=("yuanqu.investment.report_sections",),
    demo_parts=(DemoPart("investment", "1", "yuanqu.investment.demo:load_investment", 46),),
    cockpit_cards=(
        CockpitCard(
            "investment-signings", "签约招商项目", "yuanqu.investment.cockpit:signings_card", 30
        ),
    ),
    enterprise_panels=(
        EnterprisePanel(
            "lifecycle",
            "全生命周期（招商 → 供地 → 项目 → 投产 → 规上 → 产值）",
            "yuanqu.investment.views:lifecycle_panel",
            "investment/_panel_lifecycle.html",
            10,
        ),
    ),
    departments=(("ZSJ", "招商局"),),
)
