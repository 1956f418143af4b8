"""The methods of the competence register (seed 003: quality in § 85 bostøtte): data the municipality can change."""

from django.db import migrations

METHODS = [
    ("fit", "FIT (Feedback Informed Treatment)", True),
    ("mi", "MI (Motiverende samtale)", True),
    ("aaben-dialog", "Åben Dialog", True),
    ("rem", "REM (Recovery-målinger)", False),
    ("recovery", "Recoveryorienteret praksis", False),
    ("low-arousal", "Low Arousal", True),
    ("kriseintervention", "Kriseintervention", False),
]


def add(apps, schema_editor):
    Method = apps.get_model("accounts", "Method")
    for code, name, certified in METHODS:
        Method.objects.get_or_create(code=code, defaults={"name": name, "certified": certified})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_on_call_and_competences")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
