"""重点项目: projects, annual plans with milestones (节点), monthly 调度 progress, problems, photos.

Amounts are 万元, kept exactly (Decimal). Monthly progress is stored as 本年累计 (YTD, 1-本月)
per (project, year, month), like every period figure (DECISIONS.md, "Project progress is stored
as YTD"); the month's amount is YTD(m) − YTD(m−1), and since start = the project's opening
balance + the years' YTD at December (+ this year's YTD).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    PROVINCIAL = "provincial", "省重点"
    MUNICIPAL = "municipal", "市重点"
    COUNTY = "county", "县区重点"
    PARK = "park", "园区"


class Category(models.TextChoices):
    INDUSTRY = "industry", "产业"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    SOCIAL = "social", "社会民生"


class Stage(models.TextChoices):
    PREPARATION = "preparation", "前期"
    PLANNED_START = "planned_start", "计划新开工"
    NEW_START = "new_start", "新开工"
    CONTINUING = "continuing", "续建"
    COMPLETED = "completed", "竣工"
    PRODUCTION = "production", "投产"


AMOUNT = {"max_digits": 16, "decimal_places": 4}


class Project(models.Model):
    """A key project (重点项目) of a park. Links to the investment lead and the land parcel it
    came from live on those modules (`Lead.project`, `Parcel.project`, DECISIONS.md)."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="projects"
    )
    code = models.CharField("项目编号", max_length=32)
    name = models.CharField("项目名称", max_length=200)
    level = models.CharField("项目级别", max_length=16, choices=Level.choices, default=Level.PARK)
    category = models.CharField(
        "项目类别", max_length=16, choices=Category.choices, default=Category.INDUSTRY
    )
    stage = models.CharField(
        "建设阶段", max_length=16, choices=Stage.choices, default=Stage.PREPARATION
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="业主企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    cluster = models.ForeignKey(
        "registry.IndustryCluster",
        verbose_name="产业集群",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    content = models.TextField("建设内容及规模", blank=True)
    total_investment = models.DecimalField("总投资(万元)", **AMOUNT, default=0)
    # 开工至今 completed before the platform tracked the project (万元).
    opening_balance = models.DecimalField("开工至上年末累计完成(万元)", **AMOUNT, default=0)
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    planned_completion = models.DateField("计划竣工日期", null=True, blank=True)
    actual_completion = models.DateField("实际竣工日期", null=True, blank=True)
    planned_production = models.DateField("计划投产日期", null=True, blank=True)
    actual_production = models.DateField("实际投产日期", null=True, blank=True)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    responsible_unit = models.CharField("责任单位（文字）", max_length=100, blank=True)
    leader = models.CharField("包保领导", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["park", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="uniq_project_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectPlan(models.Model):
    """A project's plan for one year: 年度计划投资 and whether it is to start, be completed or
    go into production this year (the denominators of 开工率, 竣工率, 投产率)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    planned_investment = models.DecimalField("年度计划投资(万元)", **AMOUNT, default=0)
    start_planned = models.BooleanField("计划本年新开工", default=False)
    completion_planned = models.BooleanField("计划本年竣工", default=False)
    production_planned = models.BooleanField("计划本年投产", default=False)

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="uniq_project_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年计划"


class Milestone(models.Model):
    """A 节点 of a year's plan: overdue when not done by its deadline (a red light)."""

    plan = models.ForeignKey(
        ProjectPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField("节点", max_length=200)
    deadline = models.DateField("完成时限")
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "计划节点"
        verbose_name_plural = "计划节点"
        ordering = ["plan", "deadline", "id"]

    def __str__(self) -> str:
        return self.name


class ProjectProgress(models.Model):
    """One month's 调度 of a project: 本年累计完成投资 (YTD, 万元) and 形象进度."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress"
    )
    park = models.ForeignKey(
        "registry.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="project_progress",
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    ytd_investment = models.DecimalField("本年累计完成投资(万元)", **AMOUNT)
    image_progress = models.TextField("形象进度", blank=True)
    import_record = models.ForeignKey(
        "imports.ImportRecord",
        verbose_name="导入记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "月度调度"
        verbose_name_plural = "月度调度"
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="uniq_project_progress"
            ),
        ]
        indexes = [models.Index(fields=["park", "year", "month"], name="project_progress_slice")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}-{self.month:02d}"


class Problem(models.Model):
    """A problem (存在问题) found in a project's 调度, with who solves it and by when."""

    class Status(models.TextChoices):
        OPEN = "open", "待解决"
        RESOLVED = "resolved", "已解决"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField("存在问题")
    responsible_unit = models.CharField("责任单位", max_length=100, blank=True)
    deadline = models.DateField("解决时限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    raised_year = models.PositiveSmallIntegerField("提出年份")
    raised_month = models.PositiveSmallIntegerField("提出月份")

    class Meta:
        verbose_name = "项目问题"
        verbose_name_plural = "项目问题"
        ordering = ["project", "-raised_year", "-raised_month", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class ProjectPhoto(models.Model):
    """A 形象进度 photo, kept in the media folder and served through the access policy."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="photos"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    image = models.FileField("照片", upload_to="projects/photos/%Y/%m/")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "形象进度照片"
        verbose_name_plural = "形象进度照片"
        ordering = ["project", "-year", "-month", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
