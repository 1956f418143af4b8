"""Citizen surveys: questionnaires as data, invitations by SMS or link, reminders, one answer each, and a report."""

import datetime
import secrets
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError as SchemaError, model_validator

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.authority.outcomes import cluster_of
from traedesten.core import disclosure
from traedesten.core.text import Label
from traedesten.people.models import Cluster

from .catalogue import CLOSING, CLOSING_CODES
from .models import Invitation, NonResponse, Questionnaire, Response
from .sms import gateway
from .tables import Column, Row, Table, counts

REMINDER_DAYS = (7, 21)
"""Reminders one and three weeks after the invitation."""

DEGREE = [("5", gettext_lazy("I meget høj grad")), ("4", gettext_lazy("I høj grad")), ("3", gettext_lazy("I nogen grad")),
          ("2", gettext_lazy("I lav grad")), ("1", gettext_lazy("I meget lav grad")), ("0", gettext_lazy("Det er blevet værre"))]
EXTRAS = {"dont_know": gettext_lazy("Ved ikke"), "not_relevant": gettext_lazy("Ikke relevant"),
          "unknown_caseworker": gettext_lazy("Jeg kender ikke min sagsbehandler godt nok til at svare")}
COLLAPSED = [("high", gettext_lazy("Høj eller meget høj grad"), {"5", "4"}), ("some", gettext_lazy("Nogen grad"), {"3"}),
             ("low", gettext_lazy("Lav, meget lav eller værre"), {"2", "1", "0"})]


RESERVED = {"assisted", "csrfmiddlewaretoken"}
"""Form fields of the answer page that a question key must not shadow."""


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    includes: str


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    text: str = Field(min_length=1, max_length=300)
    type: Literal["degree", "choice", "multi", "text"]
    options: list[tuple[str, str]] = []
    extras: list[Literal["dont_know", "not_relevant", "unknown_caseworker"]] = []
    show_if: Condition | None = None

    @model_validator(mode="after")
    def options_fit(self):
        if self.key in RESERVED:
            raise ValueError(f"{self.key}: nøglen er reserveret")
        if self.type in ("choice", "multi") and len(self.options) < 2:
            raise ValueError(f"{self.key}: vælg mindst to svarmuligheder")
        return self

    def choices(self) -> list[tuple[str, str]]:
        if self.type == "degree":
            return [(k, str(v)) for k, v in DEGREE] + [(e, str(EXTRAS[e])) for e in self.extras]
        return list(self.options) + [(e, str(EXTRAS[e])) for e in self.extras]


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intro: str = ""
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def branching_points_back(self):
        seen = set()
        for q in self.questions:
            if q.show_if and q.show_if.question not in seen:
                raise ValueError(f"{q.key}: betingelsen skal pege på et tidligere spørgsmål")
            seen.add(q.key)
        if len(seen) != len(self.questions):
            raise ValueError("to spørgsmål har samme nøgle")
        return self


def parse(raw: dict) -> Definition:
    try:
        return Definition.model_validate(raw)
    except SchemaError as exc:
        raise ValidationError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from exc


def visible(defn: Definition, answers: dict) -> list[Question]:
    """The questions to show given the answers so far (branching)."""
    out = []
    for q in defn.questions:
        if q.show_if:
            given = answers.get(q.show_if.question)
            values = given if isinstance(given, list) else [given]
            if q.show_if.includes not in values:
                continue
        out.append(q)
    return out


def _message(invitation: Invitation, base_url: str, reminder: bool) -> str:
    link = base_url.rstrip("/") + reverse("answer", args=[invitation.token])
    if reminder:
        return _("Påmindelse: Vil du svare på et par spørgsmål om dit forløb? Det tager 5 minutter: %(link)s") % {"link": link}
    return _("Tak for forløbet. Vil du svare på et par spørgsmål om, hvordan det gik? Det tager 5 minutter: %(link)s") % {
        "link": link}


def one_survey(code: str) -> list[str]:
    """The questionnaires a citizen is invited to once between them: the closing survey's two versions, or the one."""
    return list(CLOSING_CODES.values()) if code in CLOSING_CODES.values() else [code]


