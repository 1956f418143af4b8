from django.db import migrations


def forward(apps, schema_editor):
    Offer = apps.get_model("courses", "Offer")
    Offer.objects.filter(name__in=["Din Indgang – forløb", "Gruppeforløb"]).update(front_door=True)
    Offer.objects.filter(name="Bostøtte (§85)").update(requires_grant=True)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_groups_packages_activity_details")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
