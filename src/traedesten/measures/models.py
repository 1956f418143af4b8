from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen, shared_name

from .definitions import Definition, parse


@shared_name()
class Instrument(models.Model):
    """An instrument (ORS, REM-9, Fremtidsplanen…). Its definition lives in versions; scores point at a version."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)
    offers = models.ManyToManyField("courses.Offer", blank=True, related_name="instruments", verbose_name=_("bruges i tilbud"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("måleredskab")
        verbose_name_plural = _("måleredskaber")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "InstrumentVersion":
        """The newest version (an instrument is loaded with its first)."""
        version = self.versions.order_by("-number").first()
        if version is None:
            raise InstrumentVersion.DoesNotExist(f"instrument {self.code} has no version")
        return version


class InstrumentVersion(models.Model):
    """One immutable version of a definition. Editing a definition adds a version; stored scores keep theirs."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="one_number_per_instrument_version")]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"

    @property
    def parsed(self) -> Definition:
        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = parse(self.definition)
        return cached


class Rater(models.TextChoices):
    CITIZEN = "citizen", _("Borgeren")
    WORKER = "worker", _("Medarbejderen")
    JOINT = "joint", _("Borger og medarbejder sammen")
    RELATIVE = "relative", _("Pårørende eller netværk")


class Phase(models.TextChoices):
    """When a before/after instrument was scored (the instrument's `phases`)."""

    BEFORE = "before", _("Før indsatsen")
    AFTER = "after", _("Efter indsatsen")


@about_citizen()
class Administration(models.Model):
    """One time an instrument was filled in (or declined) for a citizen."""

    class Status(models.TextChoices):
        COMPLETE = "complete", _("Udfyldt")
        PARTIAL = "partial", _("Delvist udfyldt")
        DECLINED = "declined", _("Borgeren ønskede ikke at svare")

    # instrument leads the composite indexes below; a single-column index would only slow writes.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="administrations")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="administrations")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="administrations", db_index=False)
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="administrations")
    activity = models.ForeignKey("courses.Activity", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="administrations", verbose_name=_("samtale"),
                                 help_text=_("Den samtale målingen hører til: ORS før, SRS efter (FIT)."))
    group_session = models.ForeignKey("courses.GroupSession", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="administrations", verbose_name=_("gruppegang"))
    on = models.DateField(_("dato"))
    phase = models.CharField(_("tidspunkt i indsatsen"), max_length=6, choices=Phase.choices, blank=True,
                             help_text=_("Før eller efter indsatsen, for instrumenter der måles før og efter."))
    rater = models.CharField(_("bedømt af"), max_length=10, choices=Rater.choices, default=Rater.CITIZEN)
    rater_network = models.ForeignKey("people.NetworkPerson", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("pårørende"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    areas = models.JSONField(default=dict, blank=True)
    # The raw answers, item code -> decimal text. Always read and written with their administration, so they live on
    # its row rather than in a table of their own (decision 0033).
    item_scores = models.JSONField(default=dict, blank=True)
    citizen_item_scores = models.JSONField(default=dict, blank=True)
    """The citizen's own answers where a consensus instrument was scored together; `item_scores` holds the agreed ones."""
    note = models.CharField(_("note"), max_length=1000, blank=True)
    citizen_comment = models.CharField(_("borgerens kommentar"), max_length=1000, blank=True)
    at_home = models.BooleanField(_("givet hjemmefra"), default=False,
                                  help_text=_("Borgeren scorede selv på Min side før en samtale."))
    administered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["instrument", "on"]),
                   # a citizen's series per instrument, in order: trajectories, latest scores and the progression
                   # KPI's first and latest score, read from the index alone
                   models.Index(fields=["instrument", "person", "on", "id"], include=["total", "rater"],
                                name="administration_series")]

    def item_values(self) -> dict[str, Decimal]:
        return {code: Decimal(text) for code, text in self.item_scores.items()}

    def citizen_item_values(self) -> dict[str, Decimal]:
        return {code: Decimal(text) for code, text in self.citizen_item_scores.items()}


def score_texts(values: dict) -> dict[str, str]:
    """Item values as exact decimal text for `item_scores` (JSON numbers would come back as floats)."""
    return {code: format(Decimal(str(value)).normalize(), "f") for code, value in values.items()}


@about_citizen(on_overview=False)
class Schedule(models.Model):
    """A citizen-specific frequency for an instrument, overriding the definition's suggestion."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measure_schedules")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    every_days = models.PositiveSmallIntegerField(_("hver (dage)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "instrument"], name="one_schedule_per_instrument")]


@about_citizen(on_overview=False)
class KioskSession(models.Model):
    """A tablet handed to the citizen: only this scale is shown until the worker takes it back."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    activity = models.ForeignKey("courses.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    group_session = models.ForeignKey("courses.GroupSession", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    rater = models.CharField(max_length=10, choices=Rater.choices, default=Rater.CITIZEN)
    rater_network = models.ForeignKey("people.NetworkPerson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    administration = models.OneToOneField(Administration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")


class FitPracticeRating(models.Model):
    """A worker's own rating of their FIT practice, asked every fourth session with FIT where the team uses it
    (seed 003, theme 9). Generic statements in Trædesten's own words, 1 (not at all) to 5 (fully); about the worker,
    not a citizen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fit_ratings")
    on = models.DateField(_("dato"))
    scores = models.JSONField(_("svar"), default=dict)
    sessions = models.PositiveSmallIntegerField(_("samtaler med FIT siden sidst"))
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