def closing_questionnaire(person, on: datetime.date) -> Questionnaire:
    """The closing survey's version for the citizen: the family version ("du (og din familie)") in the family cluster
    (their own, or as a member of a family on the day), the adult and youth version otherwise."""
    version = "family" if cluster_of(person, on) == Cluster.FAMILY else "single"
    return Questionnaire.objects.get(code=CLOSING_CODES[version])


@transaction.atomic
def invite(actor, questionnaire: Questionnaire, person, *, course=None, base_url: str) -> tuple[Invitation, bool]:
    """Invite a citizen once. A second invitation to the same questionnaire returns the first one (no duplicates).
    The closing survey is one survey in two versions: the citizen gets the version of their cluster, once."""
    same = one_survey(questionnaire.code)
    if questionnaire.code in CLOSING_CODES.values():
        questionnaire = closing_questionnaire(person, timezone.localdate())
    existing = Invitation.objects.filter(questionnaire__code__in=same, person=person).first()
    if existing:
        return existing, False
    channel = Invitation.Channel.SMS if person.phone and person.contact_wish == "sms" else Invitation.Channel.LINK
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(questionnaire=questionnaire, person=person, course=course,
                                                   token=secrets.token_urlsafe(24), channel=channel, created_by=actor)
    except IntegrityError:
        return Invitation.objects.get(questionnaire=questionnaire, person=person), False
    if channel == Invitation.Channel.SMS:
        gateway().send(person.phone, _message(invitation, base_url, reminder=False))
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    audit.record(actor, AuditAction.CREATE, person=person, section="survey", fields=[questionnaire.code])
    return invitation, True


