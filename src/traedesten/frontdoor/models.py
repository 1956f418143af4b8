from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerOrganisation(models.Model):
    """Editable list of partners who contact the front door (jobcentre, psychiatry, GP, …)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One contact (henvendelse). Counted separately from unique persons; may be anonymous."""

    class Origin(models.TextChoices):
        CITIZEN = "citizen", _("Borger")
        RELATIVE = "relative", _("Pårørende")
        PARTNER = "partner", _("Samarbejdspartner")

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", _("Fremmøde")
        PHONE = "phone", _("Telefon")
        EMAIL = "email", _("E-mail")
        FORM = "form", _("Kontaktformular")
        OUTREACH = "outreach", _("Opsøgende")

    class Outcome(models.TextChoices):
        AD_HOC = "ad_hoc", _("Ad hoc-hjælp")
        GUIDE_CONVERSATION = "guide_conversation", _("Guidesamtale")
        AUTHORITY = "authority", _("Direkte til myndighed")
        HOME_VISIT = "home_visit", _("Anmodning om hjemmebesøg")
        INFORMATION = "information", _("Kun information")
        NONE = "none", _("Ingen videre handling")

    class Queue(models.TextChoices):
        WAITING = "waiting", _("Venter")
        RECEIVED = "received", _("Modtaget")
        GONE = "gone", _("Gået")

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    origin = models.CharField(_("hvem henvender sig"), max_length=10, choices=Origin.choices, default=Origin.CITIZEN)
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                verbose_name=_("samarbejdspartner"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WALK_IN)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="contacts", verbose_name=_("borger"))
    reason = models.CharField(_("årsag"), max_length=200, blank=True)
    outcome = models.CharField(_("udfald"), max_length=20, choices=Outcome.choices, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    queue_status = models.CharField(_("kø"), max_length=10, choices=Queue.choices, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["queue_status", "at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(origin="partner") | models.Q(partner__isnull=False),
                                   name="contact_partner_named"),
        ]

    @property
    def waited(self):
        end = self.received_at or self.left_at or timezone.now()
        return end - self.at

    @property
    def waited_minutes(self) -> int:
        return int(self.waited.total_seconds() // 60)
