"""报告: the module's declaration (yuanqu.core.modules)."""

from datetime import timedelta

from yuanqu.core.modules import ApiRouter, ModuleSpec, NavEntry, PeriodicCommand, ReportKind

MODULE = ModuleSpec(
    key="reports",
    label="报告",
    write_area="reports",
    write_label="报告模板与人工撰写内容",
    nav=(NavEntry("报告", "reports:index", 90),),
    urls="yuanqu.reports.urls",
    url_prefix="reports/",
    api_router=ApiRouter("/reports", "yuanqu.reports.api:router"),
    report_sections=("yuanqu.reports.sections",),
    report_kinds=(ReportKind("annual", "年度工作总结"), ReportKind("monthly", "月度经济运行分析")),
    departments=(("DZB", "党政办"),),
    periodic_commands=(
        PeriodicCommand(
            "report-files",
            "清理 7 天前由后台生成的报告文件",
            ("report-files", "--days", "7"),
            timedelta(days=1),
        ),
    ),
)
