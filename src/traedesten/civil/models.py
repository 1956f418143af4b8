from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen

INTERESTS = [
    ("walks", _("Gåture og natur")), ("sport", _("Motion og sport")), ("creative", _("Kreativt og håndværk")),
    ("music", _("Musik")), ("cooking", _("Mad og fællesspisning")), ("animals", _("Dyr")), ("games", _("Spil og hygge")),
    ("talk", _("Samtale og netværk")), ("learning", _("Læring og sprog")), ("volunteering", _("Selv at være frivillig")),
    ("selfhelp", _("Selvhjælp og støtte")), ("digital", _("IT og digital hjælp")),
]

SLOTS = [
    ("weekday_morning", _("Hverdage formiddag")), ("weekday_afternoon", _("Hverdage eftermiddag")),
    ("evening", _("Aften")), ("weekend", _("Weekend")),
]


class LocalOffer(models.Model):
    """A community offer in the directory: an association, a volunteer activity, an open municipal offer, a self-help group."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Forening")
        VOLUNTEER_ACTIVITY = "volunteer", _("Frivilligt tilbud")
        MUNICIPAL_OPEN = "municipal", _("Åbent kommunalt tilbud")
        SELF_HELP = "self_help", _("Selvhjælpsgruppe")

    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    organiser = models.CharField(_("arrangør"), max_length=200)
    schedule = models.CharField(_("hvornår"), max_length=200, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    contact = models.CharField(_("kontakt"), max_length=200, blank=True)
    target_group = models.CharField(_("målgruppe"), max_length=300, blank=True)
    interests = models.JSONField(_("interesser"), default=list, blank=True)
    slots = models.JSONField(_("tidspunkter"), default=list, blank=True)
    free_seats = models.PositiveSmallIntegerField(_("ledige pladser"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokalt tilbud")
        verbose_name_plural = _("lokale tilbud")
        constraints = [models.UniqueConstraint(fields=["name", "organiser"], name="one_offer_per_organiser_name")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A volunteer in the register. Volunteers who log in are linked to their user."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        STANDBY = "standby", _("Pause")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="volunteer")
    name = models.CharField(_("navn"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    interests = models.JSONField(_("interesser"), default=list, blank=True)
    skills = models.CharField(_("kompetencer"), max_length=300, blank=True)
    availability = models.CharField(_("kan typisk"), max_length=200, blank=True)
    slots = models.JSONField(_("tidspunkter"), default=list, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    agreement_on = models.DateField(_("frivilligaftale indgået"), null=True, blank=True)
    record_check_required = models.BooleanField(_("kræver børne-/straffeattest"), default=False)
    record_check_on = models.DateField(_("attest indhentet"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("frivillig")
        verbose_name_plural = _("frivillige")

    def __str__(self) -> str:
        return self.name


@about_citizen(on_overview=False)
class Match(models.Model):
    """A citizen matched to a community offer, often with a volunteer who goes along the first time."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslået")
        AGREED = "agreed", _("Aftalt")
        STARTED = "started", _("Kommet i gang")
        ENDED = "ended", _("Stoppet")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(LocalOffer, on_delete=models.PROTECT, null=True, blank=True, related_name="matches",
                              verbose_name=_("tilbud"))
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="matches")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AGREED)
    kickoff_on = models.DateField(_("kick off-møde"), null=True, blank=True)
    kickoff_coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name=_("koordinator ved kick off"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Escort(models.Model):
    """Who goes with the citizen the first time, when and where; then whether the citizen arrived and stayed."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="escorts")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="escorts", verbose_name=_("frivillig"))
    meet_at = models.DateTimeField(_("mødes"))
    meet_place = models.CharField(_("mødested"), max_length=200)
    task = models.CharField(_("opgave"), max_length=300, blank=True)
    arrived = models.BooleanField(_("borgeren kom"), null=True, blank=True)
    stayed = models.BooleanField(_("borgeren blev ved"), null=True, blank=True)
    follow_up_note = models.CharField(_("opfølgning"), max_length=300, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meet_at"]
