from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from traedesten.core.citizen_data import about_citizen

from .cpr import CPR


class Sex(models.TextChoices):
    FEMALE = "female", _("Kvinde")
    MALE = "male", _("Mand")
    UNKNOWN = "unknown", _("Ukendt")


class Cluster(models.TextChoices):
    """The Én plan experiment's three clusters (klynger, seed 004): who a holistic course is organised around."""

    FAMILY = "family", _("Familie")
    ADULT = "adult", _("Voksen")
    YOUTH = "youth", _("Unge")


class ContactWish(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    NONE = "none", _("Ingen")


@about_citizen(citizen="")
class Person(models.Model):
    """A citizen (borger). CPR is optional; pseudonymous persons are first-class."""

    cpr = models.CharField(_("CPR-nummer"), max_length=10, null=True, blank=True, unique=True)
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    birth_date = models.DateField(_("fødselsdato"), null=True, blank=True, db_index=True)
    approx_birth_year = models.PositiveSmallIntegerField(_("anslået fødselsår"), null=True, blank=True)
    sex = models.CharField(_("køn"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    contact_wish = models.CharField(
        _("ønsker kontakt via"), max_length=8, choices=ContactWish.choices, default=ContactWish.NONE
    )
    is_pseudonymous = models.BooleanField(_("pseudonym"), default=False)
    cluster = models.CharField(_("klynge"), max_length=8, choices=Cluster.choices, blank=True)
    sub_target_group = models.CharField(_("målgruppe i klyngen"), max_length=60, blank=True,
                                        help_text=_("Fx »hjerneskade« eller »rusmiddel« i voksenklyngen."))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    search_name = models.CharField(max_length=201, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_pseudonymous=True) | ~models.Q(first_name="", last_name=""),
                name="person_named_or_pseudonymous",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.search_name = f"{self.first_name} {self.last_name}".strip().lower()
        super().save(*args, **kwargs)

    @property
    def cpr_value(self) -> CPR | None:
        return CPR(self.cpr) if self.cpr else None

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None

    def age(self, on=None) -> int | None:
        on = on or timezone.localdate()
        if self.birth_date:
            b = self.birth_date
            return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        if self.approx_birth_year:
            return on.year - self.approx_birth_year
        return None

    @property
    def display_name(self) -> str:
        if self.is_pseudonymous and not (self.first_name or self.last_name):
            return self.pseudonym_label
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def pseudonym_label(self) -> str:
        parts = [gettext("Anonym")]
        if self.sex == Sex.MALE:
            parts.append(gettext("mand"))
        elif self.sex == Sex.FEMALE:
            parts.append(gettext("kvinde"))
        age = self.age()
        if age is not None:
            parts.append(gettext("ca. %(age)s år") % {"age": round(age / 5) * 5 if age >= 20 else age})
        return ", ".join(parts)


class Household(models.Model):
    """A family (husstand) in a holistic course: persons linked, one coordinator, one shared direction. Each member
    keeps their own plan as the family plan's sub-plan, shared by that member's own consent."""

    name = models.CharField(_("familiens navn"), max_length=120)
    cluster = models.CharField(_("klynge"), max_length=8, choices=Cluster.choices, default=Cluster.FAMILY)
    sub_target_group = models.CharField(_("målgruppe i klyngen"), max_length=60, blank=True)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="coordinated_households", verbose_name=_("koordinator"))
    direction = models.CharField(_("familiens fælles retning"), max_length=1000, blank=True)
    started_on = models.DateField(_("startede"))
    ended_on = models.DateField(_("sluttede"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("familie")
        verbose_name_plural = _("familier")

    def __str__(self) -> str:
        return self.name


class HouseholdRole(models.TextChoices):
    ADULT = "adult", _("Voksen")
    YOUNG = "young", _("Ung")
    CHILD = "child", _("Barn")


@about_citizen(subject_access="traedesten.people.families.subject_access",
              forget="traedesten.people.families.forget")
class HouseholdMember(models.Model):
    """A person's membership of a family, from a day until a day. The family's name and shared direction are personal
    data of its members: they join each member's subject-access export and go with the last member (families.forget)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="households")
    role = models.CharField(_("rolle i familien"), max_length=8, choices=HouseholdRole.choices)
    joined_on = models.DateField(_("med fra"))
    left_on = models.DateField(_("med til"), null=True, blank=True)

    class Meta:
        ordering = ["household", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="one_membership_per_household"),
            models.CheckConstraint(condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                                   name="membership_ends_after_it_starts"),
        ]


class Relation(models.TextChoices):
    PARENT = "parent", _("Forælder")
    CHILD = "child", _("Barn")
    PARTNER = "partner", _("Partner/ægtefælle")
    SIBLING = "sibling", _("Søskende")
    OTHER_FAMILY = "family", _("Anden familie")
    FRIEND = "friend", _("Ven")
    NEIGHBOUR = "neighbour", _("Nabo")
    PROFESSIONAL = "professional", _("Fagperson")
    GUARDIAN = "guardian", _("Værge")
    OTHER = "other", _("Andet")


@about_citizen()
class NetworkPerson(models.Model):
    """Someone in a citizen's network: relative, friend or professional."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    closeness = models.PositiveSmallIntegerField(
        _("nærhed"), default=2, help_text=_("1 = tættest, 3 = fjernest, som borgeren selv angiver")
    )
    is_next_of_kin = models.BooleanField(_("nærmeste pårørende"), default=False)
    note = models.CharField(_("rolle for borgeren"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["closeness", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closeness__gte=1, closeness__lte=3), name="network_closeness_1_3")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class ConsentScope(models.TextChoices):
    """The parts of a citizen's data a consent can cover."""

    STORY = "story", _("Borgerens egen fortælling og drømme")
    GOALS = "goals", _("Mål og trædesten")
    ACTIONS = "actions", _("Handlinger og ansvarlige")
    NETWORK = "network", _("Netværk og pårørende")
    COPING = "coping", _("Mestringsplan og akutark")
    HEALTH = "health", _("Sundhed: egen læge, medicin og helbredstjek")
    MEASURES = "measures", _("Målinger")
    COURSES = "courses", _("Forløb og aktiviteter")
    CONTACTS = "contacts", _("Henvendelser")
    NOTES = "notes", _("Journalnotater (ikke de følsomme)")
    DOCUMENTS = "documents", _("Dokumenter og breve")
    HANDOVER = "handover", _("Overdragelse til myndighed")


@about_citizen()
class Consent(models.Model):
    """A citizen's consent to share data with a department or organisation, for a purpose, for a time."""

    class Form(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        ORAL = "oral", _("Mundtligt")
        MIN_SIDE = "min_side", _("Digitalt på Min side (MitID)")

    class GivenBy(models.TextChoices):
        CITIZEN = "citizen", _("Borgeren")
        GUARDIAN = "guardian", _("Værge")

    class External(models.TextChoices):
        """A recipient outside the municipality: no user belongs to it, so the gate never opens anything by it."""

        GP = "gp", _("Borgerens egen læge")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    recipient = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="consents",
                                  verbose_name=_("modtager"), null=True, blank=True)
    external = models.CharField(_("ekstern modtager"), max_length=8, choices=External.choices, blank=True,
                                help_text=_("Fx borgerens egen læge (decision 0050). Enten en afdeling eller en ekstern "
                                            "modtager."))
    scope = models.JSONField(_("omfang"), default=list)
    purpose = models.CharField(_("formål"), max_length=300)
    form = models.CharField(_("form"), max_length=8, choices=Form.choices, default=Form.WRITTEN)
    given_by = models.CharField(_("givet af"), max_length=8, choices=GivenBy.choices, default=GivenBy.CITIZEN)
    given_on = models.DateField(_("givet"))
    expires_on = models.DateField(_("udløber"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("given_on")),
                                   name="consent_expires_after_given"),
            models.CheckConstraint(condition=models.Q(recipient__isnull=False, external="")
                                   | models.Q(recipient__isnull=True) & ~models.Q(external=""),
                                   name="consent_one_recipient"),
        ]

    @property
    def recipient_name(self) -> str:
        return str(self.recipient.name) if self.recipient is not None else str(self.get_external_display())

    @property
    def scope_labels(self) -> list[str]:
        """The parts the consent covers, in words (an unknown code as it is)."""
        labels = dict(ConsentScope.choices)
        return [str(labels.get(code, code)) for code in self.scope]

    @property
    def recipient_code(self) -> str:
        return self.recipient.code if self.recipient is not None else self.external

    def in_force(self, at=None) -> bool:
        at = at or timezone.now()
        today = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
        return (self.withdrawn_at is None or self.withdrawn_at > at) and self.given_on <= today and (
            self.expires_on is None or today <= self.expires_on)


@about_citizen(on_overview=False)
class Rectification(models.Model):
    """A correction of a citizen's details (GDPR art. 16): which field, from what, to what, by whom."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rectifications")
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]


@about_citizen(on_overview=False)  # its free text is cleared by people.gdpr.anonymise, by status
class DataRequest(models.Model):
    """A citizen's request on Min side for a copy of their data (GDPR art. 15) or a correction (art. 16). It waits in
    the staff queue until someone closes it with a note; the answer is due within a month (art. 12(3))."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Indsigt i mine data")
        RECTIFICATION = "rectification", _("Ret forkerte oplysninger")

    class Status(models.TextChoices):
        OPEN = "open", _("Modtaget")
        IN_PROGRESS = "in_progress", _("Under behandling")
        DONE = "done", _("Besvaret")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_requests")
    kind = models.CharField(_("anmodning"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("borgerens beskrivelse"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("frist"))
    answer = models.CharField(_("svar til borgeren"), max_length=2000, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [models.CheckConstraint(condition=~models.Q(status="done") | ~models.Q(answer=""),
                                              name="data_request_done_has_answer")]


class Revision(models.Model):
    """How often a citizen's overview data has changed, counted by database triggers (see revisions.py)."""

    citizen = models.BigIntegerField(primary_key=True, help_text="A person's id, or 0 for names many citizens share.")
    value = models.BigIntegerField(default=0)


class ContactKind(models.TextChoices):
    """The kinds of contact person whose changes are recorded (issue 26): the citizen's caseworker, mentor, support
    contact under §85 and the plan's coordinator."""

    CASEWORKER = "caseworker", _("Sagsbehandler")
    MENTOR = "mentor", _("Mentor")
    SUPPORT_CONTACT = "support_contact", _("Støttekontaktperson (§85)")
    COORDINATOR = "coordinator", _("Tovholder")


@about_citizen(free_text={"name": ""})
class ContactPeriod(models.Model):
    """One contact person of one kind for a period: a change of caseworker, mentor, support contact or coordinator
    ends the open period of that kind and starts the next (decision 0060). A period with no successor is a gap."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_periods")
    kind = models.CharField(_("type"), max_length=20, choices=ContactKind.choices)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("medarbejder"))
    name = models.CharField(_("navn"), max_length=200, blank=True,
                            help_text=_("Når kontaktpersonen ikke er bruger i systemet (fx en mentor hos en anden "
                                        "arbejdsgiver)."))
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        indexes = [models.Index(fields=["person", "kind"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="contact_period_ends_after_start"),
            models.UniqueConstraint(fields=["person", "kind"], condition=models.Q(ends_on__isnull=True),
                                    name="one_open_contact_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.worker or "—")
