from django.db import migrations

from traedesten.plans.catalogue import ensure_plan_catalogue


def forward(apps, schema_editor):
    ensure_plan_catalogue(apps.get_model("plans", "LegalBasisForAction"), apps.get_model("plans", "PlanTemplate"),
                          apps.get_model("courses", "Offer"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("courses", "0004_catalogue_flags")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