def send_reminders(base_url: str, now: datetime.datetime | None = None) -> int:
    """Send the 1- and 3-week SMS reminders that are due; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    pending = (Invitation.objects.filter(channel=Invitation.Channel.SMS, sent_at__isnull=False, response__isnull=True,
                                         non_response="", reminders_sent__lt=len(REMINDER_DAYS))
               .select_related("person"))
    for invitation in pending:
        if invitation.sent_at is None:
            continue
        due = invitation.sent_at + datetime.timedelta(days=REMINDER_DAYS[invitation.reminders_sent])
        if due > now or not invitation.person.phone:
            continue
        updated = Invitation.objects.filter(pk=invitation.pk, reminders_sent=invitation.reminders_sent).update(
            reminders_sent=invitation.reminders_sent + 1)
        if updated:
            gateway().send(invitation.person.phone, _message(invitation, base_url, reminder=True))
            sent += 1
    return sent


class AlreadyAnswered(Exception):
    pass


def answer(invitation: Invitation, raw: dict[str, list[str]], *, helped: bool = False) -> Response:
    """Store the one answer. Answers to questions hidden by branching, and unknown values, are dropped."""
    defn = parse(invitation.questionnaire.definition)
    answers: dict = {}
    for q in defn.questions:
        given = [v for v in raw.get(q.key, []) if v != ""]
        if not given:
            continue
        if q.type == "text":
            answers[q.key] = given[0].strip()[:2000]
            continue
        allowed = {k for k, _l in q.choices()}
        picked = [v for v in given if v in allowed]
        if picked:
            answers[q.key] = picked if q.type == "multi" else picked[0]
    shown = {q.key for q in visible(defn, answers)}
    answers = {k: v for k, v in answers.items() if k in shown}
    complete = is_complete(defn, answers)
    try:
        with transaction.atomic():
            return Response.objects.create(invitation=invitation, answers=answers, complete=complete,
                                           helped_by_professional=helped)
    except IntegrityError:
        raise AlreadyAnswered() from None


def is_complete(defn: Definition, answers: dict) -> bool:
    """Whether every question shown (given the answers' branching) has an answer; comments are never required."""
    return all(q.key in answers for q in visible(defn, answers) if q.type != "text")


def answer_problems(defn: Definition, answers: dict) -> list[str]:
    """What is wrong with stored answers (an import's): an unknown question, a value the question does not offer, a
    list for a single choice, or an answer to a question its branching hides. Empty when the answers are sound."""
    questions = {q.key: q for q in defn.questions}
    problems = []
    for key, value in answers.items():
        q = questions.get(key)
        if q is None:
            problems.append(_("ukendt spørgsmål »%(key)s«") % {"key": key})
            continue
        if q.type == "text":
            if not isinstance(value, str):
                problems.append(_("»%(key)s« skal være en tekst") % {"key": key})
            continue
        if isinstance(value, list) != (q.type == "multi"):
            problems.append(_("»%(key)s« skal have %(what)s") % {
                "key": key, "what": _("en liste af svar") if q.type == "multi" else _("ét svar")})
            continue
        allowed = {k for k, _l in q.choices()}
        for v in value if isinstance(value, list) else [value]:
            if v not in allowed:
                problems.append(_("»%(value)s« er ikke et svar på »%(key)s«") % {"value": v, "key": key})
    if not problems:
        shown = {q.key for q in visible(defn, answers)}
        problems += [_("»%(key)s« er skjult af de andre svar") % {"key": key} for key in answers if key not in shown]
    return problems


def set_non_response(actor, invitation: Invitation, reason: str) -> None:
    if reason and reason not in NonResponse.values:
        raise ValidationError(_("Vælg en årsag fra listen."))
    if hasattr(invitation, "response"):
        raise ValidationError(_("Borgeren har svaret, så der er ingen årsag til manglende svar."))
    invitation.non_response = reason
    invitation.save(update_fields=["non_response"])
    audit.record(actor, AuditAction.UPDATE, person=invitation.person_id, section="survey", fields=["non_response"])


def report(questionnaire: Questionnaire, start: datetime.date, end: datetime.date) -> dict:
    """Invitations made in the period and the answers given by its last day: response rate, non-response reasons and
    the answers per question, published by the disclosure rule (rounded to 5, shares of the rounded counts)."""
    defn = parse(questionnaire.definition)
    invitations = Invitation.objects.filter(questionnaire=questionnaire, created_at__date__gte=start, created_at__date__lte=end)
    responses = list(Response.objects.filter(invitation__in=invitations, submitted_at__date__lte=end)
                     .values_list("answers", "complete"))
    invited = invitations.count()
    answered = len(responses)
    reasons = dict(invitations.exclude(non_response="").values_list("non_response").annotate(n=Count("pk")))
    overview = counts("survey_overview", _("Svar"), [
        ("complete", _("Udfyldt helt"), sum(1 for _a, c in responses if c)),
        ("partial", _("Udfyldt delvist"), sum(1 for _a, c in responses if not c)),
        ("missing", _("Ikke svaret"), invited - answered)], column=_("Inviterede"), total_label=_("Inviterede i alt"))
    non_response = counts("survey_non_response", _("Årsager til manglende svar"),
                          [(k, label, reasons.get(k, 0)) for k, label in NonResponse.choices], column=_("Borgere"),
                          total_label=_("Med registreret årsag"))
    questions: list[tuple[Question, Table, Table | None]] = []
    for q in defn.questions:
        if q.type == "text":
            n = sum(1 for a, _c in responses if a.get(q.key))
            questions.append((q, Table(q.key, q.text, [Column(_("Svar"))],
                                       [Row(_("Har skrevet en kommentar"), [n])]).published(), None))
            continue
        tally = {k: 0 for k, _l in q.choices()}
        for a, _c in responses:
            given = a.get(q.key)
            for v in (given if isinstance(given, list) else [given] if given else []):
                tally[v] = tally.get(v, 0) + 1
        detail = counts(q.key, q.text, [(k, label, tally[k]) for k, label in q.choices()], column=_("Svar"),
                        with_share=q.type != "multi", total_label=_("Svar i alt") if q.type != "multi" else "")
        collapsed = None
        if q.type == "degree":
            collapsed = counts(f"{q.key}_collapsed", q.text,
                               [(k, label, sum(tally[v] for v in values)) for k, label, values in COLLAPSED],
                               column=_("Svar"), total_label=_("Svar med en grad")).published()
        questions.append((q, detail.published(), collapsed))
    invited, answered = disclosure.count(invited), disclosure.count(answered)
    return {"invited": invited, "answered": answered, "rate": disclosure.share(answered, invited),
            "overview": overview.published(), "non_response": non_response.published(), "questions": questions}



AGE_SPLIT = 30
"""The evaluation's age groups: under 30 and 30 or older (benefits differ at 30)."""
CLUSTER_GROUPS = [("family", gettext_lazy("Familie")), ("adult", gettext_lazy("Voksen")), ("youth", gettext_lazy("Unge")),
                  ("none", gettext_lazy("Uden klynge"))]
AGE_GROUPS = [("under_30", gettext_lazy("Under 30 år")), ("30_plus", gettext_lazy("30 år og derover")),
              ("unknown", gettext_lazy("Alder ukendt"))]


def age_on(person, day: datetime.date) -> int | None:
    if person.birth_date:
        b = person.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
    if person.approx_birth_year:
        return day.year - person.approx_birth_year
    return None


def respondent_group(by: str, response: Response) -> str:
    """The row a response counts in: the cluster (family for the family version) or the age group on the day of
    the answer."""
    invitation = response.invitation
    person = invitation.person
    if by == "cluster":
        if invitation.questionnaire.code == CLOSING_CODES["family"]:
            return "family"
        return person.cluster if person.cluster in ("adult", "youth", "family") else "none"
    age = age_on(person, timezone.localtime(response.submitted_at).date())
    return "unknown" if age is None else "under_30" if age < AGE_SPLIT else "30_plus"


def cross_table(key: str, by: str, start: datetime.date, end: datetime.date) -> Table:
    """One closing-survey question by cluster or by age group: exact counts per group, collapsed for a degree
    question, the extras each on their own, the group's answers in all, and the shares of it (from the counts).
    Both versions count; answers submitted in the period. Publish with `.published()` (rounded, small cells hidden)."""
    if by not in ("cluster", "age"):
        raise ValidationError(_("Vælg klynge eller aldersgruppe."))
    defn = parse(CLOSING["single"])
    question = next((q for q in defn.questions if q.key == key and q.type != "text"), None)
    if question is None:
        raise ValidationError(_("Spørgsmålet findes ikke i den afsluttende survey."))
    bins: list[tuple[str, Label, set[str]]]
    if question.type == "degree":
        bins = [(k, label, set(values)) for k, label, values in COLLAPSED]
    else:
        bins = [(k, label, {k}) for k, label in question.options]
    extras: list[tuple[str, Label, set[str]]] = [(e, EXTRAS[e], {str(e)}) for e in question.extras]
    groups = CLUSTER_GROUPS if by == "cluster" else AGE_GROUPS
    tally = {g: [0] * (len(bins) + len(extras)) for g, _l in groups}
    responses = (Response.objects.filter(invitation__questionnaire__code__in=CLOSING_CODES.values(),
                                          submitted_at__date__gte=start, submitted_at__date__lte=end)
                 .select_related("invitation__person", "invitation__questionnaire"))
    for response in responses:
        given = response.answers.get(key)
        picked = set(given if isinstance(given, list) else [given] if given else [])
        if not picked:
            continue
        row = tally[respondent_group(by, response)]
        for i, (_k, _l, members) in enumerate(bins + extras):
            if picked & members:
                row[i] += 1
    n_bins, n_all = len(bins), len(bins) + len(extras)
    total_col = n_all
    columns = ([Column(label) for _k, label, _m in bins] + [Column(label) for _k, label, _m in extras]
               + [Column(_("Svar i alt"))]
               + [Column(_("%(bin)s, andel") % {"bin": label}, "share", of=i, base=total_col)
                  for i, (_k, label, _m) in enumerate(bins)])
    def values(counts_: list[int]) -> list:
        return counts_ + [sum(counts_)] + [None] * n_bins

    rows = [Row(label, values(tally[g]), g) for g, label in groups]
    total = Row(_("Alle"), values([sum(tally[g][i] for g, _l in groups) for i in range(n_all)]), "total")
    title = _("%(question)s, efter %(by)s") % {"question": question.text,
                                               "by": _("klynge") if by == "cluster" else _("aldersgruppe")}
    return Table(f"survey_{key}_by_{by}", title, columns, rows, total,
                 _("Andelene er beregnet af antallene. Et svar tæller i én række; \"Ved ikke\" og lignende står for sig."))
