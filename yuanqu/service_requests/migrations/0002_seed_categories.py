"""The categories of the issue with a default time limit each (editable in the admin)."""

from django.db import migrations

# code, name, limit, day kind, order: a 水电气 fault is days of calendar time; approvals and
# finance follow the working week.
DEFAULTS = (
    ("land", "用地", 20, "working", 10),
    ("finance", "融资", 15, "working", 20),
    ("labour", "用工", 10, "working", 30),
    ("approval", "审批", 10, "working", 40),
    ("utilities", "水电气", 7, "calendar", 50),
    ("policy", "政策兑现", 15, "working", 60),
    ("other", "其他", 10, "working", 90),
)


def seed(apps, schema_editor):
    Category = apps.get_model("service_requests", "RequestCategory")
    for code, name, days, kind, order in DEFAULTS:
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "limit_days": days, "day_kind": kind, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("service_requests", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
