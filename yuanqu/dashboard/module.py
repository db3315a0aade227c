"""首页与驾驶舱: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="dashboard",
    label="首页",
    nav=(
        NavEntry("首页", "home", 0, enterprise=True),
        NavEntry("全市概览", "city", 5, permission="dashboard.city"),
        NavEntry("使用帮助", "help", 900, enterprise=True),
    ),
    urls="yuanqu.dashboard.urls",
    url_prefix="",
)
