"""审计日志: the module's declaration (yuanqu.core.modules). It writes nothing of its own, so it
defines no write area; its page is for administrators and park leaders."""

from yuanqu.core.modules import ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="audit",
    label="审计日志",
    nav=(NavEntry("审计日志", "audit:index", 96, permission="yuanqu.view_audit"),),
    urls="yuanqu.audit.urls",
    url_prefix="audit/",
)
