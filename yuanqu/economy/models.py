"""Economy: the indicator dictionary, enterprise monthly reports, park indicators, targets."""

from __future__ import annotations

from django.db import models

from yuanqu.core.fields import ExactDecimalField


class Indicator(models.Model):
    """The indicator dictionary: one row per canonical code (industrial_output, tax_total, …)."""

    class Source(models.TextChoices):
        COMPUTED = "computed", "由企业报表汇总计算"
        ENTERED = "entered", "录入（部门发布数）"
        # A module's own figure with a target in the targets table (签约项目数, 新增收储土地 …):
        # computed by its module, not listed in the economy's indicator table.
        MODULE = "module", "模块指标（由业务模块计算）"

    class Kind(models.TextChoices):
        LEVEL = "level", "总量"
        RATE = "rate", "增速"

    code = models.CharField("代码", max_length=48, unique=True)
    name = models.CharField("指标名称", max_length=64)
    unit = models.CharField("单位", max_length=16)
    definition = models.TextField("定义", blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.LEVEL)
    department = models.CharField("责任部门", max_length=64, blank=True)
    precision = models.PositiveSmallIntegerField("显示小数位", default=2)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标字典"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class EnterpriseReport(models.Model):
    """One enterprise's monthly report: B204-1 and B203 figures, as reported (unit: `unit`).

    B204-1 flows carry 本月, 1-本月 and both for the same period last year; B203 figures are
    1-本月 (YTD) with 上年同期. 用电量 is in 万千瓦时; 平均用工人数 in persons. Rows of B203 that
    only the audit rules need are kept in `extra` as {"301": {"ytd": "…", "ly": "…"}, …}.
    """

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="reports"
    )
    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    unit = models.CharField("金额单位", max_length=8, default="千元")

    output_month = models.DecimalField(
        "工业总产值(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    output_ytd = models.DecimalField(
        "工业总产值(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    output_month_ly = models.DecimalField(
        "工业总产值上年同期(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    output_ytd_ly = models.DecimalField(
        "工业总产值上年同期(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    sales_month = models.DecimalField(
        "工业销售产值(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    sales_ytd = models.DecimalField(
        "工业销售产值(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    sales_month_ly = models.DecimalField(
        "工业销售产值上年同期(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    sales_ytd_ly = models.DecimalField(
        "工业销售产值上年同期(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    export_month = models.DecimalField(
        "出口交货值(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    export_ytd = models.DecimalField(
        "出口交货值(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    export_month_ly = models.DecimalField(
        "出口交货值上年同期(本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    export_ytd_ly = models.DecimalField(
        "出口交货值上年同期(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )

    revenue_ytd = models.DecimalField(
        "营业收入(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    revenue_ytd_ly = models.DecimalField(
        "营业收入上年同期", max_digits=20, decimal_places=4, null=True, blank=True
    )
    cost_ytd = models.DecimalField(
        "营业成本(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    cost_ytd_ly = models.DecimalField(
        "营业成本上年同期", max_digits=20, decimal_places=4, null=True, blank=True
    )
    profit_ytd = models.DecimalField(
        "利润总额(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    profit_ytd_ly = models.DecimalField(
        "利润总额上年同期", max_digits=20, decimal_places=4, null=True, blank=True
    )
    vat_ytd = models.DecimalField(
        "应交增值税(1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    vat_ytd_ly = models.DecimalField(
        "应交增值税上年同期", max_digits=20, decimal_places=4, null=True, blank=True
    )
    employees = models.DecimalField(
        "平均用工人数", max_digits=12, decimal_places=2, null=True, blank=True
    )
    employees_ly = models.DecimalField(
        "平均用工人数上年同期", max_digits=12, decimal_places=2, null=True, blank=True
    )
    electricity_ytd = models.DecimalField(
        "用电量(1-本月,万千瓦时)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    electricity_ytd_ly = models.DecimalField(
        "用电量上年同期(万千瓦时)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    tax_paid_ytd = models.DecimalField(
        "实缴税收(全口径,1-本月)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    tax_paid_ytd_ly = models.DecimalField(
        "实缴税收上年同期", max_digits=20, decimal_places=4, null=True, blank=True
    )

    extra = models.JSONField("其他财务指标", default=dict, blank=True)
    correction = models.BooleanField("更正标记（允许累计值下降）", default=False)
    import_record = models.ForeignKey(
        "imports.ImportRecord",
        verbose_name="导入记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "企业月度报表"
        verbose_name_plural = "企业月度报表"
        ordering = ["park", "year", "month", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"], name="uniq_report_period"
            )
        ]
        indexes = [models.Index(fields=["park", "year", "month"], name="report_park_period")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}-{self.month:02d}"


# The value fields of a report, in the order of the canonical template.
REPORT_VALUE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in EnterpriseReport._meta.local_fields if isinstance(f, models.DecimalField)
)


