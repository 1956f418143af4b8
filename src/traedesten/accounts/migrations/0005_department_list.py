from django.db import migrations

from traedesten.plans.catalogue import ensure_departments


def forward(apps, schema_editor):
    ensure_departments(apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_departments")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
