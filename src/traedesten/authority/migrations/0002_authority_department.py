from django.db import migrations


def add_department(apps, schema_editor):
    # Frozen: the authority department as it was first listed (accounts 0005 normally created it already).
    apps.get_model("accounts", "Department").objects.get_or_create(
        code="authority", defaults={"name": "Myndighed, voksen", "owns_plans": False})


class Migration(migrations.Migration):
    dependencies = [("authority", "0001_initial"), ("accounts", "0005_department_list")]
    operations = [migrations.RunPython(add_department, migrations.RunPython.noop)]
