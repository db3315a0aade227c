"""Departments say which write areas (module keys) they administer. Existing departments get
the areas their usual name stands for, once; from then on the field is edited by
administrators and the code never looks at a department's name."""

from django.db import migrations, models

# The usual department names of a park's 管委会 and the areas they administer (DECISIONS.md).
SEED = {
    "经发局": ["economy"],
    "经济发展局": ["economy"],
    "招商局": ["investment"],
    "项目办": ["projects"],
    "发改局": ["projects"],
    "财政局": ["funding"],
    "自然资源局": ["land"],
    "规划建设局": ["land"],
    "营商办": ["service"],
    "督查室": ["supervision", "reports"],
    "党政办": ["supervision", "reports"],
}


def seed(apps, schema_editor):
    Department = apps.get_model("registry", "Department")
    for dept in Department.objects.all():
        if dept.name in SEED and not dept.modules:
            dept.modules = SEED[dept.name]
            dept.save(update_fields=["modules"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="modules",
            field=models.JSONField(
                blank=True, default=list, verbose_name="负责的业务模块（写权限）"
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
