"""Hand-over to the authority, case conferences, rights, and grants with FFB goals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.roles import Role
from traedesten.core.citizen_data import about_citizen

LEVEL_RANGE = Q(expected_level__gte=0, expected_level__lte=4)


HANDOVER_TEXT = ("reason", "duration", "worked_on", "dream", "future_goal", "benefit", "agreements")
"""The hand-over's texts in the citizen's and the worker's words."""


@about_citizen(free_text={**dict.fromkeys(HANDOVER_TEXT, ""), "themes": {}})
class Handover(models.Model):
    """Overdragelsesskema: what the front door passes to the authority, shared only with the citizen's consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        SENT = "sent", _("Sendt")
        RECEIVED = "received", _("Modtaget")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="handovers")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="handovers")
    sender = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, related_name="+")
    recipient = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("modtager"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("Det fik mig til at søge støtte"), max_length=3000, blank=True)
    duration = models.CharField(_("Forløbets varighed"), max_length=200, blank=True)
    worked_on = models.TextField(_("Det har vi arbejdet med, og sådan"), max_length=3000, blank=True)
    dream = models.TextField(_("Drømmen for fremtiden"), max_length=2000, blank=True)
    future_goal = models.TextField(_("Målet med en eventuel fremtidig støtte"), max_length=2000, blank=True)
    benefit = models.TextField(_("Det har borgeren fået ud af forløbet"), max_length=2000, blank=True)
    themes = models.JSONField(default=dict, blank=True)
    agreements = models.TextField(_("Aftaler for overdragelsen"), max_length=2000, blank=True)
    consent = models.ForeignKey("people.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("overdragelse")
        verbose_name_plural = _("overdragelser")
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(consent__isnull=False, sent_at__isnull=False),
                                   name="handover_sent_with_consent"),
            models.CheckConstraint(condition=~Q(status="received") | Q(received_at__isnull=False),
                                   name="handover_received_has_time"),
            models.UniqueConstraint(fields=["person"], condition=Q(status="draft"), name="one_draft_handover_per_person"),
        ]


class CaseConference(models.Model):
    """Sagsdrøftelse, e.g. the Friday meeting with the head of the authority unit."""

    held_on = models.DateField(_("dato"))
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("team"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("mødeleder"))
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("deltagere"))
    guests = models.CharField(_("andre deltagere"), max_length=300, blank=True)
    minutes = models.TextField(_("referat"), max_length=5000, blank=True)
    closed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("sagsdrøftelse")
        verbose_name_plural = _("sagsdrøftelser")


@about_citizen(on_overview=False)
class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("Ny borger")
        MOVE_ON = "move_on", _("Afslutning eller videre")
        OTHER = "other", _("Andet")

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Fortsætter")
        CLOSE = "close", _("Afsluttes")
        HANDOVER = "handover", _("Overdrages til myndighed")
        AUTHORITY = "authority", _("Direkte til myndighed")

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    decision = models.CharField(_("beslutning"), max_length=10, choices=Decision.choices, blank=True)
    note = models.CharField(_("bemærkning"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["conference", "person"], name="one_agenda_item_per_person")]


@about_citizen(on_overview=False)
class RightsNotice(models.Model):
    """The citizen was told they may apply formally to the authority, and may come back later."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="rights_notices")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    informed_on = models.DateField(_("dato"))
    may_apply = models.BooleanField(_("kan søge myndigheden formelt"), default=True)
    may_return = models.BooleanField(_("kan komme igen senere"), default=True)
    informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-informed_on", "-pk"]


@about_citizen()
class AssessmentRequest(models.Model):
    """A citizen's request for an assessment by the authority, tracked until it is answered."""

    class Answer(models.TextChoices):
        ASSESSMENT_STARTED = "started", _("Sagsbehandling påbegyndt")
        GRANTED = "granted", _("Bevilget")
        REFUSED = "refused", _("Afslag")
        WITHDRAWN = "withdrawn", _("Trukket tilbage af borgeren")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessment_requests")
    requested_on = models.DateField(_("anmodet"))
    note = models.CharField(_("hvad borgeren beder om"), max_length=500, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_on = models.DateField(_("besvaret"), null=True, blank=True)
    answer = models.CharField(_("svar"), max_length=10, choices=Answer.choices, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(answered_on__isnull=True, answer="") | Q(answered_on__isnull=False) & ~Q(answer=""),
                                   name="request_answer_with_date"),
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("requested_on")),
                                   name="request_answered_after_request"),
        ]