class ParkIndicatorValue(models.Model):
    """A park figure released by another bureau (YTD 1-本月, in the dictionary's unit)."""

    class Basis(models.TextChoices):
        STATISTICS = "statistics", "统计数"
        DISPATCH = "dispatch", "调度数"

    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    basis = models.CharField("口径", max_length=16, choices=Basis.choices, default=Basis.STATISTICS)
    value = models.DecimalField(
        "1-本月累计值", max_digits=20, decimal_places=4, null=True, blank=True
    )
    month_value = models.DecimalField(
        "本月值", max_digits=20, decimal_places=4, null=True, blank=True
    )
    yoy_pct = models.DecimalField(
        "发布增速(%)", max_digits=10, decimal_places=4, null=True, blank=True
    )
    note = models.CharField("备注", max_length=255, blank=True)
    import_record = models.ForeignKey(
        "imports.ImportRecord",
        verbose_name="导入记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "园区指标（部门发布）"
        verbose_name_plural = "园区指标（部门发布）"
        ordering = ["park", "indicator", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "indicator", "year", "month", "basis"], name="uniq_park_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.indicator} {self.year}-{self.month:02d}"


class Target(models.Model):
    """An annual target of a park: a level (in the dictionary unit) or a growth rate (%)."""

    class Kind(models.TextChoices):
        LEVEL = "level", "总量目标"
        GROWTH = "growth", "增速目标(%)"

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.LEVEL)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=4)
    note = models.CharField("备注", max_length=255, blank=True)

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["park", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["park", "indicator", "year"], name="uniq_target")
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year} {self.indicator}"


class LongTermGoal(models.Model):
    """倍增 (doubling against a base year) and 百亿园区 goals of a park."""

    class Kind(models.TextChoices):
        DOUBLING = "doubling", "倍增"
        HUNDRED_YI = "hundred_yi", "百亿园区"

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="goals"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    base_year = models.PositiveSmallIntegerField("基期年", null=True, blank=True)
    target_value = models.DecimalField(
        "目标值(指标单位)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField("目标年", null=True, blank=True)
    name = models.CharField("名称（如“十四五”倍增计划）", max_length=64, blank=True)

    class Meta:
        verbose_name = "长期目标"
        verbose_name_plural = "长期目标"
        constraints = [
            models.UniqueConstraint(fields=["park", "indicator", "kind"], name="uniq_goal")
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.get_kind_display()}"


class IndicatorSummary(models.Model):
    """Park (and cluster) totals of a computed indicator for one period, kept with the data.

    One row per (park, period, indicator) for the whole park (`scope` park) and one per cluster
    of the park (`scope` cluster; `cluster_id` None = 未分类), summed over every enterprise
    report stored for the period **whatever its data status**: whether a period counts is read
    from its DataSlice when the summary is read, so a review, return, lock or unlock never
    makes a summary stale. Amounts in 万元, exact (`ExactDecimalField`).

    Written only by `economy.summaries` inside the transaction of each write that changes the
    rows it sums (imports, corrections, registry changes); `yuanqu summaries check` and the
    property test compare it with a full recomputation from the rows.
    """

    class Scope(models.TextChoices):
        PARK = "park", "全园区"
        CLUSTER = "cluster", "产业集群"

    # No index of its own: summary_park_period starts with the park. With both, PostgreSQL
    # read a region's ranking through the park alone and filtered the park's whole history
    # (BENCHMARKS.md, Scale (a)); and every summary write kept one index more.
    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    code = models.CharField("指标代码", max_length=48)
    scope = models.CharField("范围", max_length=8, choices=Scope.choices, default=Scope.PARK)
    # An IndustryCluster id (no FK: a deleted cluster's enterprises move to 未分类 by a rebuild).
    cluster_id = models.IntegerField("产业集群", null=True, blank=True)
    # Σ 1-本月 of the set; Σ of each enterprise's own 上年同期 (None when one has none).
    current = ExactDecimalField("1-本月合计(万元)", max_digits=32, decimal_places=8)
    base = ExactDecimalField(
        "可比口径上年同期合计(万元)", max_digits=32, decimal_places=8, null=True, blank=True
    )
    # Σ 本月 (None when no enterprise has one). For indicators without a month column the
    # month is 1-本月 less the enterprise's previous report, whatever that report's status:
    # a reader whose previous period does not count falls back (selectors._month_value).
    month_value = ExactDecimalField(
        "本月合计(万元)", max_digits=32, decimal_places=8, null=True, blank=True
    )
    month_base = ExactDecimalField(
        "本月上年同期合计(万元)", max_digits=32, decimal_places=8, null=True, blank=True
    )
    enterprise_count = models.PositiveIntegerField("企业数")

    class Meta:
        verbose_name = "指标汇总"
        verbose_name_plural = "指标汇总"
        indexes = [
            models.Index(fields=["park", "year", "month"], name="summary_park_period"),
            models.Index(fields=["year", "month", "code"], name="summary_period_code"),
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.year}-{self.month:02d} {self.code} {self.scope}"


class ReportingSummary(models.Model):
    """报送率 of a park's enterprise reports for one period (`selectors.reporting_rate`),
    kept with the reports, the 规上 list and the registry by `economy.summaries`."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    expected = models.PositiveIntegerField("应报户数")
    reported = models.PositiveIntegerField("已报户数")
    extra = models.PositiveIntegerField("名单外报送户数", default=0)
    basis = models.CharField("应报口径", max_length=16)

    class Meta:
        verbose_name = "报送率汇总"
        verbose_name_plural = "报送率汇总"
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "month"], name="uniq_reporting_summary")
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.year}-{self.month:02d} {self.reported}/{self.expected}"
