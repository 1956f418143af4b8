import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen

from .requirements import REQUIREMENTS


class LegalBasisForAction(models.Model):
    """Editable list of laws an action can rest on (SEL, LAB, sundhedsloven…)."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("lovgrundlag for handling")
        verbose_name_plural = _("lovgrundlag for handlinger")

    def __str__(self) -> str:
        return self.code


@about_citizen()
class Plan(models.Model):
    """One plan per citizen (Min Plan / Én plan). The content lives in immutable versions."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="plan")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="coordinated_plans", verbose_name=_("tovholder"))
    started_on = models.DateField(_("planen startede"))
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")

    @property
    def current(self) -> "PlanVersion | None":
        return self.versions.order_by("-number").first()


@about_citizen(citizen="plan__person", free_text={"content": {}, "note": ""})
class PlanVersion(models.Model):
    """Every change to a plan is a new version; a version is never edited."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions",
                             db_index=False)  # leads the one_plan_version_number index
    number = models.PositiveIntegerField()
    content = models.JSONField()
    follow_up = models.BooleanField(_("opfølgning"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    by_citizen = models.BooleanField(_("borgerens egen ændring"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")]


class PlanTemplate(models.Model):
    """Per offer: hints for each field and which optional sections the conversation usually produces."""

    offer = models.OneToOneField("courses.Offer", on_delete=models.CASCADE, related_name="plan_template")
    hints = models.JSONField(default=dict, blank=True)
    sections = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("planskabelon")
        verbose_name_plural = _("planskabeloner")


class PlanMeeting(models.Model):
    """A plan or network meeting: participants and what was agreed."""

    class Template(models.TextChoices):
        OPEN_DIALOGUE = "open_dialogue", _("Åben Dialog")
        INDDRAG_NU = "inddrag_nu", _("Inddrag Nu")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("dato"))
    template = models.CharField(_("skabelon"), max_length=16, choices=Template.choices)
    participants = models.JSONField(_("deltagere"), default=list)
    agenda = models.JSONField(_("borgerens dagsorden"), default=list, blank=True)
    works = models.JSONField(_("det der virker"), default=list, blank=True)
    challenges = models.JSONField(_("udfordringer"), default=list, blank=True)
    wants = models.JSONField(_("ønsker"), default=list, blank=True)
    agreements = models.JSONField(_("aftaler og næste skridt"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]


@about_citizen(citizen="plan__person", free_text={"stone": ""})
class CoordinatorNote(models.Model):
    """A note to the plan's coordinator: the citizen ticked off (or un-ticked) a stepping stone on Min side."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="notes")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    stone = models.CharField(_("trædesten"), max_length=300)
    done = models.BooleanField(_("nået"))
    created_at = models.DateTimeField(default=timezone.now)
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "seen_at"])]


@about_citizen(free_text={"note": ""})
class Pause(models.Model):
    """A low phase (seed 003, theme 1): for a while the plan asks nothing of the citizen. From `starts_on` until it
    resumes (the day after `ends_on`, or the day it was ended early) deadlines and measurement alerts are put off to
    the day it resumes, and the plan says so. A time limit by law is not paused (plans.pauses)."""

    class Reason(models.TextChoices):
        LOW_PHASE = "low_phase", _("Svær periode")
        HOSPITAL = "hospital", _("Indlagt")
        AWAY = "away", _("Bortrejst")
        OTHER = "other", _("Andet")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pauses")
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til og med"))
    reason = models.CharField(_("årsag"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resumed_on = models.DateField(_("genoptaget før tid"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["person", "ends_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="pause_ends_after_it_starts")]

    @property
    def resumes_on(self) -> datetime.date:
        """The first day the plan's deadlines count again."""
        return self.resumed_on or self.ends_on + datetime.timedelta(days=1)

    def in_force(self, day: datetime.date) -> bool:
        return self.starts_on <= day < self.resumes_on


class ExemptionKind(models.Model):
    """An exemption of the free-municipality experiment (seed 004 §2.5) and what it switches off: requirement keys of
    `plans.requirements.REQUIREMENTS`. Loaded by a data migration; editable in the admin."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=200, blank=True,
                                   help_text=_("Foreslås, når en fritagelse registreres."))
    waives = models.JSONField(_("fritager for"), default=list, blank=True,
                              help_text=_("Kravnøgler fra tabellen over krav."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("fritagelsestype")
        verbose_name_plural = _("fritagelsestyper")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [k for k in self.waives or [] if k not in REQUIREMENTS]
        if unknown or not isinstance(self.waives, list):
            raise ValidationError({"waives": _("Ukendte krav: %(keys)s") % {"keys": ", ".join(map(str, unknown))}})

    def waived(self) -> list[str]:
        """The Danish descriptions of what the exemption switches off."""
        return [str(REQUIREMENTS[k]) for k in self.waives if k in REQUIREMENTS]


@about_citizen(free_text={"note": ""})
class Exemption(models.Model):
    """An exemption in force for a citizen, or for a family (then for each of its current members), with its legal
    basis, its period and who decided it when (decision 0057). Ended early by setting `ended_on`."""

    kind = models.ForeignKey(ExemptionKind, on_delete=models.PROTECT, related_name="exemptions",
                             verbose_name=_("fritagelse"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="exemptions")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="exemptions", verbose_name=_("familie"))
    legal_basis = models.CharField(_("lovgrundlag"), max_length=200)
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til og med"), null=True, blank=True)
    decided_on = models.DateField(_("besluttet"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("besluttet af"))
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    ended_on = models.DateField(_("ophævet fra"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("fritagelse")
        verbose_name_plural = _("fritagelser")
        indexes = [models.Index(fields=["person", "starts_on"]), models.Index(fields=["household", "starts_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(person__isnull=False, household__isnull=True)
                                   | models.Q(person__isnull=True, household__isnull=False),
                                   name="exemption_for_citizen_or_family"),
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="exemption_ends_after_it_starts"),
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("starts_on")),
                                   name="exemption_ended_after_it_starts"),
        ]

    @property
    def last_day(self) -> datetime.date | None:
        """The last day in force: the day before it was ended, else its period's end (None: until further notice)."""
        if self.ended_on is not None:
            early = self.ended_on - datetime.timedelta(days=1)
            return early if self.ends_on is None else min(early, self.ends_on)
        return self.ends_on

    def in_force(self, day: datetime.date) -> bool:
        last = self.last_day
        return self.starts_on <= day and (last is None or day <= last)
