from django.db import migrations

from traedesten.courses.catalogue import ensure_catalogue


def forward(apps, schema_editor):
    ensure_catalogue(apps.get_model("courses", "LegalBasis"), apps.get_model("courses", "Offer"))


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
