"""督查督办: supervision tasks, their history (progress, status, deadline changes with reasons),
and the in-app notifications the reminders write.

A task comes from a meeting, a leader's instruction, a higher authority, or the data itself
(系统自动: `yuanqu supervise` raises one per open cause of a module's `SupervisionRule`, linked
to it by `rule_key` + `cause_key`). Statuses 已交办 → 办理中 → 已办结 → 已销号. Lights are computed
at an explicit date (`formulas.light`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yuanqu.core.history import LogEntry


class Source(models.TextChoices):
    MEETING = "meeting", "会议"
    INSTRUCTION = "instruction", "领导批示"
    ASSIGNED = "assigned", "上级交办"
    AUTO = "auto", "系统自动"


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    CLOSED = "closed", "已销号"


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class SupervisionTask(models.Model):
    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="supervision_tasks",
    )
    code = models.CharField("督办编号", max_length=32)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    title = models.CharField("督办事项", max_length=200)
    content = models.TextField("具体内容", blank=True)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_tasks",
    )
    person = models.CharField("责任人", max_length=64, blank=True)
    leader = models.CharField("分管领导", max_length=64, blank=True)
    assigned_on = models.DateField("交办日期")
    deadline = models.DateField("办结时限")
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    done_on = models.DateField("办结日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    close_reason = models.TextField("销号说明", blank=True)
    # An automatic task's cause: the rule's key and the cause's stable key ("project-12").
    rule_key = models.CharField("触发规则", max_length=64, blank=True)
    cause_key = models.CharField("触发原因标识", max_length=128, blank=True)
    cause_url = models.CharField("原因链接", max_length=300, blank=True)
    cause_ref = models.CharField("关联对象", max_length=200, blank=True)
    # The enterprise the task concerns (a 诉求's, a project's owner), when there is one: the
    # task is then on that enterprise's page (一企一档).
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="关联企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_tasks",
    )
    # Closed by a person while its cause was still there: not raised again until the cause
    # has cleared once (DECISIONS.md); the date the cause was first seen cleared.
    closed_by_hand = models.BooleanField("人工销号", default=False)
    cause_cleared_on = models.DateField("原因消除日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["park", "deadline", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="uniq_supervision_code"),
            # One open task per cause, even when two `yuanqu supervise` run at once.
            models.UniqueConstraint(
                fields=["park", "rule_key", "cause_key"],
                condition=~Q(rule_key="") & ~Q(status="closed"),
                name="uniq_open_auto_task",
            ),
        ]
        indexes = [models.Index(fields=["park", "deadline"], name="supervision_deadline")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TaskUpdate(LogEntry):
    """The history of a task: progress reports, status changes, deadline changes (with the
    old and new deadline and the reason), 销号."""

    class Kind(models.TextChoices):
        CREATED = "created", "交办"
        PROGRESS = "progress", "进展"
        STATUS = "status", "状态变更"
        DEADLINE = "deadline", "时限调整"
        CLOSE = "close", "销号"
        EDIT = "edit", "修改"

    parent_field = "task"

    task = models.ForeignKey(
        SupervisionTask, verbose_name="督办事项", on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    old_deadline = models.DateField("原时限", null=True, blank=True)
    new_deadline = models.DateField("新时限", null=True, blank=True)

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["task", "on", "id"]


class Notification(models.Model):
    """An in-app reminder for one user (a task assigned, due soon, overdue; a daily digest
    line). Unread until the user opens the list or marks it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField("去重标识", max_length=160)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内提醒"
        verbose_name_plural = "站内提醒"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="uniq_notification_key"),
        ]

    def __str__(self) -> str:
        return self.title


class DigestSent(models.Model):
    """A digest sent through a channel on a day: `yuanqu supervise` runs every few minutes,
    the digest goes once a day."""

    channel = models.CharField("渠道", max_length=32)
    day = models.DateField("日期")
    target = models.CharField("接收方", max_length=200, blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "每日摘要发送记录"
        verbose_name_plural = "每日摘要发送记录"
        constraints = [
            models.UniqueConstraint(fields=["channel", "day", "target"], name="uniq_digest_day"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.day}"
