"""Shared models: values set aside by `yuanqu check-data --fix`."""

from __future__ import annotations

from django.db import models


class QuarantinedValue(models.Model):
    """A stored value the code could not read (an amount too large for its column, NaN, a
    reporting period outside the window), moved here by `yuanqu check-data --fix`.

    The raw text is kept exactly as the database held it, with the row it came from, so an
    administrator can correct it and put it back by hand. A nullable column is set to NULL
    (`nulled`); a row whose bad value sits in a NOT NULL column, or whose period is outside
    the window, is deleted and kept whole in `row` (`deleted`).
    """

    class Action(models.TextChoices):
        NULLED = "nulled", "已置空"
        DELETED = "deleted", "已删除整行"

    model_label = models.CharField("模型", max_length=100)
    table = models.CharField("数据表", max_length=100)
    object_pk = models.CharField("行主键", max_length=64)
    field = models.CharField("字段", max_length=100)
    raw = models.TextField("原始值（文本）")
    problem = models.CharField("问题", max_length=255)
    park = models.CharField("园区代码", max_length=32, blank=True)
    action = models.CharField("处理", max_length=16, choices=Action.choices)
    row = models.JSONField("整行原值（删除时保留）", default=dict, blank=True)
    created_at = models.DateTimeField("隔离时间", auto_now_add=True)

    class Meta:
        verbose_name = "隔离的数据"
        verbose_name_plural = "隔离的数据"
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.table}#{self.object_pk}.{self.field} = {self.raw}"


class DataVersion(models.Model):
    """One counter, raised after every committed write to the platform's data (`core.versions`):
    a computed page cached under the version it read can never be served after a change."""

    version = models.BigIntegerField("数据版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return str(self.version)
