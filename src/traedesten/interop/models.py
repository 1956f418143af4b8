from django.db import models


class ExternalId(models.Model):
    """A stable id from an interchange file (or given at export), pointing at one row of one kind.

    Importing a file twice finds its rows again through these, so import is idempotent.
    """

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_external_id_per_kind"),
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_external_id_per_object"),
        ]
