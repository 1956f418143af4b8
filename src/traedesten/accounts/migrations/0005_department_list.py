from django.db import migrations

# A frozen copy of the starting list as it was when this migration was written; the live list is in plans/catalogue.py.
DEPARTMENTS = [
    ("social", "Socialafdelingen", True), ("authority", "Myndighed, voksen", False), ("jobcentre", "Jobcenter", False),
    ("health", "Sundhed", False), ("housing", "Bolig", False), ("education", "Uddannelse", False),
    ("psychiatry", "Regionspsykiatrien", False), ("gp", "Egen læge", False), ("volunteer", "Frivillig organisation", False),
]


def forward(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for code, name, owns in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "owns_plans": owns})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_departments")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
