"""A group ends on the day of its last session once it has held its planned sessions; its enrolments close that day.

The data step ends the groups that already have, and closes their open enrolments with the destination
"group_ended". Groups with fewer sessions than planned are still running. Reversing reopens what this step closed.
"""

from django.db import migrations, models
from django.db.models import Count, F, Max


def end_finished_groups(apps, schema_editor):
    GroupRun, Course = apps.get_model("courses", "GroupRun"), apps.get_model("courses", "Course")
    finished = (GroupRun.objects.filter(ended_on__isnull=True).annotate(held=Count("sessions"), last=Max("sessions__on"))
                .filter(held__gte=F("planned_sessions")))
    for group in finished:
        GroupRun.objects.filter(pk=group.pk).update(ended_on=group.last)
        for course in Course.objects.filter(group=group, status="active"):
            Course.objects.filter(pk=course.pk).update(status="closed", closed_on=max(group.last, course.start),
                                                       destination="group_ended", version=F("version") + 1)


def reopen(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    Course.objects.filter(destination="group_ended").update(status="active", closed_on=None, destination="",
                                                            version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0008_no_hours_without_attendance'),
    ]

    operations = [
        migrations.AddField(
            model_name='grouprun',
            name='ended_on',
            field=models.DateField(blank=True, help_text='Dagen for holdets sidste gang, når de planlagte gange er holdt, eller den dag holdet blev afsluttet. Tilmeldingerne lukker samme dag.', null=True, verbose_name='sluttede'),
        ),
        migrations.AlterField(
            model_name='course',
            name='destination',
            field=models.CharField(blank=True, choices=[('no_further_help', 'Ingen yderligere hjælp'), ('civil_society', 'Fortsætter i civilsamfund/frivillighed'), ('authority', 'Overdraget til myndighed'), ('outreach', 'Opfølgning ved opsøgende medarbejder'), ('dropped_out', 'Udeblevet/afbrudt'), ('moved', 'Fraflyttet'), ('other', 'Andet'), ('group_ended', 'Holdet sluttede')], max_length=20, verbose_name='afslutning til'),
        ),
        migrations.RunPython(end_finished_groups, reopen),
    ]
