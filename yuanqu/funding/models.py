"""项目资金: funds per project and year (专项债, 政策性开发性金融工具 …), their monthly 到位 and
支出, and applications for future years (拟申报). Amounts in 万元, exact (Decimal)."""

from __future__ import annotations

from django.db import models


class FundType(models.TextChoices):
    SPECIAL_BOND = "special_bond", "地方政府专项债券"
    POLICY_FINANCE = "policy_finance", "政策性开发性金融工具"
    CENTRAL_BUDGET = "central_budget", "中央预算内投资"
    ULTRA_LONG_BOND = "ultra_long_bond", "超长期特别国债"
    SUBSIDY = "subsidy", "上级补助资金"


AMOUNT = {"max_digits": 16, "decimal_places": 4}


class Fund(models.Model):
    """One fund for one project (or the park) in one year: 申报 and 下达 amounts; 到位 and 支出
    come month by month (`FundFlow`)."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="funds"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funds",
    )
    code = models.CharField("资金编号", max_length=32)
    name = models.CharField("资金名称", max_length=200)
    fund_type = models.CharField("资金类型", max_length=20, choices=FundType.choices)
    year = models.PositiveSmallIntegerField("年度")
    applied = models.DecimalField("申报金额(万元)", **AMOUNT, default=0)
    approved = models.DecimalField("下达金额(万元)", **AMOUNT, default=0)

    class Meta:
        verbose_name = "项目资金"
        verbose_name_plural = "项目资金"
        ordering = ["park", "year", "fund_type", "code"]
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="uniq_fund_code")]

    def __str__(self) -> str:
        return self.name


class FundFlow(models.Model):
    """到位 and 支出 of a fund in one month (the month's amounts, 万元)."""

    fund = models.ForeignKey(
        Fund, verbose_name="资金", on_delete=models.CASCADE, related_name="flows"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    received = models.DecimalField("本月到位(万元)", **AMOUNT, default=0)
    spent = models.DecimalField("本月支出(万元)", **AMOUNT, default=0)

    class Meta:
        verbose_name = "资金到位与支出"
        verbose_name_plural = "资金到位与支出"
        ordering = ["fund", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "month"], name="uniq_fund_flow"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year}-{self.month:02d}"


class FundApplication(models.Model):
    """An application prepared in `declared_year` for money in `target_year` (拟申报)."""

    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="fund_applications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fund_applications",
    )
    project_name = models.CharField("项目名称", max_length=200)
    fund_type = models.CharField("资金类型", max_length=20, choices=FundType.choices)
    declared_year = models.PositiveSmallIntegerField("申报年度")
    target_year = models.PositiveSmallIntegerField("拟申报年度")
    amount = models.DecimalField("拟申请资金(万元)", **AMOUNT)

    class Meta:
        verbose_name = "拟申报资金"
        verbose_name_plural = "拟申报资金"
        ordering = ["park", "declared_year", "target_year", "project_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "fund_type", "declared_year", "target_year", "project_name"],
                name="uniq_fund_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_name} {self.target_year}"
