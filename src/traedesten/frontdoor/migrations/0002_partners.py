from django.db import migrations

from traedesten.frontdoor.catalogue import ensure_partners


def forward(apps, schema_editor):
    ensure_partners(apps.get_model("frontdoor", "PartnerOrganisation"))


class Migration(migrations.Migration):
    dependencies = [("frontdoor", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
