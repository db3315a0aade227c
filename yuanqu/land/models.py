"""土地: parcels (宗地) from 拟收储 to 已开工, each with its dated lifecycle events.

Areas are entered in 亩 or 公顷 and kept exactly as entered (`area`, `area_unit`) beside the
exact 亩 figure every report uses (`area_mu`; 1 公顷 = 15 亩, DOMAIN.md §8). Money is 万元.
The parcel's `status` is its latest event's; figures at a date read the events, not `status`
(a report of 2022 sees the parcel as it was then).
"""

from __future__ import annotations

from django.db import models

from yuanqu.core.history import StepEntry


class ParcelStatus(models.TextChoices):
    """The lifecycle, in order (DOMAIN.md §8; issue 12, item 3)."""

    PROPOSED = "proposed", "拟收储"
    AGREEMENT = "agreement", "收储协议签订"
    EXPROPRIATING = "expropriating", "征收中"
    RESERVED = "reserved", "已收储（净地）"
    DOSSIER = "dossier", "出让材料组卷"
    LISTED = "listed", "已挂牌"
    SOLD = "sold", "已出让"
    HANDED_OVER = "handed_over", "已交地"
    STARTED = "started", "已开工"


#: Statuses in lifecycle order (a parcel's rank says how far it has come).
STATUS_ORDER: tuple[str, ...] = tuple(ParcelStatus.values)


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", "工业"
    WAREHOUSE = "warehouse", "仓储"
    COMMERCIAL = "commercial", "商业"
    RESIDENTIAL = "residential", "住宅"
    PUBLIC = "public", "公共管理与公共服务"
    OTHER = "other", "其他"


class SupplyMethod(models.TextChoices):
    LISTING = "listing", "挂牌"
    AUCTION = "auction", "拍卖"
    TENDER = "tender", "招标"
    AGREEMENT = "agreement", "协议"
    ALLOCATION = "allocation", "划拨"


class AreaUnit(models.TextChoices):
    MU = "mu", "亩"
    HECTARE = "ha", "公顷"


AREA = {"max_digits": 14, "decimal_places": 4}
AMOUNT = {"max_digits": 16, "decimal_places": 4}


class Parcel(models.Model):
    """A 宗地 of a park. `enterprise` (the buyer in the registry) and `project` (the key
    project built on it) are the links DECISIONS.md puts on the later module."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="parcels"
    )
    code = models.CharField("宗地编号", max_length=64)
    name = models.CharField("项目名称", max_length=200, blank=True)
    location = models.CharField("位置", max_length=200, blank=True)
    area = models.DecimalField("面积（录入值）", **AREA)
    area_unit = models.CharField(
        "面积单位", max_length=4, choices=AreaUnit.choices, default=AreaUnit.MU
    )
    # Exact: 公顷 × 15 has no more decimals than the 公顷 figure (4 places kept).
    area_mu = models.DecimalField("面积(亩)", **AREA)
    use = models.CharField("土地用途", max_length=16, choices=LandUse.choices, default="industrial")
    land_source = models.CharField("土地来源", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ParcelStatus.choices, default=ParcelStatus.PROPOSED
    )
    supply_method = models.CharField(
        "供地方式", max_length=16, choices=SupplyMethod.choices, blank=True
    )
    price = models.DecimalField("成交价格(万元)", **AMOUNT, null=True, blank=True)
    buyer_name = models.CharField("土地使用权人", max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="受让企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parcels",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="重点项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parcels",
    )
    plot_ratio_min = models.DecimalField(
        "约定容积率(下限)", max_digits=8, decimal_places=3, null=True, blank=True
    )
    plot_ratio_max = models.DecimalField(
        "约定容积率(上限)", max_digits=8, decimal_places=3, null=True, blank=True
    )
    term_years = models.PositiveSmallIntegerField("土地使用年限", null=True, blank=True)
    industry = models.CharField("行业分类", max_length=100, blank=True)
    land_grade = models.CharField("土地级别", max_length=32, blank=True)
    approved_by = models.CharField("批准单位", max_length=100, blank=True)
    contract_signed_on = models.DateField("合同签订日期", null=True, blank=True)
    handover_contracted = models.DateField("约定交地时间", null=True, blank=True)
    start_contracted = models.DateField("约定开工时间", null=True, blank=True)
    completion_contracted = models.DateField("约定竣工时间", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "宗地"
        verbose_name_plural = "宗地"
        ordering = ["park", "code"]
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="uniq_parcel_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ParcelEvent(StepEntry):
    """A dated step of a parcel's lifecycle (one per status: the date it was reached)."""

    parent_field = "parcel"
    step_field = "status"

    parcel = models.ForeignKey(
        Parcel, verbose_name="宗地", on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField("环节", max_length=16, choices=ParcelStatus.choices)

    class Meta:
        verbose_name = "宗地环节"
        verbose_name_plural = "宗地环节"
        ordering = ["parcel", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "status"], name="uniq_parcel_event"),
        ]
