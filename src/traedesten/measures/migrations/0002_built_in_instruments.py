"""Once loaded the starting catalogue. Migrations are history and import no application code: the catalogue is
now loaded after every migrate by the app's post_migrate hook (measures.catalogue.ensure_instruments), which is idempotent."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial"), ("courses", "0004_catalogue_flags")]
    operations = []
