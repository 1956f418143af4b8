from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen, shared_name

from .roles import Role


class Background(models.TextChoices):
    AUTHORITY = "authority", _("Myndighed")
    PROVIDER = "provider", _("Udfører")
    OTHER = "other", _("Andet")


@shared_name()
class Department(models.Model):
    """A department or organisation a plan can be shared with (social services, jobcentre, health…). Editable list."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    owns_plans = models.BooleanField(_("ejer borgerens plan"), default=False,
                                     help_text=_("Medarbejdere her ser hele planen; andre ser kun det, borgeren har givet samtykke til."))
    decides_grants = models.BooleanField(_("træffer myndighedsafgørelser"), default=False,
                                         help_text=_("Afdelingen modtager overdragelser, holder sagsdrøftelser og bevilger ydelser."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")

    def __str__(self) -> str:
        return self.name


@shared_name()
class Team(models.Model):
    name = models.CharField(_("navn"), max_length=120, unique=True)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="teams",
                                   verbose_name=_("afdeling"))
    uses_fit = models.BooleanField(_("bruger FIT"), default=False,
                                   help_text=_("Teamets medarbejdere vurderer deres egen FIT-praksis hver fjerde samtale."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


@shared_name(columns=("username", "first_name", "last_name", "role", "is_active"), m2m=("teams",))
class User(AbstractUser):
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices, default=Role.GUIDE)
    background = models.CharField(
        _("baggrund"), max_length=16, choices=Background.choices, default=Background.PROVIDER
    )
    teams = models.ManyToManyField(Team, related_name="members", blank=True, verbose_name=_("teams"))

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def department_of(user: "User") -> Department | None:
    """The department of the user's first team that has one."""
    team = user.teams.select_related("department").exclude(department=None).order_by("pk").first()
    return team.department if team else None


@about_citizen()
class CaseloadAssignment(models.Model):
    """A citizen on a team's caseload, optionally with a named worker."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="caseload")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="caseload")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("medarbejder"),
    )
    start = models.DateField(_("start"), default=timezone.localdate)
    end = models.DateField(_("slut"), null=True, blank=True)

    class Meta:
        # With the end included, the gate's reach (decision 0062) reads a worker's or a team's current citizens from
        # the index alone on PostgreSQL (other databases ignore `include`).
        indexes = [
            models.Index(fields=["team", "person"], include=["end"], name="caseload_team_person"),
            models.Index(fields=["worker", "person"], include=["end"], name="caseload_worker_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="caseload_end_after_start",
            )
        ]


@about_citizen(on_overview=False)
class OutsideAccess(models.Model):
    """A flagged access, to be reviewed by someone else: a stated reason for opening a citizen outside one's
    relations, or a look at the citizen's access log or subject-access export."""

    class Kind(models.TextChoices):
        OUTSIDE = "outside", _("Uden for sagsstammen")
        ACCESS_LOG = "access_log", _("Hvem har set borgeren")
        SUBJECT_ACCESS = "subject_access", _("Indsigtsudtræk")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("art"), max_length=16, choices=Kind.choices, default=Kind.OUTSIDE)
    reason = models.CharField(_("begrundelse"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "person", "created_at"])]


class AuditAction(models.TextChoices):
    VIEW = "view", _("Læst")
    SEARCH = "search", _("Fundet i søgning")
    CREATE = "create", _("Oprettet")
    UPDATE = "update", _("Ændret")
    DELETE = "delete", _("Slettet")
    MERGE = "merge", _("Sammenlagt")
    EXPORT = "export", _("Eksporteret")
    DENIED = "denied", _("Adgang nægtet")


