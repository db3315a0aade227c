"""The sections the economy data can answer today.

- annual (年度工作总结): 经济发展 (order 10, under “X年工作成效”) and 问题与差距 (order 90),
  whose missed-target sentences come from a registered shortfall provider.
- monthly (月度经济运行分析): 总体情况 10, 分产业集群 20, 重点企业 30, 全市位次 40, 目标进度 50.

Orders left free for later modules in the annual report, in the speech's order: 项目建设 20,
招商引资 30, 载体开发 40, 营商环境 50 (group "achievements"); their shortfalls (招大引强短板 …)
register with `register_shortfall("annual", 20…)`. See docs/reports.md.
"""

from yuanqu.reports.sections import annual, monthly  # noqa: F401
