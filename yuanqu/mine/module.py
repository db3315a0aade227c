"""本企业 (an enterprise user's own pages): the module's declaration (yuanqu.core.modules).

Only enterprise users see the entry (`enterprise=True`, permission `mine.view`); its pages
show the user's own enterprise and nothing park-wide (DECISIONS.md, "Access").
"""

from yuanqu.core.modules import ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="mine",
    label="本企业",
    nav=(NavEntry("本企业", "mine:index", 1, permission="mine.view", enterprise=True),),
    urls="yuanqu.mine.urls",
    url_prefix="mine/",
)
