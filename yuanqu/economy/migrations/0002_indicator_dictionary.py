from django.db import migrations


def seed(apps, schema_editor):
    from yuanqu.economy.dictionary import CANONICAL

    Indicator = apps.get_model("economy", "Indicator")
    for order, (code, name, unit, source, kind, dept, precision, definition) in enumerate(
        CANONICAL, start=1
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "source": source,
                "kind": kind,
                "department": dept,
                "precision": precision,
                "definition": definition,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
