"""The module registry: what each app declares about itself in its own `module.py`.

A module (经济运行, 重点项目, 招商引资 …) is one folder. Its `module.py` holds `MODULE =
ModuleSpec(...)`: the write area it defines (which departments may be given it), its
navigation entries, its pages' URLconf and its API Router, the modules holding its import kinds
and exporters, the data kinds that are reviewed and by whom, its demo parts, report sections and
kinds, cockpit cards, supervision rules and periodic commands. The platform (navigation, URLs,
the API, import page, `yuanqu demo`, `yuanqu review`, the report engine, the access policy, the
background worker) reads these declarations and nothing else, so adding a module is its folder
plus one `INSTALLED_APPS` line — the pattern of Django's `admin.autodiscover`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.apps import apps

from yuanqu.core.summaries import SummarySpec

if TYPE_CHECKING:
    from ninja import Router


@dataclass(frozen=True)
class NavEntry:
    """One item of the top navigation.

    `url_name` is reversed; an entry whose page is not there (None, or a name that does not
    reverse) is left out, so a module not installed is not in the navigation. `permission` is
    a rules permission name asked with the user's current park as object (None: every
    signed-in user); `enterprise` says whether an enterprise user sees it. `badge` is
    "module.path:function(*, user) -> int", a count shown beside the label when not 0 (the
    unread reminders): asked once a request, so it should cost one query at most.
    """

    label: str
    url_name: str | None
    order: int
    permission: str | None = None
    enterprise: bool = False
    badge: str | None = None


@dataclass(frozen=True)
class ApiRouter:
    """The module's django-ninja Router, mounted on the one NinjaAPI (`/api/v1/`, by
    `yuanqu.api.api.installed_api`) under `prefix` ("/projects"; "/" puts its paths at the top,
    /api/v1/enterprises). `router` is "module.path:attribute", imported only when the API is
    built so that `module.py` stays free of the app's models, or a Router itself."""

    prefix: str
    router: str | Router

    def resolve(self) -> Router:
        from ninja import Router

        found = resolve(self.router) if isinstance(self.router, str) else self.router
        if not isinstance(found, Router):
            raise TypeError(f"{self.router} 不是 ninja.Router")
        return found


@dataclass(frozen=True)
class DataKind:
    """A kind of period data kept per (park, period) with a status 已提交 → 已审核 → 已锁定.

    `reviewed_by` is the write area whose department reviews it (users of it with
    `can_review`); None means records count as soon as they are written.
    `own_department_counts`: what that department itself uploads counts at once (a module's
    own records, DECISIONS.md); others' submissions (an owner enterprise's) still land 已提交.
    """

    key: str
    label: str
    reviewed_by: str | None = None
    lockable: bool = True
    own_department_counts: bool = False


@dataclass(frozen=True)
class DemoPart:
    """A part of the demo data: `target` is "module.path:function", loaded once per version."""

    name: str
    version: str
    target: str
    order: int


@dataclass(frozen=True)
class ReportKind:
    """A kind of generated report ("annual", "monthly", …): sections register against its key."""

    key: str
    label: str


@dataclass(frozen=True)
class ExportKind:
    """An export offered by `yuanqu export` and the pages: `target` is
    "module.path:function(*, user, park, period, year) -> Export"."""

    key: str
    label: str
    target: str


class CardItem(TypedDict):
    """A line listed inside a card (a red project, an overdue task): text, link, light."""

    text: str
    url: NotRequired[str]
    light: NotRequired[str]


class CardProgress(TypedDict):
    """Completion of a target as a bar, with the 序时进度 marker: both in %, display strings."""

    value: str
    marker: NotRequired[str]
    label: NotRequired[str]


