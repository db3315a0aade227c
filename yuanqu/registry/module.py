"""园区与企业名录: the module's declaration (yuanqu.core.modules).

The registry defines no write area of its own: enterprises and the 规上 list are written by
the economy area (经发局); the park catalogue by administrators only.
"""

from yuanqu.core.modules import DemoPart, ModuleSpec

MODULE = ModuleSpec(
    key="registry",
    label="园区与企业名录",
    importers=("yuanqu.registry.importers",),
    demo_parts=(
        DemoPart("registry", "1", "yuanqu.demo.registry:load_registry", 10),
        DemoPart("users", "1", "yuanqu.demo.users:load_users", 20),
    ),
)
