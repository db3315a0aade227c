"""碳排放's section of the monthly report, found by the report engine through module.py."""

from __future__ import annotations

from yuanqu.reports.engine import Section, SectionContext, register_section


@register_section(
    "monthly",
    85,
    key="carbon",
    title="碳排放监测",
    template="{{ park_name }}纳入碳排放重点监测的企业{{ carbon_watched }}，监测数据按月报送。",
    variables={"carbon_watched": "纳入碳排放重点监测的企业数"},
)
def carbon(ctx: SectionContext) -> Section | None:
    watched = ctx.count(
        3, "家", indicator="碳排放重点监测企业", period=ctx.period, method="碳排放模块（测试）"
    )
    return ctx.section(carbon_watched=watched)
