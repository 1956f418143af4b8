"""On PostgreSQL, a trigram index answers the name search's `search_name LIKE '%term%'` (decision 0056).

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it. Where it cannot be
created, the migration says so and goes on; the search then reads every name, as it does on SQLite.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "people_person_search_trgm"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        print(f"\n  pg_trgm is not available ({error.__class__.__name__}): the name search works without its index")
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin (search_name gin_trgm_ops)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0007_consent_to_gp")]
    operations = [migrations.RunPython(forward, backward)]