class AuditEvent(models.Model):
    """Append-only record of a read or write of a citizen's data.

    ``person_id`` is a plain integer, not a foreign key, so the trail outlives
    merges and deletions.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    person_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    section = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=8, default="web")
    flagged = models.BooleanField(default=False)
    by_citizen = models.BooleanField(default=False, help_text="The citizen themself, logged in on Min side.")

    class Meta:
        indexes = [models.Index(fields=["person_id", "at"])]
        ordering = ["-at"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only")


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True)
    revoked = models.BooleanField(default=False)


@about_citizen(on_overview=False)
class Recusal(models.Model):
    """A conflict of interest: the named worker may not open, see or be suggested for the named citizen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recusals",
                             verbose_name=_("medarbejder"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("begrundelse"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inhabilitet")
        verbose_name_plural = _("inhabiliteter")
        constraints = [models.UniqueConstraint(fields=["user", "person"], name="one_recusal_per_pair")]


class CaseloadNorm(models.Model):
    """How many citizens one worker can carry, for a team or for a role (a function): the manager sees each worker
    against it. Seed 002 names 32 (psychiatry and substance misuse) and 45 (handicap) per caseworker in Egedal and 25
    young people per caseworker in Gribskov; each municipality sets its own, below DS's guideline (seed 002, L435-437)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="norms",
                             verbose_name=_("team"))
    role = models.CharField(_("funktion"), max_length=32, choices=Role.choices, blank=True)
    max_citizens = models.PositiveSmallIntegerField(_("højst borgere pr. medarbejder"))
    note = models.CharField(_("kilde eller bemærkning"), max_length=200, blank=True)

    class Meta:
        ordering = ["team__name", "role"]
        verbose_name = _("sagstal (norm)")
        verbose_name_plural = _("sagstal (normer)")
        constraints = [
            models.CheckConstraint(condition=models.Q(team__isnull=False) | ~models.Q(role=""),
                                   name="norm_for_team_or_role"),
            models.UniqueConstraint(fields=["team", "role"], name="one_norm_per_team_and_role"),
        ]

    def __str__(self) -> str:
        return f"{self.team or self.get_role_display()}: {self.max_citizens}"


def norm_for(user, teams: set[int], norms: list[CaseloadNorm]) -> CaseloadNorm | None:
    """The norm that applies to a user on `teams`: for the team and the role, then the team, then the role."""
    for match in (lambda n: n.team_id in teams and n.role == user.role, lambda n: n.team_id in teams and not n.role,
                  lambda n: n.team_id is None and n.role == user.role):
        found = next((n for n in norms if match(n)), None)
        if found is not None:
            return found
    return None


class OnCallShift(models.Model):
    """One shift on a 24/7 team's on-call roster (vagtplan): who answers the on-call phone from when to when. The
    team's manager keeps it; the on-call page shows who is on call now."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="on_call_shifts", verbose_name=_("team"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts",
                             verbose_name=_("medarbejder"))
    starts_at = models.DateTimeField(_("fra"))
    ends_at = models.DateTimeField(_("til"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("vagt")
        verbose_name_plural = _("vagtplan")
        indexes = [models.Index(fields=["team", "starts_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%d.%m.%Y %H:%M}–{self.ends_at:%d.%m.%Y %H:%M}"


class Method(models.Model):
    """A method or approach staff can be trained in (FIT, MI, Åben Dialog, REM, …): data, kept in the admin."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    certified = models.BooleanField(_("kræver certificering"), default=False,
                                    help_text=_("Metoden har en certificering med dato og eventuelt udløb."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("metode")
        verbose_name_plural = _("metoder")

    def __str__(self) -> str:
        return self.name


class WorkerProfile(models.Model):
    """What a citizen may wish for when matched with a worker, besides methods: gender and languages."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Kvinde")
        MALE = "male", _("Mand")
        OTHER = "other", _("Andet")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    gender = models.CharField(_("køn"), max_length=8, choices=Gender.choices, blank=True)
    languages = models.CharField(_("sprog"), max_length=120, blank=True,
                                 help_text=_("Sprog ud over dansk, adskilt med komma."))

    class Meta:
        verbose_name = _("medarbejderprofil")
        verbose_name_plural = _("medarbejderprofiler")

    def language_list(self) -> list[str]:
        return [x.strip().lower() for x in self.languages.split(",") if x.strip()]


class Competence(models.Model):
    """A worker's competence in a method: trained or certified on a date, with an expiry where the certification
    runs out (the competence register)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competences",
                             verbose_name=_("medarbejder"))
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="competences", verbose_name=_("metode"))
    certified_on = models.DateField(_("uddannet/certificeret"))
    expires_on = models.DateField(_("udløber"), null=True, blank=True)
    note = models.CharField(_("bemærkning"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["method__name", "-certified_on"]
        verbose_name = _("kompetence")
        verbose_name_plural = _("kompetencer")
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__isnull=True)
                                   | models.Q(expires_on__gt=models.F("certified_on")),
                                   name="competence_expires_after_certification"),
            models.UniqueConstraint(fields=["user", "method", "certified_on"], name="one_competence_per_date"),
        ]

    def valid_on(self, day) -> bool:
        return self.certified_on <= day and (self.expires_on is None or self.expires_on >= day)
