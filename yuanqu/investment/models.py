"""招商引资: leads (招商项目) from 线索 to 投产, their dated stage history and 到位资金.

Amounts are 万元 for a CNY lead and 万美元 for a USD lead, kept as agreed; a USD lead carries
the exchange rate of its signing date (元 per 美元, stated), and every total converts it
(DOMAIN.md §4: never add USD to CNY without a stated rate). 到位资金 is always 万元.
"""

from __future__ import annotations

from django.db import models

from yuanqu.core.history import StepEntry


class Origin(models.TextChoices):
    OUTSIDE_PROVINCE = "outside_province", "省外"
    OUTSIDE_CITY = "outside_city", "市外"
    ABROAD = "abroad", "境外"


class LeadStage(models.TextChoices):
    """线索 → 洽谈 → 意向(储备) → 签约 → 开工 → 投产, or 终止 (DOMAIN.md §7)."""

    CLUE = "clue", "线索"
    TALKS = "talks", "洽谈"
    INTENT = "intent", "意向（储备）"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    TERMINATED = "terminated", "终止"


#: The forward stages in order (终止 is outside the order).
STAGE_ORDER: tuple[str, ...] = tuple(s for s in LeadStage.values if s != "terminated")


class Currency(models.TextChoices):
    CNY = "CNY", "人民币"
    USD = "USD", "美元"


AMOUNT = {"max_digits": 16, "decimal_places": 4}


class Lead(models.Model):
    """An investment lead of a park. `enterprise`, `project` and `parcel` are the objects it
    became (DECISIONS.md: links live on the later module)."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="leads"
    )
    code = models.CharField("项目编号", max_length=32)
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200, blank=True)
    origin = models.CharField("投资方来源", max_length=20, choices=Origin.choices, blank=True)
    cluster = models.ForeignKey(
        "registry.IndustryCluster",
        verbose_name="产业集群",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    currency = models.CharField("币种", max_length=3, choices=Currency.choices, default="CNY")
    planned_investment = models.DecimalField("计划总投资", **AMOUNT, default=0)
    # 元 per 美元 on the signing date (or the date the figure was stated, before signing).
    usd_rate = models.DecimalField(
        "汇率（1美元兑人民币元）", max_digits=10, decimal_places=6, null=True, blank=True
    )
    stage = models.CharField("阶段", max_length=16, choices=LeadStage.choices, default="clue")
    terminated_reason = models.CharField("终止原因", max_length=255, blank=True)
    responsible_person = models.CharField("责任人", max_length=64, blank=True)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    signed_on = models.DateField("签约日期", null=True, blank=True)
    agreement_amount = models.DecimalField("协议总投资", **AMOUNT, null=True, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="落地企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="重点项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    parcel = models.ForeignKey(
        "land.Parcel",
        verbose_name="宗地",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["park", "code"]
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="uniq_lead_code")]

    def __str__(self) -> str:
        return self.name


class LeadEvent(StepEntry):
    """A lead reaching a stage on a date (its full history; 终止 carries the reason)."""

    parent_field = "lead"
    step_field = "stage"

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField("阶段", max_length=16, choices=LeadStage.choices)

    class Meta:
        verbose_name = "阶段记录"
        verbose_name_plural = "阶段记录"
        ordering = ["lead", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "stage"], name="uniq_lead_stage"),
        ]


class LeadFund(models.Model):
    """到位资金 of a lead in one month (万元): fixed assets and working capital."""

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="funds"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    fixed_assets = models.DecimalField("固定资产到位(万元)", **AMOUNT, default=0)
    working_capital = models.DecimalField("流动资金到位(万元)", **AMOUNT, default=0)

    class Meta:
        verbose_name = "到位资金"
        verbose_name_plural = "到位资金"
        ordering = ["lead", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "year", "month"], name="uniq_lead_fund"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} {self.year}-{self.month:02d}"
