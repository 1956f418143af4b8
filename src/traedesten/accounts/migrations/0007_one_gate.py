"""The one access gate: the authority department decides grants, flagged accesses have a kind, API tokens expire,
and the data-protection officer is a role."""

import datetime

from django.db import migrations, models

TOKEN_DAYS = 90  # frozen copy of accounts.tokens.DEFAULT_DAYS


def forward(apps, schema_editor):
    apps.get_model("accounts", "Department").objects.filter(code="authority").update(decides_grants=True)
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + datetime.timedelta(days=TOKEN_DAYS)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_recusal'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='department',
            name='decides_grants',
            field=models.BooleanField(default=False, help_text='Afdelingen modtager overdragelser, holder sagsdrøftelser og bevilger ydelser.', verbose_name='træffer myndighedsafgørelser'),
        ),
        migrations.AddField(
            model_name='outsideaccess',
            name='kind',
            field=models.CharField(choices=[('outside', 'Uden for sagsstammen'), ('access_log', 'Hvem har set borgeren'), ('subject_access', 'Indsigtsudtræk')], default='outside', max_length=16, verbose_name='art'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('host', 'Vært'), ('guide', 'Guide'), ('authority', 'Myndighedsrådgiver'), ('bostotte', 'Bostøttemedarbejder'), ('peer', 'Peermedarbejder'), ('outreach', 'Opsøgende medarbejder (§99 SKP)'), ('volunteer_coordinator', 'Frivilligkoordinator'), ('volunteer', 'Frivillig'), ('manager', 'Leder'), ('analyst', 'Analytiker'), ('admin', 'Administrator'), ('dpo', 'Databeskyttelsesrådgiver')], default='guide', max_length=32, verbose_name='rolle'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
