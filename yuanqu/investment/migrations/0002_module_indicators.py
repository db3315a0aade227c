from django.db import migrations

# Module targets are rows of economy's targets table with their own indicator codes
# (DECISIONS.md, "Module targets"); source "module": computed here, not in the economy table.
INDICATORS = (
    ("investment_signed_count", "签约引进项目个数", "个", "招商局", 0, 910,
     "本年签约（签约日期在本年）的招商项目个数；年度目标为“个”。"),
    ("investment_signed_amount", "签约项目协议总投资", "万元", "招商局", 2, 920,
     "本年签约项目的协议总投资之和（美元项目按签约日汇率折算）。"),
    ("land_reserved_area", "新增收储土地面积", "亩", "规划建设局", 2, 930,
     "本年签订收储协议的宗地面积之和（亩）。"),
)


def seed(apps, schema_editor):
    Indicator = apps.get_model("economy", "Indicator")
    for code, name, unit, dept, precision, order, definition in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "source": "module",
                "kind": "level",
                "department": dept,
                "precision": precision,
                "definition": definition,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("economy", "Indicator")
    Indicator.objects.filter(code__in=[i[0] for i in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0001_initial"),
        ("economy", "0004_indicator_source_module"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
