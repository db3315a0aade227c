"""园区与企业名录: the module's declaration (yuanqu.core.modules).

The registry defines no write area of its own: enterprises and the 规上 list are written by
the economy area (经发局); the park catalogue by administrators only.
"""

from yuanqu.core.modules import ApiRouter, DemoPart, ExportKind, ModuleSpec

MODULE = ModuleSpec(
    key="registry",
    label="园区与企业名录",
    api_router=ApiRouter("/", "yuanqu.registry.api:router"),
    importers=("yuanqu.registry.importers",),
    # The functions live with the other exports (one scoping helper for all of them).
    exporters=(
        ExportKind("parks", "园区名录", "yuanqu.imports.exporters:export_parks"),
        ExportKind("enterprises", "企业名录", "yuanqu.imports.exporters:export_enterprises"),
        ExportKind("enterprise-scale", "规上企业名单", "yuanqu.imports.exporters:export_scale"),
    ),
    demo_parts=(
        DemoPart("registry", "1", "yuanqu.demo.registry:load_registry", 10),
        DemoPart("users", "1", "yuanqu.demo.users:load_users", 20),
    ),
)
