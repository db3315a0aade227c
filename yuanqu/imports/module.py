"""数据导入: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="imports",
    label="数据导入",
    nav=(NavEntry("数据导入", "imports:index", 95, enterprise=True),),
)
