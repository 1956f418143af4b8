from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.citizen_data import about_citizen, shared_name

from .kinds import MEANING, KindMeaning, kinds_where


@shared_name()
class LegalBasis(models.Model):
    """An editable list of legal bases (SEL §82a, §82b, §85, …)."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


@shared_name()
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
    front_door = models.BooleanField(_("del af indgangen"), default=False,
                                     help_text=_("Forløb i indgangen tæller med, når omgåelse af indgangen beregnes."))
    requires_grant = models.BooleanField(_("kræver bevilling fra myndighed"), default=False)
    hard_limit = models.BooleanField(
        _("tidsgrænsen er lovbestemt"), default=False,
        help_text=_("Aktiviteter efter grænsen afvises, medmindre forløbet er forlænget (fx § 82b: 6 måneder)."))
    extension_notice_months = models.PositiveSmallIntegerField(
        _("tilbyd forlængelse fra måned"), null=True, blank=True,
        help_text=_("Fra denne måned viser arbejdslisten forlængelse eller overgang til et gruppeforløb."))
    extension_min_months = models.PositiveSmallIntegerField(_("forlængelse mindst (måneder)"), null=True, blank=True)
    extension_max_months = models.PositiveSmallIntegerField(_("forlængelse højst (måneder)"), null=True, blank=True)
    status_note_months = models.JSONField(_("statusnotat efter (måneder)"), default=list, blank=True,
                                          help_text=_("Fx [2.5, 5] for statusnotater efter 2½ og 5 måneder."))
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def meaning(self) -> KindMeaning:
        """What the offer's kind means to the services (courses/kinds.py)."""
        return MEANING[self.kind]


class Destination(models.TextChoices):
    NO_FURTHER_HELP = "no_further_help", _("Ingen yderligere hjælp")
    CIVIL_SOCIETY = "civil_society", _("Fortsætter i civilsamfund/frivillighed")
    AUTHORITY = "authority", _("Overdraget til myndighed")
    OUTREACH = "outreach", _("Opfølgning ved opsøgende medarbejder")
    DROPPED_OUT = "dropped_out", _("Udeblevet/afbrudt")
    MOVED = "moved", _("Fraflyttet")
    OTHER = "other", _("Andet")
    GROUP_ENDED = "group_ended", _("Holdet sluttede")


class HoursPackage(models.TextChoices):
    UNDER_3 = "<3", _("Under 3 timer/uge")
    FROM_3_TO_6 = "3-6", _("3-6 timer/uge")
    FROM_6_TO_20 = "6-20", _("6-20 timer/uge")


