from django.db import migrations

from traedesten.measures.services import ensure_instruments


def forward(apps, schema_editor):
    ensure_instruments(apps.get_model("measures", "Instrument"), apps.get_model("measures", "InstrumentVersion"),
                       apps.get_model("courses", "Offer"))


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial"), ("courses", "0004_catalogue_flags")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
