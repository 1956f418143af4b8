from django.db import migrations


def create(apps, schema_editor):
    from traedesten.insights.surveys import ensure_built_in

    ensure_built_in(apps.get_model("insights", "Questionnaire"))


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
