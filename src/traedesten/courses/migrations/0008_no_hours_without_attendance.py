"""Hours delivered to a citizen who did not attend (cancelled, no-show) are 0.

The import and older data could hold hours on such activities; they counted in the business case's investment.
The original hours are not kept: they were never delivered. Reversing leaves the zeros.
"""

from django.db import migrations


def zero_missed_hours(apps, schema_editor):
    Activity = apps.get_model("courses", "Activity")
    Activity.objects.exclude(attendance="attended").exclude(delivered_hours=0).update(delivered_hours=0)


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_redundant_fk_indexes")]

    operations = [migrations.RunPython(zero_missed_hours, migrations.RunPython.noop)]
