"""The case record: journal notes, documents and letters to the citizen.

A note is never changed in place: a correction is a new version pointing at the one it corrects, and every version
stays. A document's bytes live in the case-file storage (see documents.py), never under a public path; the row keeps
what the upload was found to be. A letter is a snapshot: the text and the values it was written from are kept as
sent, beside the PDF stored as a document.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen


class NoteKind(models.TextChoices):
    CONVERSATION = "conversation", _("Samtale")
    PHONE = "phone", _("Telefonsamtale")
    FOLLOW_UP = "follow_up", _("Opfølgning")
    OBSERVATION = "observation", _("Observation")
    DECISION = "decision", _("Beslutningsnotat")
    MEETING = "meeting", _("Møde")


@about_citizen(on_overview=False, free_text={"text": "", "correction_reason": ""}, keeps_case_open="written_at")
class Note(models.Model):
    """One version of a journal note. The first version has no `first`; each correction names the first version of
    its note and the version it corrects, which can be corrected only once (no silent overwrite)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("type"), max_length=16, choices=NoteKind.choices)
    text = models.TextField(_("notat"), max_length=20000)
    happened_on = models.DateField(_("dato"))
    sensitive = models.BooleanField(_("følsomt"), default=False)
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="notes", verbose_name=_("forløb"))
    activity = models.ForeignKey("courses.Activity", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notes", verbose_name=_("aktivitet"))
    grant = models.ForeignKey("authority.Grant", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="notes", verbose_name=_("bevilling"))
    handover = models.ForeignKey("authority.Handover", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notes", verbose_name=_("overdragelse"))
    meeting = models.ForeignKey("plans.PlanMeeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="notes", verbose_name=_("netværksmøde"))
    first = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions")
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction")
    version = models.PositiveIntegerField(default=1)
    correction_reason = models.CharField(_("årsag til rettelsen"), max_length=300, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-written_at", "-pk"]
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        indexes = [models.Index(fields=["person", "written_at"])]
        constraints = [
            models.UniqueConstraint(fields=["first", "version"], name="note_one_version_number"),
            models.CheckConstraint(condition=models.Q(first__isnull=True, version=1)
                                   | models.Q(first__isnull=False, version__gt=1), name="note_version_follows_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%d.%m.%Y} (v{self.version})"

    @property
    def thread_id(self) -> int:
        return self.first_id or self.pk


class DocumentKind(models.TextChoices):
    UPLOAD = "upload", _("Dokument")
    LETTER = "letter", _("Brev til borgeren")


@about_citizen(on_overview=False, keeps_case_open="added_at", subject_access="traedesten.records.gdpr.case_files",
               forget="traedesten.records.gdpr.forget_case_files")
class Document(models.Model):
    """A file in the citizen's case record. `stored_as` is the name in the case-file storage: random, never the
    uploaded name, never a CPR number."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("art"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.UPLOAD)
    title = models.CharField(_("titel"), max_length=200)
    content_type = models.CharField(_("filtype"), max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("størrelse"))
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=200, unique=True)
    encrypted = models.BooleanField(default=False)
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="documents", verbose_name=_("forløb"))
    grant = models.ForeignKey("authority.Grant", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="documents", verbose_name=_("bevilling"))
    handover = models.ForeignKey("authority.Handover", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="documents", verbose_name=_("overdragelse"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        indexes = [models.Index(fields=["person", "added_at"])]

    def __str__(self) -> str:
        return self.title


@about_citizen(on_overview=False)  # deleted with its document (Document's forget)
class Letter(models.Model):
    """A letter to the citizen as it was sent: the template, the values and the text are a snapshot, and the PDF is
    a document. Later changes to the case do not change it."""

    class Channel(models.TextChoices):
        DIGITAL_POST = "digital_post", _("Digital Post")
        PAPER = "paper", _("Udleveret eller sendt med almindelig post")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="letters")
    template = models.CharField(_("skabelon"), max_length=40)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.JSONField(_("tekst"), default=list)
    """The letter's paragraphs as sent: [{"heading": bool, "text": str}, …]."""
    values = models.JSONField(default=dict)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="letter")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="letters")
    grant = models.ForeignKey("authority.Grant", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="letters")
    channel = models.CharField(_("sendt med"), max_length=16, choices=Channel.choices)
    receipt = models.CharField(max_length=100, blank=True)
    """The Digital Post adapter's id for the delivery."""
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("brev")
        verbose_name_plural = _("breve")


@about_citizen(on_overview=False)
class DigitalPostMessage(models.Model):
    """The fake Digital Post outbox (the default adapter): what would have been delivered, for the demo and tests."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField(default=timezone.now)