class CardData(TypedDict):
    """What a cockpit card's function returns (or None: nothing to show; a function may also
    return a list of cards, e.g. one per main indicator). Every figure is a display string
    already rounded by core.wording; `url` opens the page behind the figure with the park and
    period in its query string.

    `light` is "red" / "yellow" / "green"; `chart` is a plain ECharts option (JSON only, no
    functions), drawn by static/js/cockpit.js; `wide` cards take two columns; `group` is the
    heading the card is shown under (经济运行, 项目建设, …)."""

    label: str
    value: str
    unit: str
    note: NotRequired[str]
    url: NotRequired[str]
    light: NotRequired[str]
    progress: NotRequired[CardProgress]
    chart: NotRequired[dict[str, Any]]
    items: NotRequired[list[CardItem]]
    wide: NotRequired[bool]
    group: NotRequired[str]


@dataclass(frozen=True)
class CockpitCard:
    """A card on the park cockpit: `target` is "module.path:function(park, period)", which
    returns a `CardData`, a list of them, or None."""

    key: str
    label: str
    target: str
    order: int


@dataclass(frozen=True)
class SupervisionRule:
    """A condition that raises an automatic supervision task (督办):
    `target` is "module.path:function(park, date) -> iterable of causes"."""

    key: str
    label: str
    target: str


@dataclass(frozen=True)
class EnterprisePanel:
    """A panel of the enterprise page (一企一档, `/enterprises/<id>/`): `target` is
    "module.path:function(enterprise, user) -> dict | None", the context `template` is
    rendered with (None: nothing to show for this enterprise). The function is asked only for
    a reader of the enterprise (`policy.can_read_enterprise`); an enterprise user reads its
    own page, so a panel leaves out park-wide figures when `policy.reads_park_wide(user)` is
    false."""

    key: str
    label: str
    target: str
    template: str
    order: int


@dataclass(frozen=True)
class PeriodicCommand:
    """A check or clean-up a module wants run every so often: `args` are what follows
    `yuanqu` on a command line (("tasks", "recover")). The worker beside `make demo` runs the
    due ones every minute, a deployment's cron runs `yuanqu tasks periodic` (docs/deploy.md);
    `every` is the least time between two runs, kept in the database so that several workers
    and cron never run one twice in that time."""

    name: str
    label: str
    args: tuple[str, ...]
    every: timedelta


@dataclass(frozen=True)
class ModuleSpec:
    """Everything a module declares about itself (see the module docstring)."""

    key: str
    label: str
    # The write area this module defines (a department is given it by key), with the words
    # used in "只有…可以…" messages; None when the module defines no write area of its own.
    write_area: str | None = None
    write_label: str = ""
    nav: tuple[NavEntry, ...] = ()
    # The module's URLconf ("yuanqu.economy.urls"), mounted by config/urls.py under
    # `url_prefix` ("economy/"; "" for the site root, mounted last).
    urls: str | None = None
    url_prefix: str = ""
    # The module's API Router and the prefix it is mounted under, below /api/v1/.
    api_router: ApiRouter | None = None
    # Modules holding the module's `@register`ed import kinds (each with a Chinese `label`).
    importers: tuple[str, ...] = ()
    exporters: tuple[ExportKind, ...] = ()
    data_kinds: tuple[DataKind, ...] = ()
    demo_parts: tuple[DemoPart, ...] = ()
    report_sections: tuple[str, ...] = ()
    report_kinds: tuple[ReportKind, ...] = ()
    cockpit_cards: tuple[CockpitCard, ...] = ()
    supervision_rules: tuple[SupervisionRule, ...] = ()
    periodic_commands: tuple[PeriodicCommand, ...] = ()
    enterprise_panels: tuple[EnterprisePanel, ...] = ()
    # "module.path:function(enterprise_ids) -> {enterprise_id: Decimal 亩}": the land area the
    # 亩均 evaluation uses instead of the registry's figure where the module knows better
    # (the land module: the parcels sold to the enterprise). DECISIONS.md, "Modules".
    land_area: str | None = None
    # Departments seeded for a new park (code, name) that are given this write area.
    departments: tuple[tuple[str, str], ...] = field(default=())
    # Summary tables the module keeps in step with its data (core/summaries.py).
    summaries: tuple[SummarySpec, ...] = ()


