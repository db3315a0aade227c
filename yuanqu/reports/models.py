from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportTemplate(models.Model):
    """A park's own .docx template (docxtpl placeholders over the variable catalogue)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "年度工作总结"
        MONTHLY = "monthly", "月度经济运行分析"

    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="report_templates",
    )
    kind = models.CharField("报告类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=128)
    file = models.FileField("模板文件", upload_to="report_templates/")
    variables = models.JSONField("使用的变量", default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告模板"
        verbose_name_plural = "报告模板"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name
