from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen


class NonResponse(models.TextChoices):
    """Why a citizen did not answer (the Én plan evaluation's eleven dropout types)."""

    LEFT = "left", _("Stoppede, var kort tid i forløbet eller deltog aldrig")
    DECLINED = "declined", _("Ønsker ikke at deltage")
    UNREACHABLE = "unreachable", _("Kan ikke kontaktes")
    MOVED = "moved", _("Fraflyttet kommunen eller landet")
    LANGUAGE = "language", _("Forståelses- eller sprogvanskeligheder")
    COGNITIVE = "cognitive", _("Kognitive vanskeligheder")
    UNABLE = "unable", _("Vurderet ude af stand til at deltage (krise, psykisk tilstand)")
    HOSPITAL = "hospital", _("Indlagt")
    RELATIONSHIP = "relationship", _("Kan ikke sendes pga. et svært forhold til kommunen")
    PRISON = "prison", _("I fængsel")
    DECEASED = "deceased", _("Død")


class Questionnaire(models.Model):
    """A questionnaire defined as data: questions, scales and branching (see surveys.parse)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    definition = models.JSONField()
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("spørgeskema")
        verbose_name_plural = _("spørgeskemaer")

    def __str__(self) -> str:
        return self.name


@about_citizen(on_overview=False)
class Invitation(models.Model):
    """One citizen invited to answer once, by SMS or by a link handed over at the last meeting."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        LINK = "link", _("Link ved sidste møde")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="survey_invitations")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("kanal"), max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    non_response = models.CharField(_("årsag til manglende svar"), max_length=16, choices=NonResponse.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "person"], name="one_invitation_per_citizen")]


class Response(models.Model):
    """The one answer to an invitation. Partial answers count; N varies per question."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    answers = models.JSONField(default=dict)
    complete = models.BooleanField(default=False)
    helped_by_professional = models.BooleanField(_("en medarbejder hjalp med at udfylde"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)


class OutboxMessage(models.Model):
    """Messages sent by the local fake SMS gateway (demo and tests), so they can be read back."""

    to = models.CharField(max_length=20)
    body = models.CharField(max_length=500)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]


class FrozenReport(models.Model):
    """A published key-figure report kept as it was published: its figures, definitions' version and a checksum.

    Re-running it (insights.frozen.verify) shows whether the same period and filters still give the same figures.
    """

    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))
    filters = models.JSONField(default=dict)
    definitions = models.CharField(_("definitionernes version"), max_length=20)
    figures = models.JSONField()
    checksum = models.CharField(_("kontrolsum (SHA-256)"), max_length=64)
    note = models.CharField(_("bemærkning"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("frosset rapport")
        verbose_name_plural = _("frosne rapporter")
