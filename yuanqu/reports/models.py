from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_report_kind(value: str) -> None:
    """A report kind is one a module declares (`ModuleSpec.report_kinds`): an open list, so a
    new module's kind needs no migration."""
    from yuanqu.core.modules import report_kinds

    kinds = report_kinds()
    if value not in kinds:
        known = "、".join(f"{label}（{key}）" for key, label in kinds.items())
        raise ValidationError(f"未知的报告类型“{value}”；可用：{known}")


class ReportTemplate(models.Model):
    """A park's own .docx template (docxtpl placeholders over the variable catalogue)."""

    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="report_templates",
    )
    kind = models.CharField("报告类型", max_length=32, validators=[validate_report_kind])
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

    @property
    def kind_label(self) -> str:
        from yuanqu.core.modules import report_kinds

        return report_kinds().get(self.kind, self.kind)
