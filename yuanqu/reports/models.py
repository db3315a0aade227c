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


class ReportDraft(models.Model):
    """A park's report of one year as officials work on it: the narrative blocks they wrote
    (`NarrativeBlock`) and the versions they saved (`ReportVersion`). Its figures are never
    stored here: they come from the data each time the draft is shown, so an import refreshes
    them while the officials' text is kept."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="report_drafts"
    )
    kind = models.CharField("报告类型", max_length=32, default="annual")
    year = models.PositiveSmallIntegerField("年度")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告草稿"
        verbose_name_plural = "报告草稿"
        ordering = ["park", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["park", "kind", "year"], name="uniq_report_draft")
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year} {self.kind}"


class NarrativeBlock(models.Model):
    """One text of a draft officials edited (人工撰写): a narrative section's text, a heading, a
    closing sentence (`reports.engine.blocks_of` lists the keys)."""

    draft = models.ForeignKey(
        ReportDraft, verbose_name="草稿", on_delete=models.CASCADE, related_name="blocks"
    )
    key = models.CharField("位置", max_length=80)
    text = models.TextField("文字", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "报告人工撰写段落"
        verbose_name_plural = "报告人工撰写段落"
        ordering = ["draft", "key"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="uniq_narrative_block")
        ]

    def __str__(self) -> str:
        return f"{self.draft} {self.key}"


class ReportVersion(models.Model):
    """A saved version of a draft: the whole text as it was rendered, the 数据来源 rows it
    used and the narrative blocks, with author and time. A 定稿 (`final`) is frozen: it is
    rendered from what it stored, never recomputed; a later change of the data is shown beside
    it (`reports.drafts.version_changes`)."""

    draft = models.ForeignKey(
        ReportDraft, verbose_name="草稿", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    note = models.CharField("说明", max_length=200, blank=True)
    as_of = models.CharField("数据截至", max_length=7)
    content = models.JSONField("正文")
    figures = models.JSONField("数据来源", default=list)
    blocks = models.JSONField("人工撰写段落", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    final = models.BooleanField("定稿", default=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="uniq_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.draft} 第{self.number}版{'（定稿）' if self.final else ''}"
