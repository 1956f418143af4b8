from django.db import migrations, models

from traedesten.people import revisions


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
        # The triggers are created after every migrate (revisions.install, connected in apps.py).
        migrations.RunPython(migrations.RunPython.noop, revisions.uninstall),
    ]
