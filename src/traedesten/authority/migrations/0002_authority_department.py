from django.db import migrations

from traedesten.plans.catalogue import ensure_departments


def add_department(apps, schema_editor):
    ensure_departments(apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [("authority", "0001_initial"), ("accounts", "0005_department_list")]
    operations = [migrations.RunPython(add_department, migrations.RunPython.noop)]
