"""数据导入: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import ApiRouter, ExportKind, ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="imports",
    label="数据导入",
    nav=(
        NavEntry("数据导入", "imports:index", 95, enterprise=True),
        # Everyone who reads the park sees each period's status and who may review it.
        NavEntry("数据审核", "imports:review", 94, permission="yuanqu.read_park"),
    ),
    urls="yuanqu.imports.urls",
    url_prefix="imports/",
    api_router=ApiRouter("/", "yuanqu.imports.api:router"),
    exporters=(ExportKind("import-log", "导入记录", "yuanqu.imports.exporters:export_import_log"),),
)