def modules() -> tuple[ModuleSpec, ...]:
    """Every installed app's `MODULE`, in `INSTALLED_APPS` order."""
    # Keyed by the installed apps, so a test that installs an extra app
    # (override_settings(INSTALLED_APPS=…)) sees its module, even in the apps' ready().
    return _modules_of(tuple(config.name for config in apps.get_app_configs()))


@cache
def _modules_of(app_names: tuple[str, ...]) -> tuple[ModuleSpec, ...]:
    found = []
    for app_name in app_names:
        name = f"{app_name}.module"
        if find_spec(name) is None:
            continue
        spec = getattr(import_module(name), "MODULE", None)
        if isinstance(spec, ModuleSpec):
            found.append(spec)
    keys = [m.key for m in found]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"模块代码重复：{keys}")
    return tuple(found)


def module(key: str) -> ModuleSpec | None:
    return next((m for m in modules() if m.key == key), None)


def write_areas() -> dict[str, str]:
    """Write areas a department may be given: key → Chinese label."""
    return {m.write_area: m.write_label or m.label for m in modules() if m.write_area}


def nav_entries() -> list[NavEntry]:
    return sorted((e for m in modules() for e in m.nav), key=lambda e: e.order)


def data_kinds() -> dict[str, DataKind]:
    return {k.key: k for m in modules() for k in m.data_kinds}


def demo_parts() -> list[DemoPart]:
    return sorted((p for m in modules() for p in m.demo_parts), key=lambda p: p.order)


def report_kinds() -> dict[str, str]:
    return {k.key: k.label for m in modules() for k in m.report_kinds}


def exporters() -> dict[str, ExportKind]:
    """Export kinds of every installed module: key → declaration (a key declared twice is an
    error, as for modules)."""
    found: dict[str, ExportKind] = {}
    for m in modules():
        for e in m.exporters:
            if e.key in found:
                raise RuntimeError(f"导出类型重复：{e.key}")
            found[e.key] = e
    return found


def url_mounts() -> list[tuple[str, str]]:
    """(prefix, urlconf) of every module that declares `urls`, the site root ("") last so
    that it does not shadow the others."""
    mounts = [(m.url_prefix, m.urls) for m in modules() if m.urls]
    return sorted(mounts, key=lambda pm: pm[0] == "")


def cockpit_cards() -> list[CockpitCard]:
    return sorted((c for m in modules() for c in m.cockpit_cards), key=lambda c: c.order)


def enterprise_panels() -> list[EnterprisePanel]:
    return sorted((p for m in modules() for p in m.enterprise_panels), key=lambda p: p.order)


def land_areas(enterprise_ids: list[int]) -> dict[int, Any]:
    """Land areas (亩, Decimal) the installed modules provide for these enterprises; an
    enterprise absent from the result keeps its registry figure (`Enterprise.land_area_mu`)."""
    found: dict[int, Any] = {}
    for m in modules():
        if m.land_area:
            found.update(resolve(m.land_area)(enterprise_ids))
    return found


def supervision_rules() -> list[SupervisionRule]:
    return [r for m in modules() for r in m.supervision_rules]


def periodic_commands() -> dict[str, PeriodicCommand]:
    """Periodic commands of every installed module, by name (a name declared twice is an
    error, as for modules)."""
    found: dict[str, PeriodicCommand] = {}
    for m in modules():
        for c in m.periodic_commands:
            if c.name in found:
                raise RuntimeError(f"定时命令重复：{c.name}")
            found[c.name] = c
    return found


def import_all(attribute: str) -> Iterator[str]:
    """Import every module path listed under `attribute` (importers, exporters,
    report_sections) so their `@register` decorators run; yields the paths imported."""
    for m in modules():
        for path in getattr(m, attribute):
            import_module(path)
            yield path


def resolve(target: str) -> Callable[..., Any]:
    """ "package.module:function" → the function."""
    path, func = target.split(":")
    found: Callable[..., Any] = getattr(import_module(path), func)
    return found
