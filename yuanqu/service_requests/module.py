"""企业诉求 and 惠企政策兑现: the module's declaration (yuanqu.core.modules).

The 营商办 holds the write area `service`; enterprise users get their own entry (their
requests and benefits, `enterprise=True`), staff the request desk.
"""

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
    key="service",
    label="企业诉求",
    write_area="service",
    write_label="企业诉求受理办理与惠企政策兑现",
    nav=(
        NavEntry("企业诉求", "service_requests:desk", 60, permission="yuanqu.read_park"),
        NavEntry(
            "我的诉求与政策", "service_requests:mine", 2, permission="mine.view", enterprise=True
        ),
    ),
    urls="yuanqu.service_requests.urls",
    url_prefix="service/",
    api_router=ApiRouter("/service", "yuanqu.service_requests.api:router"),
    importers=("yuanqu.service_requests.importers",),
    exporters=(
        ExportKind(
            "service-requests", "企业诉求台账", "yuanqu.service_requests.exporters:export_requests"
        ),
        ExportKind(
            "benefits", "惠企政策兑现台账", "yuanqu.service_requests.exporters:export_benefits"
        ),
    ),
    demo_parts=(DemoPart("service", "1", "yuanqu.service_requests.demo:load_service", 60),),
    report_sections=("yuanqu.service_requests.report_sections",),
    cockpit_cards=(
        CockpitCard(
            "service-requests",
            "企业诉求按期办结率",
            "yuanqu.service_requests.cockpit:requests_card",
            40,
        ),
    ),
    supervision_rules=(
        SupervisionRule(
            "request-overdue",
            "企业诉求逾期未办结",
            "yuanqu.service_requests.supervision:overdue_requests",
        ),
    ),
    departments=(("YSB", "营商办"),),
    enterprise_panels=(
        EnterprisePanel(
            "service",
            "企业诉求与惠企政策",
            "yuanqu.service_requests.views:enterprise_panel",
            "service_requests/_panel_enterprise.html",
            40,
        ),
    ),
)
