"""A user may belong to several departments: the single `department` becomes `departments`
(its value copied), and the 园区管理员 role is added."""

from django.db import migrations, models


def copy_department(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(department=None):
        user.departments.add(user.department_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registry", "0002_department_modules"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="registry.department",
                verbose_name="所属部门",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="departments",
            field=models.ManyToManyField(
                blank=True, related_name="users", to="registry.department", verbose_name="所属部门"
            ),
        ),
        migrations.RunPython(copy_department, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="department"),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "系统管理员"),
                    ("park_admin", "园区管理员"),
                    ("park_leader", "园区领导"),
                    ("department", "部门用户"),
                    ("enterprise", "企业用户"),
                    ("city", "市级用户"),
                ],
                default="department",
                max_length=16,
                verbose_name="角色",
            ),
        ),
    ]
