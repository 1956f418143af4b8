"""Once loaded the starting catalogue. Migrations are history and import no application code: the catalogue is
now loaded after every migrate by the app's post_migrate hook (insights.catalogue.ensure_built_in), which is idempotent."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]
    operations = []