class GrantStatus(models.TextChoices):
    DECIDED = "decided", _("Bevilget")
    AWAITING = "awaiting", _("Afventer godkendelse")
    REJECTED = "rejected", _("Afvist af lederen")


class Competence(models.TextChoices):
    """What a decision was taken under (decision 0058)."""

    DEPARTMENT = "department", _("Afdelingens almindelige kompetence")
    MANDATE = "mandate", _("Bevillingskompetence")
    APPROVAL = "approval", _("Leders godkendelse")


class DecisionMandate(models.Model):
    """Bevillingskompetence (decision 0058): who may decide what, as data. Held by a department, a role or a named
    person; covers one service or legal basis (e.g. SEL § 85), with limits in hours per week and/or an amount per year,
    for a period. A mandate held outside a department that decides grants works only for a citizen exempt from
    sector-divided organisation (seed 004 §2.5, exemption 2)."""

    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="mandates", verbose_name=_("afdeling"))
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="mandates", verbose_name=_("navngiven medarbejder"))
    legal_basis = models.CharField(_("ydelse eller lovgrundlag"), max_length=40, help_text=_("Fx SEL § 85."))
    max_hours_per_week = models.DecimalField(_("højst timer pr. uge"), max_digits=5, decimal_places=2, null=True,
                                             blank=True)
    max_amount_per_year = models.DecimalField(_("højst beløb pr. år (kr.)"), max_digits=10, decimal_places=2,
                                              null=True, blank=True)
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til og med"), null=True, blank=True)
    note = models.CharField(_("kilde eller bemærkning"), max_length=200, blank=True)

    class Meta:
        ordering = ["legal_basis", "pk"]
        verbose_name = _("bevillingskompetence")
        verbose_name_plural = _("bevillingskompetencer")
        constraints = [
            models.CheckConstraint(condition=Q(department__isnull=False) | ~Q(role="") | Q(user__isnull=False),
                                   name="mandate_has_holder"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="mandate_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        holder = self.user or self.department or self.get_role_display()
        return f"{self.legal_basis} ({holder})"


@about_citizen()
class Grant(models.Model):
    """Bevilling: the authority's decision on a service, with FFB codes, an hours package and goals."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="grants")
    handover = models.ForeignKey(Handover, on_delete=models.SET_NULL, null=True, blank=True, related_name="grants")
    case_number = models.CharField(_("sagsnummer"), max_length=40)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=40)
    service_code = models.CharField(_("ydelse (FFB)"), max_length=36)
    offer_type_code = models.CharField(_("tilbud (FFB)"), max_length=36)
    target_groups = models.JSONField(_("målgrupper (FFB)"), default=list)
    support_need_code = models.CharField(_("støttebehov (FFB)"), max_length=36)
    hours_per_week = models.DecimalField(_("timer pr. uge"), max_digits=5, decimal_places=2, null=True, blank=True)
    provider_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="provided_grants", verbose_name=_("leverandør (team)"),
                                      help_text=_("Teamet, der leverer ydelsen. Bevillingen sendes som en bestilling til "
                                                  "teamet; når teamet har modtaget den, arbejder det med borgeren, "
                                                  "mens bevillingen løber."))
    provider_offer = models.ForeignKey("courses.Offer", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("leverandørens tilbud"),
                                       help_text=_("Tilbuddet, teamet leverer ydelsen i (fx Bostøtte (§85))."))
    decided_on = models.DateField(_("afgørelsesdato"))
    starts_on = models.DateField(_("start"))
    follow_up_on = models.DateField(_("næste opfølgning"), null=True, blank=True,
                                    help_text=_("Tom: borgeren er fritaget for opfølgning efter en fast rytme."))
    amount_per_year = models.DecimalField(_("beløb pr. år (kr.)"), max_digits=10, decimal_places=2, null=True,
                                          blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.DECIDED)
    competence = models.CharField(_("afgjort efter"), max_length=12, choices=Competence.choices,
                                  default=Competence.DEPARTMENT)
    mandate = models.ForeignKey("DecisionMandate", on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
                                verbose_name=_("bevillingskompetence"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("godkendt eller afvist af"))
    approved_on = models.DateField(_("godkendt eller afvist"), null=True, blank=True)
    approval_note = models.CharField(_("begrundelse"), max_length=500, blank=True)
    appeal_informed = models.BooleanField(_("klagevejledning givet"), default=False)
    action_plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("§ 141-handleplan"))
    ended_on = models.DateField(_("afsluttet"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("bevilling")
        verbose_name_plural = _("bevillinger")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__gte=models.F("decided_on")), name="grant_starts_after_decision"),
            models.CheckConstraint(condition=Q(follow_up_on__gt=models.F("starts_on")), name="grant_follow_up_after_start"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                                   name="grant_ends_after_start"),
        ]


class GrantGoal(models.Model):
    """Indsatsmål: tied to exactly one primary FFB condition under "Aktivitet og deltagelse"."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("mål"), max_length=300)
    condition_code = models.CharField(_("primær tilstand (FFB)"), max_length=36)
    baseline_level = models.PositiveSmallIntegerField(_("funktionsevne nu"))
    target_level = models.PositiveSmallIntegerField(_("målsat funktionsevne"))
    goal_type_code = models.CharField(_("måltype (FFB)"), max_length=36)
    plan_goal_id = models.CharField(_("mål i planen"), max_length=16, blank=True,
                                    help_text=_("Id'et på det mål i borgerens plan, indsatsmålet hører under "
                                                "(decision 0060). Tomt for bevillinger fra før."))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(baseline_level__lte=4, target_level__lte=4), name="goal_levels_on_ffb_scale"),
        ]


