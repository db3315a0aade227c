"""项目资金: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import ApiRouter, CockpitCard, ExportKind, ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="funding",
    label="项目资金",
    write_area="funding",
    write_label="项目资金（专项债、政策性开发性金融工具等）的申报、下达、到位与支出",
    nav=(NavEntry("项目资金", "funding:index", 32, permission="yuanqu.read_park"),),
    urls="yuanqu.funding.urls",
    url_prefix="funding/",
    api_router=ApiRouter("/funding", "yuanqu.funding.api:router"),
    importers=("yuanqu.funding.importers",),
    exporters=(
        ExportKind("funds", "项目资金台账", "yuanqu.funding.exporters:export_funds"),
        ExportKind("fund-flows", "资金到位与支出", "yuanqu.funding.exporters:export_fund_flows"),
        ExportKind(
            "fund-applications",
            "拟申报资金项目",
            "yuanqu.funding.exporters:export_fund_applications",
        ),
    ),
    cockpit_cards=(
        CockpitCard(
            "funding-received", "项目资金到位与支出", "yuanqu.funding.cockpit:funds_card", 22
        ),
    ),
    departments=(("CZJ", "财政局"),),
)
