from django.db import models


class DemoLoad(models.Model):
    """Marks that a part of the demo has been loaded, so a second `make demo` changes nothing."""

    part = models.CharField("部分", max_length=32, unique=True)
    version = models.CharField("版本", max_length=16)
    loaded_at = models.DateTimeField("加载时间", auto_now_add=True)

    class Meta:
        verbose_name = "演示数据"
        verbose_name_plural = "演示数据"

    def __str__(self) -> str:
        return f"{self.part} v{self.version}"
