"""用户与权限: the accounts app's declaration (yuanqu.core.modules). It defines no write area;
its one navigation entry is the API 令牌 page, for every signed-in user (enterprise users
included: a token acts as its owner, within the owner's scope). Its pages are mounted by
config/urls.py under accounts/ with the login and logout pages."""

from yuanqu.core.modules import ModuleSpec, NavEntry

MODULE = ModuleSpec(
    key="accounts",
    label="用户与权限",
    nav=(NavEntry("API 令牌", "api_tokens", 97, enterprise=True),),
)