class GoalExpectation(models.Model):
    """The level the authority expects a goal to have reached at a given follow-up."""

    goal = models.ForeignKey(GrantGoal, on_delete=models.CASCADE, related_name="expectations")
    due_on = models.DateField()
    expected_level = models.PositiveSmallIntegerField(_("forventet funktionsevne"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "due_on"], name="one_expectation_per_follow_up"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="expectation_on_ffb_scale"),
        ]


class ProgressScore(models.Model):
    """The provider's scoring of a goal between follow-ups."""

    goal = models.ForeignKey(GrantGoal, on_delete=models.CASCADE, related_name="scores")
    on = models.DateField(_("dato"))
    level = models.PositiveSmallIntegerField(_("funktionsevne"))
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(level__lte=4), name="score_on_ffb_scale")]


class ProviderSubGoal(models.Model):
    """Delmål written by the provider (udfører) under an intervention goal."""

    goal = models.ForeignKey(GrantGoal, on_delete=models.CASCADE, related_name="sub_goals")
    text = models.CharField(_("delmål"), max_length=300)
    done = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["pk"]


class FollowUp(models.Model):
    """Opfølgning on a grant: its result (FFB status på indsats) and the next date."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField(_("dato"))
    status_code = models.CharField(_("resultat (FFB)"), max_length=36)
    note = models.CharField(_("bemærkning"), max_length=1000, blank=True)
    next_on = models.DateField(_("næste opfølgning"), null=True, blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(next_on__isnull=True) | Q(next_on__gt=models.F("held_on")),
                                              name="next_follow_up_later")]


@about_citizen()
class Order(models.Model):
    """Bestilling: a grant sent to the provider team it names. Accepting it makes the team the citizen's provider for
    the grant's period (the gate's "provider of an active grant"); it ends when the grant ends or names another
    provider. Shaped after KL's draft FFB messaging guide (an order message with a care plan); see docs/authority.md."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sendt til leverandøren")
        ACCEPTED = "accepted", _("Modtaget af leverandøren")
        DECLINED = "declined", _("Afvist af leverandøren")
        WITHDRAWN = "withdrawn", _("Trukket tilbage")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="orders")
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="orders")
    provider_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="orders",
                                      verbose_name=_("leverandør (team)"))
    offer = models.ForeignKey("courses.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("tilbud"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answer_note = models.CharField(_("bemærkning"), max_length=500, blank=True)
    ended_on = models.DateField(_("leverandørforholdet sluttede"), null=True, blank=True)
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("leverandørens forløb"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("bestilling")
        verbose_name_plural = _("bestillinger")
        indexes = [models.Index(fields=["provider_team", "status"]), models.Index(fields=["person", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status="sent") | Q(answered_at__isnull=False),
                                   name="order_answered_has_time"),
            models.UniqueConstraint(fields=["grant"], condition=Q(status__in=["sent", "accepted"], ended_on__isnull=True),
                                    name="one_open_order_per_grant"),
        ]


class FollowUpCadence(models.Model):
    """How often a grant on a legal basis is followed up (seed 002, Egedal: § 85 every 4 months, §§ 103/104 every
    6 months, § 107 at 10-12 weeks and then every 6 months). Editable; suggests each next date."""

    legal_basis = models.CharField(_("lovgrundlag"), max_length=40, unique=True)
    first_weeks = models.PositiveSmallIntegerField(_("første opfølgning efter (uger)"), null=True, blank=True,
                                                   help_text=_("Tom: første opfølgning følger den faste rytme."))
    every_months = models.PositiveSmallIntegerField(_("derefter hver (måneder)"))
    note = models.CharField(_("kilde eller bemærkning"), max_length=200, blank=True)

    class Meta:
        ordering = ["legal_basis"]
        verbose_name = _("opfølgningsrytme")
        verbose_name_plural = _("opfølgningsrytmer")
        constraints = [models.CheckConstraint(condition=Q(every_months__gte=1, every_months__lte=24),
                                              name="cadence_months_sane")]

    def __str__(self) -> str:
        return self.legal_basis


class FollowUpResult(models.Model):
    """Expected against achieved for one goal, as it stood when a follow-up was held: kept with the follow-up."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(GrantGoal, on_delete=models.CASCADE, related_name="results")
    expected_level = models.PositiveSmallIntegerField(null=True, blank=True)
    achieved_level = models.PositiveSmallIntegerField(null=True, blank=True)
    achieved_on = models.DateField(null=True, blank=True)
    verdict = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["follow_up__held_on", "goal_id"]
        constraints = [models.UniqueConstraint(fields=["follow_up", "goal"], name="one_result_per_goal_and_follow_up")]


MATCHING_DAYS = 14
"""A citizen with a new § 85 order is matched with a worker within 14 days of the order (seed 003, theme 10)."""


@about_citizen(free_text={"wish_note": ""})
class Matching(models.Model):
    """Matchning: a citizen waiting to be matched with a worker of the provider team, from a new § 85 order or a
    request for another worker, due 14 days after it. Matching makes the worker responsible on the course."""

    class Reason(models.TextChoices):
        NEW_ORDER = "new_order", _("Ny bestilling")
        CHANGE_REQUEST = "change_request", _("Ønske om anden medarbejder")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Venter på matchning")
        MATCHED = "matched", _("Matchet")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="matchings")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="matchings",
                             verbose_name=_("leverandør (team)"))
    order = models.ForeignKey("Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="matchings")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("årsag"), max_length=16, choices=Reason.choices, default=Reason.NEW_ORDER)
    opened_on = models.DateField(_("bestilt"))
    due_on = models.DateField(_("frist"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    wished_gender = models.CharField(_("ønsket køn"), max_length=8, blank=True,
                                     choices=[("female", _("Kvinde")), ("male", _("Mand"))])
    wished_language = models.CharField(_("ønsket sprog"), max_length=40, blank=True)
    wished_method = models.ForeignKey("accounts.Method", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("ønsket metode"))
    wish_note = models.CharField(_("andre ønsker (kort)"), max_length=200, blank=True)
    previous_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="matchings", verbose_name=_("medarbejder"))
    matched_on = models.DateField(_("matchet"), null=True, blank=True)
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("matchning")
        verbose_name_plural = _("matchninger")
        indexes = [models.Index(fields=["team", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(status="waiting") | Q(worker__isnull=False, matched_on__isnull=False),
                                   name="matched_has_worker"),
            models.UniqueConstraint(fields=["person", "team"], condition=Q(status="waiting"),
                                    name="one_waiting_matching_per_team"),
        ]


@about_citizen(free_text={"reason": ""})
class WorkerChangeRequest(models.Model):
    """The citizen asks for another worker: when, why in the citizen's own words, and what came of it. It puts the
    citizen back in the matching queue."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Afventer matchning")
        NEW_WORKER = "new_worker", _("Ny medarbejder")
        SAME_WORKER = "same_worker", _("Samme medarbejder")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="worker_change_requests")
    requested_on = models.DateField(_("dato"))
    reason = models.CharField(_("borgerens begrundelse"), max_length=500)
    previous_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("nuværende medarbejder"))
    matching = models.OneToOneField(Matching, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="change_request")
    outcome = models.CharField(_("udfald"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("ønske om anden medarbejder")
        verbose_name_plural = _("ønsker om anden medarbejder")


class ProgressionCategory(models.TextChoices):
    """The Én plan evaluation's four case categories (seed 004 §3.4, final sort)."""

    PROGRESSION = "progression", _("Progression")
    PARTIAL = "partial", _("Delvis progression")
    NONE = "none", _("Ingen progression")
    REGRESSION = "regression", _("Regression")


@about_citizen(free_text={"reason": ""})
class CaseProgression(models.Model):
    """The coordinator's case-level assessment at a grant's follow-up or when a course closes. A family is assessed
    per member (one row each, same occasion), so a family case may be split."""

    class Occasion(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Opfølgning")
        CLOSING = "closing", _("Afslutning")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_progressions")
    household = models.ForeignKey("people.Household", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="case_progressions")
    occasion = models.CharField(_("anledning"), max_length=10, choices=Occasion.choices)
    follow_up = models.ForeignKey(FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="progressions")
    course = models.ForeignKey("courses.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cluster = models.CharField(_("klynge"), max_length=8, blank=True)
    """The cluster on the day of the assessment (family when assessed as a family member), kept for the report."""
    assessed_on = models.DateField(_("dato"))
    category = models.CharField(_("kategori"), max_length=12, choices=ProgressionCategory.choices)
    reason = models.CharField(_("kort begrundelse"), max_length=500)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "pk"]


@about_citizen(free_text={"summary": "", "outcome_note": "", "other_decision": ""})
class Complaint(models.Model):
    """A complaint (klage) from or for a citizen: received, answered by a deadline, with its outcome (seed 004 §3.6)."""

    class Channel(models.TextChoices):
        WRITTEN = "written", _("Skriftlig klage til kommunen")
        APPEALS_BOARD = "ankestyrelsen", _("Klage til Ankestyrelsen")
        MAYOR = "mayor", _("Borgmesterklage")

    class Kind(models.TextChoices):
        DECISION = "decision", _("Uenig i en afgørelse")
        HANDLING = "handling", _("Sagsbehandlingen (fx lang svartid)")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Afgørelsen fastholdt")
        CHANGED = "changed", _("Afgørelsen ændret")
        SENT_ON = "sent_on", _("Sendt videre til Ankestyrelsen")
        WITHDRAWN = "withdrawn", _("Trukket tilbage")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField(_("modtaget"))
    channel = models.CharField(_("kanal"), max_length=14, choices=Channel.choices)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    grant = models.ForeignKey(Grant, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints",
                              verbose_name=_("afgørelsen der klages over"))
    other_decision = models.CharField(_("anden afgørelse (kort)"), max_length=200, blank=True)
    summary = models.CharField(_("hvad klagen handler om"), max_length=1000, blank=True)
    due_on = models.DateField(_("svarfrist"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="complaints_responsible", verbose_name=_("ansvarlig"))
    related_to_experiment = models.BooleanField(_("vedrører forsøget"), default=False)
    outcome = models.CharField(_("udfald"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("udfaldsdato"), null=True, blank=True)
    outcome_note = models.CharField(_("bemærkning til udfaldet"), max_length=500, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="complaint_due_after_received"),
            models.CheckConstraint(condition=(Q(outcome="") & Q(outcome_on__isnull=True))
                                   | (~Q(outcome="") & Q(outcome_on__gte=models.F("received_on"))),
                                   name="complaint_outcome_with_date"),
        ]
