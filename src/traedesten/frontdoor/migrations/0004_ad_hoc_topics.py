from django.db import migrations

from traedesten.frontdoor.catalogue import ensure_partners


def forward(apps, schema_editor):
    ensure_partners(apps.get_model("frontdoor", "PartnerOrganisation"), apps.get_model("frontdoor", "AdHocTopic"))


class Migration(migrations.Migration):
    dependencies = [("frontdoor", "0003_ad_hoc_topics_guide_conversations")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
