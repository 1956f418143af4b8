from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from traedesten.core.citizen_data import about_citizen


class PartnerOrganisation(models.Model):
    """Editable list of partners who contact the front door (jobcentre, psychiatry, GP, …)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@about_citizen(free_text={"reason": ""}, anonymous_rule="anonymous_contacts", dated_by="at")
class Contact(models.Model):
    """One contact (henvendelse). Counted separately from unique persons; may be anonymous."""

    class Origin(models.TextChoices):
        CITIZEN = "citizen", _("Borger")
        RELATIVE = "relative", _("Pårørende")
        PARTNER = "partner", _("Samarbejdspartner")

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", pgettext_lazy("kanal", "Fremmøde")
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
    handled = models.BooleanField(_("registreret færdig"), default=False,
                                  help_text=_("Guidesamtalen eller ad hoc-hjælpen efter henvendelsen er registreret."))

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


class AdHocTopic(models.Model):
    """Editable list of topics for ad hoc help (tax card, e-Boks, housing benefit, …)."""

    name = models.CharField(_("emne"), max_length=100, unique=True)
    active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("emne for ad hoc-hjælp")
        verbose_name_plural = _("emner for ad hoc-hjælp")

    def __str__(self) -> str:
        return self.name


@about_citizen()
class GuideConversation(models.Model):
    """The guide conversation (guidesamtale): two staff, a place, an outcome and the entry slip."""

    class Location(models.TextChoices):
        FRONT_DOOR = "front_door", _("I indgangen")
        HOME = "home", _("I hjemmet")
        PHONE = "phone", _("Telefon")
        VIDEO = "video", _("Video")

    class Outcome(models.TextChoices):
        COURSE_STARTED = "course_started", _("Forløb startet – borgeren sagde ja")
        AD_HOC_ONLY = "ad_hoc_only", _("Kun ad hoc-hjælp")
        SENT_HOME = "sent_home", _("Sendt hjem uden forløb")
        AUTHORITY = "authority", _("Henvist til myndighed")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="guide_conversations")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations")
    activity = models.OneToOneField("courses.Activity", on_delete=models.PROTECT, related_name="guide_conversation")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="guide_conversations")
    location = models.CharField(_("sted"), max_length=12, choices=Location.choices, default=Location.FRONT_DOOR)
    outcome = models.CharField(_("udfald"), max_length=16, choices=Outcome.choices)
    staff_1 = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("medarbejder 1"))
    staff_1_background = models.CharField(max_length=16)
    staff_2 = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("medarbejder 2"))
    staff_2_background = models.CharField(max_length=16, blank=True)
    bring_person = models.CharField(_("person borgeren tager med"), max_length=200, blank=True)
    next_meeting = models.DateTimeField(_("næste møde"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
