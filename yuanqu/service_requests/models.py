"""企业诉求 (enterprise requests) and 惠企政策兑现 (policy benefits).

A request is submitted by an enterprise user (its own enterprise only) or recorded by the
营商办; its due date comes from its category's time limit, counted in calendar or working days
(working days: `chinese-calendar`, 调休 included, corrected by the editable `Holiday` table).
Statuses: 已提交 (an enterprise's submission, DECISIONS.md "Access") → 已受理 → 办理中 → 已办结 →
已评价, or 退回 with a reason. Every change and every reply is kept as a `RequestEvent`.

Benefits: policies (name, level, department) and the payments made under them to enterprises
(万元, exact Decimal, with a date and a kind 奖补 / 减税降费 / 贴息 / 其他).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yuanqu.core.history import LogEntry

AMOUNT = {"max_digits": 16, "decimal_places": 4}


class DayKind(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class RequestCategory(models.Model):
    """A kind of request (用地, 融资 …) with its time limit: configurable by administrators."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("诉求类别", max_length=32, unique=True)
    limit_days = models.PositiveSmallIntegerField("办理时限（天）", default=10)
    day_kind = models.CharField(
        "时限计算方式", max_length=16, choices=DayKind.choices, default=DayKind.WORKING
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A correction of the working-day calendar: a day off (节假日) or a working day (调休上班)
    that `chinese-calendar` does not know (a local holiday, a year it has no data for)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", default=False)
    name = models.CharField("说明", max_length=64, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}".strip()


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    RECEIVED = "received", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"
    RATED = "rated", "已评价"
    RETURNED = "returned", "退回"


#: Statuses of a request still being handled (counted as open; overdue past its due date).
OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
#: Statuses of a request handled (办结, then perhaps rated).
DONE_STATUSES = (RequestStatus.CLOSED, RequestStatus.RATED)


class ServiceRequest(models.Model):
    """One 企业诉求 of an enterprise of the park."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="requests"
    )
    code = models.CharField("诉求编号", max_length=32)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="service_requests",
    )
    category = models.ForeignKey(
        RequestCategory, verbose_name="诉求类别", on_delete=models.PROTECT, related_name="requests"
    )
    title = models.CharField("诉求标题", max_length=200)
    content = models.TextField("诉求内容", blank=True)
    attachment = models.FileField(
        "附件", upload_to="service_requests/%Y/%m/", blank=True, max_length=255
    )
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办理时限")
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    handler = models.CharField("承办人", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    return_reason = models.TextField("退回原因", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField("满意度（1-5）", null=True, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["park", "-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="uniq_service_request_code"),
        ]
        indexes = [
            models.Index(fields=["park", "received_on"], name="request_received"),
            models.Index(fields=["park", "due_on"], name="request_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestEvent(LogEntry):
    """The history of a request: replies (seen by the enterprise) and every status change."""

    class Kind(models.TextChoices):
        REPLY = "reply", "答复"
        STATUS = "status", "状态变更"
        ASSIGN = "assign", "交办"
        RETURN = "return", "退回"
        RATE = "rate", "评价"

    parent_field = "request"

    request = models.ForeignKey(
        ServiceRequest, verbose_name="诉求", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"
        ordering = ["request", "on", "id"]


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCIAL = "provincial", "省"
    MUNICIPAL = "municipal", "市"
    COUNTY = "county", "县区"
    PARK = "park", "园区"


class BenefitKind(models.TextChoices):
    SUBSIDY = "subsidy", "奖补"
    TAX = "tax", "减税降费"
    INTEREST = "interest", "贴息"
    OTHER = "other", "其他"


class Policy(models.Model):
    """A 惠企政策 the park carries out (兑现)."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="policies"
    )
    code = models.CharField("政策编号", max_length=32)
    name = models.CharField("政策名称", max_length=200)
    level = models.CharField(
        "政策层级", max_length=16, choices=PolicyLevel.choices, default=PolicyLevel.PARK
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="兑现部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    issued_on = models.DateField("发布日期", null=True, blank=True)

    class Meta:
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"
        ordering = ["park", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="uniq_policy_code"),
        ]

    def __str__(self) -> str:
        return self.name


class BenefitPayment(models.Model):
    """A payment (兑现) under a policy to an enterprise: amount in 万元, exact."""

    policy = models.ForeignKey(
        Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="payments"
    )
    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="benefits"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="benefits",
    )
    amount = models.DecimalField("兑现金额(万元)", **AMOUNT)
    paid_on = models.DateField("兑现日期")
    kind = models.CharField(
        "兑现方式", max_length=16, choices=BenefitKind.choices, default=BenefitKind.SUBSIDY
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "政策兑现"
        verbose_name_plural = "政策兑现"
        ordering = ["park", "-paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise", "paid_on", "kind"], name="uniq_benefit_payment"
            ),
        ]
        indexes = [models.Index(fields=["park", "paid_on"], name="benefit_paid")]

    def __str__(self) -> str:
        return f"{self.policy} {self.enterprise} {self.amount}"