@shared_name()
class GroupRun(models.Model):
    """A group course (hold): a theme, planned sessions, capacity and facilitators."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="groups", verbose_name=_("tilbud"),
                              limit_choices_to={"kind__in": kinds_where("in_groups")})
    theme = models.CharField(_("tema"), max_length=200)
    start = models.DateField(_("første gang"))
    planned_sessions = models.PositiveSmallIntegerField(_("planlagte gange"), default=8)
    session_hours = models.DecimalField(_("timer pr. gang"), max_digits=4, decimal_places=2, default=2)
    capacity = models.PositiveSmallIntegerField(_("pladser"), default=8)
    location = models.CharField(_("sted"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilitated_groups",
                                          verbose_name=_("facilitatorer"))
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="groups")
    capacity_override_reason = models.CharField(max_length=500, blank=True)
    continues_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continuations",
                                       verbose_name=_("fortsætter holdet"))
    ended_on = models.DateField(_("sluttede"), null=True, blank=True,
                                help_text=_("Dagen for holdets sidste gang, når de planlagte gange er holdt, eller den dag "
                                            "holdet blev afsluttet. Tilmeldingerne lukker samme dag."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "theme"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="group_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.theme} ({self.start:%d.%m.%Y})"


class GroupSession(models.Model):
    """One meeting of a group; the attendance register hangs off it."""

    group = models.ForeignKey(GroupRun, on_delete=models.PROTECT, related_name="sessions")
    on = models.DateField(_("dato"))
    hours = models.DecimalField(_("varighed (timer)"), max_digits=4, decimal_places=2)
    few_facilitators_reason = models.CharField(_("begrundelse for færre facilitatorer"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "on"], name="one_session_per_group_day"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="session_hours_positive"),
        ]


@about_citizen()
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
    hours_package = models.CharField(_("timepakke"), max_length=16, choices=HoursPackage.choices, blank=True)
    step_down_on = models.DateField(_("planlagt nedtrapning"), null=True, blank=True)
    step_down_to = models.CharField(_("nedtrappes til"), max_length=16, choices=HoursPackage.choices, blank=True)
    group = models.ForeignKey(GroupRun, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments",
                              verbose_name=_("hold"))
    cap_override_reason = models.CharField(_("begrundelse for at gå over loft"), max_length=500, blank=True)
    close_due_on = models.DateField(_("skal afsluttes senest"), null=True, blank=True,
                                    help_text=_("Sat af en beslutning (sagsdrøftelse, bevilling): forløbet er på vej "
                                                "videre, og arbejdslisten viser kun afslutningen."))
    close_to = models.CharField(_("afsluttes til"), max_length=20, choices=Destination.choices, blank=True)
    close_because = models.CharField(_("fordi"), max_length=200, blank=True)
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
                fields=["person", "offer"], condition=models.Q(status="active", group__isnull=True),
                name="one_active_course_per_offer",
            ),
            models.UniqueConstraint(fields=["person", "group"], name="enrolled_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.start:%d.%m.%Y})"


class PackageChange(models.Model):
    """The history of a bostøtte hours package: start, step-downs and step-ups."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="package_changes")
    on = models.DateField()
    from_package = models.CharField(max_length=16, choices=HoursPackage.choices, blank=True)
    to_package = models.CharField(max_length=16, choices=HoursPackage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["on", "pk"]


class AssessmentOutcome(models.TextChoices):
    COURSE_OFFERED = "course_offered", _("Tilbudt forløb")
    AD_HOC = "ad_hoc", _("Ad hoc-hjælp")
    AUTHORITY = "authority", _("Henvist til myndighed")
    NO_NEED = "no_need", _("Intet behov")


class Channel(models.TextChoices):
    """Where or how an activity took place. Remote sessions are recorded by their channel."""

    FRONT_DOOR = "front_door", _("I indgangen")
    OFFICE = "office", _("På kontoret")
    HOME = "home", _("I hjemmet")
    WALK = "walk", _("Gåtur")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")
    SMS = "sms", _("SMS")
    DROP_IN = "drop_in", _("Drop-in")
    GROUP_ROOM = "group_room", _("Gruppelokale")


@about_citizen()
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
        ON_CALL_CONTACT = "on_call_contact", _("Vagtkontakt")
        HEALTH_ESCORT = "health_escort", _("Ledsagelse til sundhedsaftale")
        RELATIVE_ADVICE = "relative_advice", _("Pårørenderådgivning")
        JOINT_SESSION = "joint_session", _("Fællessamtale med pårørende")
        AFTER_CARE_VISIT = "after_care_visit", _("Efterværnsbesøg")
        ON_DEMAND_SESSION = "on_demand_session", _("Klip (samtale efter behov)")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Mødt")
        CANCELLED = "cancelled", _("Aflyst")
        NO_SHOW = "no_show", _("Udeblevet")

    # The foreign keys lead composite indexes below, which serve their lookups; single-column ones would only slow writes.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="activities", db_index=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
                               db_index=False)
    kind = models.CharField(_("aktivitet"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("dato"))
    delivered_hours = models.DecimalField(_("leverede timer"), max_digits=5, decimal_places=2, default=0)
    attendance = models.CharField(_("fremmøde"), max_length=10, choices=Attendance.choices, default=Attendance.ATTENDED)
    channel = models.CharField(_("kanal/sted"), max_length=20, choices=Channel.choices, blank=True)
    topic = models.CharField(_("emne"), max_length=100, blank=True)
    outcome = models.CharField(_("vurdering"), max_length=20, choices=AssessmentOutcome.choices, blank=True)
    over_plan_reason = models.CharField(_("begrundelse for flere samtaler end tilbuddet regner med"), max_length=500,
                                        blank=True)
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance",
                                db_index=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    relative = models.ForeignKey("people.NetworkPerson", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="activities", verbose_name=_("pårørende"),
                                 help_text=_("Den pårørende fra borgerens netværk, som en pårørenderådgivning eller en "
                                             "fællessamtale var med (decision 0051)."))

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["person", "on"]), models.Index(fields=["course", "kind"]),
                   models.Index(fields=["attendance", "on"], include=["kind", "person", "course", "delivered_hours"],
                                name="activity_delivered")]
        constraints = [
            models.CheckConstraint(condition=models.Q(delivered_hours__gte=0), name="activity_hours_positive"),
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_session"),
        ]


