from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.Model):
    """An editable list of legal bases (SEL §82a, §82b, §85, …)."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Offer(models.Model):
    """An offer (tilbud) in the catalogue. Its rules are data, never code branches."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Individuelt forløb")
        GROUP = "group", _("Gruppeforløb")
        BOSTOTTE = "bostotte", _("Bostøtte")
        OPEN = "open", _("Åbent tilbud")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.COURSE)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, verbose_name=_("lovgrundlag"))
    target_group = models.CharField(_("målgruppe"), max_length=300, blank=True)
    max_weeks = models.PositiveSmallIntegerField(_("maks. varighed i uger"), null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(_("maks. varighed i måneder"), null=True, blank=True)
    first_follow_up_weeks = models.PositiveSmallIntegerField(_("første opfølgning senest (uger)"), null=True, blank=True)
    assessment_weeks = models.PositiveSmallIntegerField(_("behovsvurdering senest (uger)"), null=True, blank=True)
    max_municipal_offers = models.PositiveSmallIntegerField(_("maks. kommunale tilbud pr. borger"), null=True, blank=True)
    max_coaching_sessions = models.PositiveSmallIntegerField(_("ca. antal coachende samtaler"), null=True, blank=True)
    group_capacity = models.PositiveSmallIntegerField(_("maks. deltagere pr. hold"), null=True, blank=True)
    group_facilitators = models.PositiveSmallIntegerField(_("facilitatorer pr. hold"), null=True, blank=True)
    anonymous_allowed = models.BooleanField(_("anonym deltagelse tilladt"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Destination(models.TextChoices):
    NO_FURTHER_HELP = "no_further_help", _("Ingen yderligere hjælp")
    CIVIL_SOCIETY = "civil_society", _("Fortsætter i civilsamfund/frivillighed")
    AUTHORITY = "authority", _("Overdraget til myndighed")
    OUTREACH = "outreach", _("Opfølgning ved opsøgende medarbejder")
    DROPPED_OUT = "dropped_out", _("Udeblevet/afbrudt")
    MOVED = "moved", _("Fraflyttet")
    OTHER = "other", _("Andet")


class Course(models.Model):
    """A course or episode (forløb) for one citizen on one offer."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktivt")
        CLOSED = "closed", _("Afsluttet")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="courses")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="courses", verbose_name=_("tilbud"))
    start = models.DateField(_("start"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("afsluttet"), null=True, blank=True)
    destination = models.CharField(_("afslutning til"), max_length=20, choices=Destination.choices, blank=True)
    closing_note = models.CharField(_("bemærkning"), max_length=500, blank=True)
    kickoff_on = models.DateField(_("kick off-møde"), null=True, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="returns",
                                 verbose_name=_("tidligere forløb (genhenvendelse)"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="courses", verbose_name=_("ansvarlig"))
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="courses")
    hours_package = models.CharField(_("timepakke"), max_length=16, blank=True)
    cap_override_reason = models.CharField(_("begrundelse for at gå over loft"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("start")),
                name="course_closed_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | ~models.Q(destination=""),
                name="course_closed_has_destination",
            ),
            models.UniqueConstraint(
                fields=["person", "offer"], condition=models.Q(status="active"), name="one_active_course_per_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.start:%d.%m.%Y})"


class Activity(models.Model):
    """Something done with or for a citizen: a conversation, ad hoc help, a session, a follow-up."""

    class Kind(models.TextChoices):
        GUIDE_CONVERSATION = "guide_conversation", _("Guidesamtale")
        AD_HOC = "ad_hoc", _("Ad hoc-hjælp")
        COACHING = "coaching", _("Coachende samtale")
        FOLLOW_UP = "follow_up", _("Opfølgende samtale")
        ASSESSMENT = "assessment", _("Vurdering af fremtidigt behov")
        GROUP_SESSION = "group_session", _("Gruppegang")
        HOME_VISIT = "home_visit", _("Hjemmebesøg")
        BOSTOTTE_CONTACT = "bostotte_contact", _("Bostøttekontakt")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Mødt")
        CANCELLED = "cancelled", _("Aflyst")
        NO_SHOW = "no_show", _("Udeblevet")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="activities")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="activities")
    kind = models.CharField(_("aktivitet"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("dato"))
    delivered_hours = models.DecimalField(_("leverede timer"), max_digits=5, decimal_places=2, default=0)
    attendance = models.CharField(_("fremmøde"), max_length=10, choices=Attendance.choices, default=Attendance.ATTENDED)
    channel = models.CharField(_("kanal/sted"), max_length=20, blank=True)
    topic = models.CharField(_("emne"), max_length=100, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["person", "on"]), models.Index(fields=["course", "kind"])]
        constraints = [models.CheckConstraint(condition=models.Q(delivered_hours__gte=0), name="activity_hours_positive")]


class StaffTime(models.Model):
    """The hours a staff member spent on an activity (may differ from the hours delivered)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="staff_time")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="one_staff_time_per_user"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="staff_hours_positive"),
        ]
