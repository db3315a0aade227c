"""The registry: regions, parks, clusters, departments, enterprises and their 规上 status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from yuanqu.core.uscc import USCCError, validate_uscc


def validate_credit_code(value: str) -> None:
    try:
        validate_uscc(value)
    except USCCError as exc:
        raise ValidationError(str(exc)) from exc


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（区）"

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    division_code = models.CharField("行政区划代码(GB/T 2260)", max_length=12, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Park(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    class ParkType(models.TextChoices):
        ETDZ = "etdz", "经开区"
        HTZ = "htz", "高新区"
        CUSTOMS = "customs", "海关特殊监管区域"
        BORDER = "border", "边境/跨境经济合作区"
        INDUSTRIAL = "industrial", "工业园区"
        OTHER = "other", "其他"

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=128)
    level = models.CharField("级别", max_length=16, choices=Level.choices, blank=True)
    park_type = models.CharField("类型", max_length=16, choices=ParkType.choices, blank=True)
    province = models.CharField("省份", max_length=32, blank=True)
    city_county = models.CharField("城市/区县", max_length=64, blank=True)
    division_code = models.CharField("行政区划代码(GB/T 2260)", max_length=12, blank=True)
    approval_date = models.CharField("批准时间", max_length=32, blank=True)
    approved_area_ha = models.DecimalField(
        "核准面积(公顷)", max_digits=14, decimal_places=4, null=True, blank=True
    )
    leading_industries = models.CharField("主导产业", max_length=255, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="所属地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parks",
    )
    # The catalogue's columns exactly as published (批准级别, 开发区类型, 批准时间 …), kept
    # beside the mapped fields so nothing is lost in translation (DECISIONS.md).
    raw = models.JSONField("原始数据", default=dict, blank=True)

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndustryCluster(models.Model):
    park = models.ForeignKey(
        Park, verbose_name="园区", on_delete=models.CASCADE, related_name="clusters"
    )
    name = models.CharField("产业集群", max_length=64)

    class Meta:
        verbose_name = "产业集群"
        verbose_name_plural = "产业集群"
        ordering = ["park", "id"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="uniq_cluster_per_park")
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    park = models.ForeignKey(
        Park, verbose_name="园区", on_delete=models.CASCADE, related_name="departments"
    )
    code = models.CharField("代码", max_length=32)
    name = models.CharField("名称", max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # Write areas (module keys, e.g. "economy", "investment") this department administers;
    # read by accounts.policy, never matched by the department's name.
    modules = models.JSONField("负责的业务模块（写权限）", default=list, blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["park", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="uniq_department_code")
        ]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    class Status(models.TextChoices):
        OPERATING = "operating", "在营"
        CONSTRUCTION = "construction", "在建"
        SUSPENDED = "suspended", "停产"
        CLOSED = "closed", "注销/迁出"

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("企业名称", max_length=128)
    park = models.ForeignKey(
        Park, verbose_name="园区", on_delete=models.PROTECT, related_name="enterprises"
    )
    cluster = models.ForeignKey(
        IndustryCluster,
        verbose_name="产业集群",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    industry_code = models.CharField("行业代码(GB/T 4754)", max_length=8, blank=True)
    land_area_mu = models.DecimalField(
        "用地面积(亩)", max_digits=12, decimal_places=4, null=True, blank=True
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.OPERATING
    )

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["park", "name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseScale(models.Model):
    """Whether an enterprise is 规上 in a year, and how it entered or left the set."""

    class Entry(models.TextChoices):
        ANNUAL = "annual", "年度入库"
        MONTHLY = "monthly", "月度入库"
        CONTINUING = "continuing", "上年延续"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="scales"
    )
    year = models.PositiveSmallIntegerField("年度")
    is_above_scale = models.BooleanField("规上", default=True)
    entry = models.CharField("入库方式", max_length=16, choices=Entry.choices, blank=True)
    entry_month = models.PositiveSmallIntegerField("入库月份", null=True, blank=True)
    exit_reason = models.CharField("退库原因", max_length=128, blank=True)

    class Meta:
        verbose_name = "规上状态"
        verbose_name_plural = "规上状态"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="uniq_scale_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {'规上' if self.is_above_scale else '规下'}"
