from django.db import migrations

from traedesten.economy.catalogue import ensure_price_items


def forward(apps, schema_editor):
    ensure_price_items(apps.get_model("economy", "PriceItem"))


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
