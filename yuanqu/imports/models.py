"""Import log and the status of each (kind, park, period) slice of data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProgressStage(models.TextChoices):
    """Where a background import is (ImportRecord.progress_stage)."""

    QUEUED = "queued", "排队中"
    READING = "reading", "读取校验"
    WRITING = "writing", "写入中"


class ImportRecord(models.Model):
    """One import attempt: who, when, which file (name and SHA-256) and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", "处理中"
        PREVIEWED = "previewed", "已预览"
        COMMITTED = "committed", "已导入"
        FAILED = "failed", "有错误，未导入"
        UNCHANGED = "unchanged", "无变化"

    kind = models.CharField("数据类型", max_length=32)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.BigIntegerField("文件大小(字节)", default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", null=True, blank=True, on_delete=models.SET_NULL
    )
    period = models.CharField("报告期", max_length=7, blank=True)
    mode = models.CharField("方式", max_length=16, default="replace")
    dry_run = models.BooleanField("仅预览", default=False)
    status = models.CharField("结果", max_length=16, choices=Status.choices)
    counts = models.JSONField("计数", default=dict)
    issues = models.JSONField("错误与警告", default=list)
    sample = models.JSONField("变更预览（每类前若干行）", default=list, blank=True)
    # What a period import checked beyond rows: {"guard": [...], "reporting": [...]}.
    checks = models.JSONField("删除保护与报送率", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    duration_ms = models.PositiveIntegerField("耗时(毫秒)", default=0)
    stored_file = models.CharField("暂存文件", max_length=255, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)
    # A background import (yuanqu.imports.tasks): the task that runs it, the claim of the run
    # that currently owns the record (a task run again after its worker died claims it anew;
    # the engine writes only for the current claim), and its progress — written in short
    # transactions of their own while rows are read and staged, so every app server's page
    # sees them.
    task_id = models.CharField("后台任务", max_length=64, blank=True)
    attempt = models.CharField("执行标识", max_length=32, blank=True)
    progress_stage = models.CharField(
        "处理阶段", max_length=16, choices=ProgressStage.choices, blank=True
    )
    progress_rows = models.PositiveIntegerField("已读取行数", default=0)
    progress_estimate = models.PositiveIntegerField("预计行数", null=True, blank=True)
    progress_at = models.DateTimeField("进度更新时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class DataStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    # 退回: back to the submitters with a reason (the history keeps it); not counted, like
    # 已提交, until submitted again and reviewed.
    RETURNED = "returned", "已退回"
    REVIEWED = "reviewed", "已审核"
    LOCKED = "locked", "已锁定"


class DataSlice(models.Model):
    """The review status of one (kind, park, period): 已提交 → 已审核 → 已锁定."""

    kind = models.CharField("数据类型", max_length=32)
    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="slices"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月", default=0)
    status = models.CharField(
        "状态", max_length=16, choices=DataStatus.choices, default=DataStatus.SUBMITTED
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "数据状态"
        verbose_name_plural = "数据状态"
        ordering = ["kind", "park", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "park", "year", "month"], name="uniq_data_slice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.park} {self.year}-{self.month:02d} {self.get_status_display()}"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


class DataSliceEvent(models.Model):
    """History of a slice: each submit, review, lock, unlock and change after locking."""

    slice = models.ForeignKey(
        DataSlice, verbose_name="数据", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=16)
    status_after = models.CharField("操作后状态", max_length=16, choices=DataStatus.choices)
    reason = models.TextField("原因", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    import_record = models.ForeignKey(
        ImportRecord, verbose_name="导入记录", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据状态记录"
        verbose_name_plural = "数据状态记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} → {self.get_status_after_display()}"

    @property
    def action_label(self) -> str:
        from yuanqu.imports.status import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class Reminder(models.Model):
    """An in-app notice to a user: a 催报 for a missing report, or a 退回 with its reason.

    Enterprise users see their unread ones on the import page; the notifier of issue 10 can
    send the same rows by other channels later.
    """

    class Topic(models.TextChoices):
        REMIND = "remind", "催报"
        RETURN = "return", "退回"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    topic = models.CharField("类型", max_length=16, choices=Topic.choices)
    park = models.ForeignKey("registry.Park", verbose_name="园区", on_delete=models.CASCADE)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    kind = models.CharField("数据类型", max_length=32)
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月", default=0)
    message = models.TextField("内容")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.user} {self.message[:30]}"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)