class StaffTime(models.Model):
    """Hours a staff member spent, on one citizen's activity or on a whole group session.

    Staff hours differ from delivered hours: three facilitators for two hours
    are six staff hours, while each participant receives two.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_time")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_time")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="one_staff_time_per_user"),
            models.UniqueConstraint(fields=["session", "user"], name="one_staff_time_per_session_user"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="staff_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(activity__isnull=True, session__isnull=False)
                | models.Q(activity__isnull=False, session__isnull=True),
                name="staff_time_on_activity_or_session",
            ),
        ]


@about_citizen(citizen="course__person", on_overview=False)
class WorkItemNote(models.Model):
    """A worklist item put off with a reason, or handed to a colleague. The item is the course's deadline of a kind due
    on a day; when the deadline moves (a new measurement, say), the note no longer applies."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="work_notes")
    kind = models.CharField(max_length=20)
    due = models.DateField()
    snoozed_until = models.DateField(_("udsat til"), null=True, blank=True)
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("givet til"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "kind", "due"], name="one_note_per_work_item"),
            models.CheckConstraint(condition=models.Q(snoozed_until__isnull=False) | models.Q(assigned_to__isnull=False),
                                   name="work_note_snoozes_or_assigns"),
        ]


@about_citizen(citizen="course__person", on_overview=False, free_text={"reason": ""})
class CourseExtension(models.Model):
    """A time-limited course extended in a special case (seed 001: 3-6 months more, with a reason)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(_("forlænges med (måneder)"))
    reason = models.CharField(_("begrundelse"), max_length=500)
    decided_on = models.DateField(_("dato"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(months__gte=1, months__lte=12),
                                              name="extension_months_sane")]


@about_citizen(citizen="course__person", on_overview=False, free_text={"text": ""})
class StatusNote(models.Model):
    """A status note on a course at the times its offer asks for one (seed 003: § 82b at 2½ and 5 months)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="status_notes")
    on = models.DateField(_("dato"))
    text = models.TextField(_("status"), max_length=3000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["on", "pk"]


@about_citizen(citizen="course__person", on_overview=False,
               free_text={"what_helped": "", "community": "", "call_name": "", "call_phone": ""})
class Ending(models.Model):
    """The ending record (afslutningsnotat) of a closed course, written in the closing step (decision 0052): what
    helped in the citizen's own words, the coping plan checked, the community offers the citizen goes on with and whom
    to call; the after-care visit (efterværnsbesøg) it schedules and the klippekort it grants."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="ending")
    on = models.DateField(_("afsluttet"))
    what_helped = models.TextField(_("hvad hjalp (med borgerens egne ord)"), max_length=2000)
    coping_plan_checked = models.BooleanField(_("mestringsplanen er gennemgået"), default=False)
    coping_plan_checked_on = models.DateField(_("mestringsplanen gennemgået den"), null=True, blank=True)
    community = models.TextField(_("fællesskaber borgeren fortsætter i"), max_length=1000, blank=True,
                                 help_text=_("Ét pr. linje."))
    call_name = models.CharField(_("hvem kan borgeren ringe til"), max_length=200, blank=True)
    call_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    after_care_on = models.DateField(_("efterværnsbesøg"), null=True, blank=True)
    klip_granted = models.PositiveSmallIntegerField(_("klip på klippekortet"), default=0)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(klip_granted__lte=10), name="ending_klip_sane"),
            models.CheckConstraint(condition=models.Q(after_care_on__isnull=True) | models.Q(after_care_on__gt=models.F("on")),
                                   name="ending_after_care_after_end"),
        ]

    def community_list(self) -> list[str]:
        return [line.strip() for line in self.community.splitlines() if line.strip()]
