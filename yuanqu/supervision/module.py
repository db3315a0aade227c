"""督查督办: the module's declaration (yuanqu.core.modules).

The 督查室 (党政办) holds the write area `supervision`. `yuanqu supervise` runs every ten
minutes beside the demo and from cron in a deployment: it raises and clears the automatic
tasks of every module's `supervision_rules` and sends the reminders.
"""

from datetime import timedelta

from yuanqu.core.modules import (
    ApiRouter,
    CockpitCard,
    DemoPart,
    EnterprisePanel,
    ExportKind,
    ModuleSpec,
    NavEntry,
    PeriodicCommand,
    SupervisionRule,
)

MODULE = ModuleSpec(
    key="supervision",
    label="督查督办",
    write_area="supervision",
    write_label="督查督办事项的交办、调整时限与销号",
    nav=(
        NavEntry("督查督办", "supervision:board", 62, permission="yuanqu.read_park"),
        NavEntry(
            "提醒",
            "supervision:notifications",
            96,
            enterprise=True,
            badge="yuanqu.supervision.selectors:unread_count",
        ),
    ),
    urls="yuanqu.supervision.urls",
    url_prefix="supervision/",
    api_router=ApiRouter("/supervision", "yuanqu.supervision.api:router"),
    importers=("yuanqu.supervision.importers",),
    exporters=(
        ExportKind(
            "supervision-tasks", "督查督办台账", "yuanqu.supervision.exporters:export_tasks"
        ),
    ),
    demo_parts=(DemoPart("supervision", "1", "yuanqu.supervision.demo:load_supervision", 62),),
    report_sections=("yuanqu.supervision.report_sections",),
    cockpit_cards=(
        CockpitCard(
            "supervision-lights", "督办事项红黄灯", "yuanqu.supervision.cockpit:lights_card", 42
        ),
    ),
    supervision_rules=(
        SupervisionRule(
            "indicator-behind",
            "园区指标慢于序时进度",
            "yuanqu.supervision.rules:indicators_behind",
        ),
        SupervisionRule(
            "reporting-incomplete",
            "报送期限已过，报送率未达100%",
            "yuanqu.supervision.rules:reporting_incomplete",
        ),
    ),
    periodic_commands=(
        PeriodicCommand(
            "supervise", "督办检查（自动督办事项与提醒）", ("supervise",), timedelta(minutes=10)
        ),
    ),
    departments=(("DZB", "党政办"),),
    enterprise_panels=(
        EnterprisePanel(
            "supervision",
            "督查督办",
            "yuanqu.supervision.views:enterprise_panel",
            "supervision/_panel_enterprise.html",
            50,
        ),
    ),
)
