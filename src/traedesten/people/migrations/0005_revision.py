from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    """Frozen: drop every revision trigger (they are all named ..._revision...) and the function they call."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                           "WHERE NOT tgisinternal AND tgname LIKE '%%_revision%%'")
            for name, table in cursor.fetchall():
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute("DROP FUNCTION IF EXISTS traedesten_revision()")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_revision%'")
            for (name,) in cursor.fetchall():
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_rectification"),
        ("accounts", "0006_recusal"),
        ("authority", "0002_authority_department"),
        ("courses", "0006_report_indexes"),
        ("frontdoor", "0004_ad_hoc_topics"),
        ("measures", "0003_report_indexes"),
        ("plans", "0002_catalogue"),
    ]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("citizen", models.BigIntegerField(help_text="A person's id, or 0 for names many citizens share.",
                                                   primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        # The triggers are created after every migrate (people.revisions.install, connected in apps.py).
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
